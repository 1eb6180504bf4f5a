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

/**
 * Decode speed: the tokens that arrived after the first delta over the time from the first
 * delta to the last. The first delta's own tokens came at the start of that time, so they are
 * left out, estimated as an average delta (`tokens / deltas`).
 */
function tokensPerSecond(tokens, deltas, first, last) {
  if (tokens === undefined || deltas < 2 || !(last > first)) return "-";
  const decoded = (tokens * (deltas - 1)) / deltas;
  return (decoded / ((last - first) / 1000)).toFixed(0);
}

async function show(stream, started, label) {
  const id = ++runId;
  current = stream;
  setRunning(true);
  $("m-transport").textContent = label;
  $("m-status").textContent = "waiting";
  let first;
  let last;
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
          $("m-tps").textContent = "…";
        }
        last = now;
        deltas++;
        $("output").textContent += event.delta;
        // A delta holds every token that came due since the last one (often several at
        // 1,000+ tok/s): counting deltas is not counting tokens. The token count comes with
        // the terminal event's usage.
        $("m-tokens").textContent = `${deltas} deltas`;
      }
    }
    const final = await stream.finalResponse();
    if (id !== runId) return;
    const tokens = final.usage?.output_tokens;
    if (tokens !== undefined) $("m-tokens").textContent = String(tokens);
    $("m-tps").textContent = tokensPerSecond(tokens, deltas, first, last);
    $("m-status").textContent = final.status;
  } catch (error) {
    if (id !== runId) return;
    $("m-status").textContent = `error: ${error.code ?? error.message}`;
    $("m-tps").textContent = "-";
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
