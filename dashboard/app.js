// The live dashboard page: five Vega-Lite charts fed by the server-sent event stream at
// /events. Each "interval" event is one report interval of the cloud processor; each
// "anomaly" event is one flagged reading. window.dashboardState exposes the counts of rows
// received, for the browser test.

const WIDTH = 460;
const HEIGHT = 160;
// Legends sit below each chart with room for their labels, so a narrow grid cell does not
// clip them. The padding keeps axis labels inside the SVG.
const CONFIG = { legend: { orient: "bottom", labelLimit: 240 } };
const PADDING = { left: 24, right: 24, top: 8, bottom: 8 };
// Legends appear with the first data, so the view must re-measure itself on every update.
const AUTOSIZE = { type: "pad", resize: true };

/** Returns a line chart of `fields` (folded into one colour legend) over time. */
function lineSpec(title, fields, yTitle) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    config: CONFIG,
    padding: PADDING,
    autosize: AUTOSIZE,
    width: WIDTH,
    height: HEIGHT,
    data: { name: "rows" },
    transform: [{ fold: fields, as: ["series", "value"] }, { filter: "isValid(datum.value)" }],
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "startS", type: "quantitative", title: "run time (s)" },
      y: { field: "value", type: "quantitative", title: yTitle },
      color: { field: "series", type: "nominal", title: null },
    },
  };
}

const anomalySpec = {
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  title: "Anomalies (flagged readings)",
  config: CONFIG,
  padding: PADDING,
  autosize: AUTOSIZE,
  width: WIDTH,
  height: HEIGHT,
  data: { name: "rows" },
  mark: { type: "point", filled: true },
  encoding: {
    x: { field: "eventTime", type: "temporal", title: "event time" },
    y: { field: "value", type: "quantitative", title: "value" },
    color: { field: "metric", type: "nominal" },
    tooltip: [{ field: "deviceId" }, { field: "value" }, { field: "score" }],
  },
};

const charts = {
  throughput: lineSpec(
    "Throughput (records/s)",
    ["arrivalsPerSec", "processedPerSec"],
    "records/s",
  ),
  latency: lineSpec(
    "Latency percentiles (ms)",
    ["ingestionP50Ms", "endToEndP50Ms", "endToEndP95Ms", "endToEndP99Ms"],
    "ms",
  ),
  workers: lineSpec("Workers and busy share", ["workers", "busyShare"], "workers / share"),
  lag: lineSpec("Consumer lag and backlog (records)", ["consumerLag", "backlog"], "records"),
  anomalies: anomalySpec,
};

window.dashboardState = { intervals: 0, anomalies: 0, views: {} };

async function main() {
  for (const [id, spec] of Object.entries(charts)) {
    const result = await vegaEmbed(`#${id}`, spec, { actions: false, renderer: "svg" });
    window.dashboardState.views[id] = result.view;
  }
  const views = window.dashboardState.views;

  const events = new EventSource("/events");
  events.addEventListener("title", (event) => {
    document.getElementById("title").textContent = JSON.parse(event.data);
  });
  events.addEventListener("interval", (event) => {
    const interval = JSON.parse(event.data);
    const widthS = Math.max(1e-3, interval.widthS);
    const row = {
      ...interval,
      arrivalsPerSec: interval.arrivals / widthS,
      processedPerSec: interval.processed / widthS,
    };
    for (const id of ["throughput", "latency", "workers", "lag"]) {
      views[id].insert("rows", [row]).run();
    }
    window.dashboardState.intervals++;
    document.getElementById("status").textContent =
      `${window.dashboardState.intervals} intervals, backlog ${interval.backlog}, ` +
      `lag ${interval.consumerLag ?? "n/a"}, ${window.dashboardState.anomalies} anomalies`;
  });
  events.addEventListener("anomaly", (event) => {
    const anomaly = JSON.parse(event.data);
    views.anomalies.insert("rows", [{ ...anomaly, eventTime: anomaly.eventTimeUs / 1_000 }]).run();
    window.dashboardState.anomalies++;
  });
}

main().catch((error) => {
  document.getElementById("status").textContent = `dashboard failed: ${error.message}`;
  window.dashboardState.error = error.message;
});
