// The playground: one page, the browser build of the client (served at /hotline-client.js),
// nothing else. WebSocket uses one persistent hotline.v1 session; SSE posts each prompt to the
// HTTP binding, the baseline Hotline is measured against.
import { HotlineClient, HotlineHttpClient } from "/hotline-client.js";

const $ = (id) => document.getElementById(id);
const token = new window.URLSearchParams(window.location.search).get("token") ?? undefined;
const wsUrl = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/v1/responses`;
const ws = new HotlineClient({ url: wsUrl, ...(token ? { token } : {}) });
const http = new HotlineHttpClient({
  baseUrl: window.location.origin,
  ...(token ? { token } : {}),
});
ws.on("state", (state) => ($("m-connection").textContent = state));

let current; // the stream on screen
let runId = 0;

function setRunning(running) {
  $("send").disabled = running;
  $("stop").disabled = !running;
  $("steer").disabled = !running || $("transport").value !== "websocket";
}

async function show(stream, started, label) {
  const id = ++runId;
  current = stream;
  setRunning(true);
  $("m-transport").textContent = label;
  $("m-status").textContent = "waiting";
  let first;
  let deltas = 0;
  try {
    for await (const event of stream) {
      if (id !== runId) return;
      if (event.type === "response.output_text.delta") {
        const now = performance.now();
        if (first === undefined) {
          first = now;
          $("m-ttft").textContent = `${(now - started).toFixed(1)} ms`;
          $("m-status").textContent = "streaming";
        }
        deltas++;
        $("output").textContent += event.delta;
        $("m-tokens").textContent = String(deltas);
        if (now > first)
          $("m-tps").textContent = ((deltas - 1) / ((now - first) / 1000)).toFixed(0);
      }
    }
    const final = await stream.finalResponse();
    if (id !== runId) return;
    $("m-status").textContent = final.status;
    if (final.usage) $("m-tokens").textContent = String(final.usage.output_tokens);
  } catch (error) {
    if (id === runId) $("m-status").textContent = `error: ${error.code ?? error.message}`;
  } finally {
    if (id === runId) setRunning(false);
  }
}

$("send").addEventListener("click", async () => {
  const params = {
    input: $("prompt").value,
    service_tier: $("tier").value,
    metadata: { "sim.output_tokens": String($("length").value || 400) },
  };
  $("output").textContent = "";
  $("m-ttft").textContent = "-";
  $("m-tps").textContent = "-";
  $("m-tokens").textContent = "0";
  const sse = $("transport").value === "sse";
  const started = performance.now();
  try {
    if (!sse) await ws.connect();
  } catch (error) {
    $("m-status").textContent = `error: ${error.code ?? error.message}`;
    return;
  }
  const stream = sse ? http.create(params) : ws.responses.create(params);
  void show(stream, started, sse ? "SSE" : `WebSocket (${ws.profile})`);
});

$("stop").addEventListener("click", async () => {
  if (!current) return;
  $("stop").disabled = true;
  try {
    await current.cancel({ truncate: true });
  } catch (error) {
    $("m-status").textContent = `error: ${error.code ?? error.message}`;
  }
});

$("steer").addEventListener("click", () => {
  if (!current || $("transport").value !== "websocket") return;
  const input = $("steer-input").value || "Change of plan: make it shorter.";
  $("output").textContent += "\n\n--- steered ---\n\n";
  void show(current.steer(input), performance.now(), `WebSocket (${ws.profile})`);
});

$("transport").addEventListener("change", () => setRunning(false));
window.hotlinePlayground = { ws, http };
