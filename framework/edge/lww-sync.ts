/**
 * The last-writer-wins baseline: each side pushes the JSON of the state it writes, the edge
 * its whole state and the cloud its configuration map, either on every change or once per
 * push interval when something changed; the receiver merges key by key (see `mergeLww`).
 *
 * NOTE: a push lost by the transport is not resent; the next push carries the same keys
 * again, so the loss heals only at the next change on that side. The simulated links
 * retransmit lost packets, so this only matters over QoS 0 MQTT.
 */
import type { Clock, TimerHandle } from "../runtime/clock.js";
import type { Transport } from "../runtime/transport.js";
import { CLOUD_WRITER, type EdgeState } from "./edge-state.js";
import { emptyEdgeState, mergeLww } from "./lww-merge.js";
import type { EdgeSyncSide, SyncSchemeFactory, SyncSide, SyncTraffic } from "./sync-scheme.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One side of the LWW scheme. */
class LwwSide implements EdgeSyncSide {
  readonly traffic: SyncTraffic = { messagesSent: 0, bytesSent: 0 };
  private readonly state = emptyEdgeState();
  private readonly listeners: (() => void)[] = [];
  private isDirty = false;
  private pushTimer: TimerHandle | null = null;

  constructor(
    private readonly transport: Transport,
    private readonly clock: Clock,
    private readonly writer: string,
    private readonly topics: { send: string; receive: string },
    private readonly pushIntervalUs: number,
    /** Sections of the state this side owns and pushes. */
    private readonly pushed: (state: EdgeState) => Partial<EdgeState>,
  ) {}

  view(): Readonly<EdgeState> {
    return this.state;
  }

  start(): void {
    this.transport.subscribe(this.topics.receive, (_topic, payload) => {
      const remote = JSON.parse(decoder.decode(payload)) as Partial<EdgeState>;
      if (mergeLww(this.state, remote)) for (const listener of this.listeners) listener();
    });
  }

  onRemoteChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  writeReading(deviceId: string, value: number, nowUs: number): void {
    const seq = ++this.state.seq;
    this.state.devices[deviceId] = { value, changedUs: nowUs, seq };
    this.changed();
  }

  writeAlert(deviceId: string, value: number, nowUs: number): void {
    const seq = ++this.state.seq;
    this.state.alerts[`${deviceId}#${seq}`] = { deviceId, value, raisedUs: nowUs };
    this.changed();
  }

  writeConfig(deviceId: string, value: number, nowUs: number): void {
    if (this.writer !== CLOUD_WRITER) this.state.seq++;
    this.state.config[deviceId] = { value, writer: this.writer, writtenUs: nowUs };
    this.changed();
  }

  private changed(): void {
    if (this.pushIntervalUs === 0) {
      this.push();
      return;
    }
    this.isDirty = true;
    this.pushTimer ??= this.clock.schedule(this.pushIntervalUs, () => {
      this.pushTimer = null;
      if (this.isDirty) this.push();
    });
  }

  private push(): void {
    this.isDirty = false;
    const payload = encoder.encode(JSON.stringify(this.pushed(this.state)));
    this.traffic.messagesSent++;
    this.traffic.bytesSent += payload.byteLength;
    this.transport.publish(this.topics.send, payload);
  }
}

/** Creates both sides of one edge's LWW sync, on topics `lww/<edge>/up` and `/down`. */
export const createLwwSync: SyncSchemeFactory = (transport, clock, edgeId, timing) => {
  const up = `lww/${edgeId}/up`;
  const down = `lww/${edgeId}/down`;
  const interval = timing.lwwPushIntervalUs;
  const edge = new LwwSide(
    transport,
    clock,
    edgeId,
    { send: up, receive: down },
    interval,
    (s) => s,
  );
  const cloud: SyncSide = new LwwSide(
    transport,
    clock,
    CLOUD_WRITER,
    { send: down, receive: up },
    interval,
    (state) => ({ config: state.config }),
  );
  return { edge, cloud };
};
