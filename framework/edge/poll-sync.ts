/**
 * The polling baseline: every poll interval the cloud asks each edge for what changed since
 * the last reply it received, and the edge answers with those readings, alerts and
 * configuration entries. Cloud configuration writes ride on the next poll request and are
 * merged by last-writer-wins on the edge.
 *
 * A lost request or reply costs one interval: the next request asks from the same point
 * again, and configuration writes stay in the request until a reply acknowledges them.
 */
import type { Clock } from "../runtime/clock.js";
import type { Transport } from "../runtime/transport.js";
import { CLOUD_WRITER, type ConfigEntry, type EdgeState } from "./edge-state.js";
import { emptyEdgeState, mergeLww } from "./lww-merge.js";
import type { EdgeSyncSide, SyncSchemeFactory, SyncSide, SyncTraffic } from "./sync-scheme.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface PollRequest {
  /** Request number; the reply echoes it. */
  id: number;
  /** Highest edge `seq` the cloud has. */
  sinceSeq: number;
  /** Highest edge configuration version the cloud has. */
  sinceConfigVersion: number;
  /** Cloud configuration writes not yet acknowledged, by device. */
  config: Record<string, ConfigEntry>;
}

interface PollReply {
  id: number;
  configVersion: number;
  state: Partial<EdgeState>;
}

function publishJson(transport: Transport, traffic: SyncTraffic, topic: string, body: unknown) {
  const payload = encoder.encode(JSON.stringify(body));
  traffic.messagesSent++;
  traffic.bytesSent += payload.byteLength;
  transport.publish(topic, payload);
}

/** The edge side: answers polls from its own state. */
class PollEdge implements EdgeSyncSide {
  readonly traffic: SyncTraffic = { messagesSent: 0, bytesSent: 0 };
  private readonly state = emptyEdgeState();
  private readonly listeners: (() => void)[] = [];
  private configVersion = 0;
  private readonly configVersions = new Map<string, number>();
  private readonly alertSeqs = new Map<string, number>();

  constructor(
    private readonly transport: Transport,
    private readonly edgeId: string,
    private readonly topics: { request: string; reply: string },
  ) {}

  view(): Readonly<EdgeState> {
    return this.state;
  }

  start(): void {
    this.transport.subscribe(this.topics.request, (_topic, payload) => {
      this.answer(JSON.parse(decoder.decode(payload)) as PollRequest);
    });
  }

  onRemoteChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  writeReading(deviceId: string, value: number, nowUs: number): void {
    const seq = ++this.state.seq;
    this.state.devices[deviceId] = { value, changedUs: nowUs, seq };
  }

  writeAlert(deviceId: string, value: number, nowUs: number): void {
    const seq = ++this.state.seq;
    const alertId = `${deviceId}#${seq}`;
    this.state.alerts[alertId] = { deviceId, value, raisedUs: nowUs };
    this.alertSeqs.set(alertId, seq);
  }

  writeConfig(deviceId: string, value: number, nowUs: number): void {
    this.state.seq++;
    this.state.config[deviceId] = { value, writer: this.edgeId, writtenUs: nowUs };
    this.configVersions.set(deviceId, ++this.configVersion);
  }

  private answer(request: PollRequest): void {
    if (mergeLww(this.state, { config: request.config })) {
      for (const listener of this.listeners) listener();
    }

    // Readings and alerts newer than the cloud's seq, configuration newer than its version.
    const state: Partial<EdgeState> = { seq: this.state.seq, devices: {}, alerts: {}, config: {} };
    for (const [deviceId, reading] of Object.entries(this.state.devices)) {
      if (reading.seq > request.sinceSeq) state.devices![deviceId] = reading;
    }
    for (const [alertId, seq] of this.alertSeqs) {
      if (seq > request.sinceSeq) state.alerts![alertId] = this.state.alerts[alertId];
    }
    for (const [deviceId, version] of this.configVersions) {
      if (version > request.sinceConfigVersion)
        state.config![deviceId] = this.state.config[deviceId];
    }
    const reply: PollReply = { id: request.id, configVersion: this.configVersion, state };
    publishJson(this.transport, this.traffic, this.topics.reply, reply);
  }
}

/** The cloud side: polls on a timer and merges replies. */
class PollCloud implements SyncSide {
  readonly traffic: SyncTraffic = { messagesSent: 0, bytesSent: 0 };
  private readonly state = emptyEdgeState();
  private readonly listeners: (() => void)[] = [];
  private nextId = 1;
  private configVersion = 0;
  /** Unacknowledged configuration writes, with the first request that carried each. */
  private readonly pendingConfig = new Map<string, { entry: ConfigEntry; firstId: number }>();

  constructor(
    private readonly transport: Transport,
    private readonly clock: Clock,
    private readonly topics: { request: string; reply: string },
    private readonly pollIntervalUs: number,
  ) {}

  view(): Readonly<EdgeState> {
    return this.state;
  }

  start(): void {
    this.transport.subscribe(this.topics.reply, (_topic, payload) => {
      this.merge(JSON.parse(decoder.decode(payload)) as PollReply);
    });
    const poll = () => {
      this.poll();
      this.clock.schedule(this.pollIntervalUs, poll);
    };
    this.clock.schedule(this.pollIntervalUs, poll);
  }

  onRemoteChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  writeConfig(deviceId: string, value: number, nowUs: number): void {
    const entry = { value, writer: CLOUD_WRITER, writtenUs: nowUs };
    this.state.config[deviceId] = entry;
    this.pendingConfig.set(deviceId, { entry, firstId: Number.POSITIVE_INFINITY });
  }

  private poll(): void {
    const id = this.nextId++;
    const config: Record<string, ConfigEntry> = {};
    for (const [deviceId, pending] of this.pendingConfig) {
      config[deviceId] = pending.entry;
      pending.firstId = Math.min(pending.firstId, id);
    }
    const request: PollRequest = {
      id,
      sinceSeq: this.state.seq,
      sinceConfigVersion: this.configVersion,
      config,
    };
    publishJson(this.transport, this.traffic, this.topics.request, request);
  }

  private merge(reply: PollReply): void {
    for (const [deviceId, pending] of this.pendingConfig) {
      if (pending.firstId <= reply.id) this.pendingConfig.delete(deviceId);
    }
    this.configVersion = Math.max(this.configVersion, reply.configVersion);
    if (mergeLww(this.state, reply.state)) for (const listener of this.listeners) listener();
  }
}

/** Creates both sides of one edge's polling sync, on topics `poll/<edge>/request` and `/reply`. */
export const createPollSync: SyncSchemeFactory = (transport, clock, edgeId, timing) => {
  const topics = { request: `poll/${edgeId}/request`, reply: `poll/${edgeId}/reply` };
  return {
    edge: new PollEdge(transport, edgeId, topics),
    cloud: new PollCloud(transport, clock, topics, timing.pollIntervalUs),
  };
};
