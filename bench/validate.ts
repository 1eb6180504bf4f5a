/**
 * `npm run bench:validate`: how many `response.output_text.delta` events per second one core
 * validates (and serialises, as a server does before sending). Not a test: figures vary
 * with the machine, so they are printed, with medians over repeated rounds.
 */
import { parseArgs } from "node:util";
import { summarize } from "../src/protocol/metrics.js";
import { validateServerEvent, warmValidators } from "../src/protocol/validate.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "200000" },
    rounds: { type: "string", default: "7" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(
    "Usage: npm run bench:validate -- [--events N] [--rounds N]\n\nMeasures validate and validate+JSON.stringify of output_text.delta events on one core.",
  );
  process.exit(0);
}
const events = Number(values.events);
const rounds = Number(values.rounds);
if (!Number.isInteger(events) || events < 1 || !Number.isInteger(rounds) || rounds < 1) {
  console.error("bench:validate: --events and --rounds must be positive integers");
  process.exit(2);
}

warmValidators();
const deltas = Array.from({ length: 1024 }, (_, i) => ({
  type: "response.output_text.delta",
  response_id: "resp_0123456789abcdef",
  sequence_number: i + 4,
  item_id: "msg_0123456789abcdef",
  output_index: 0,
  content_index: 0,
  delta: i % 3 === 0 ? " const" : i % 3 === 1 ? " value" : " =",
  logprobs: [],
}));

function run(withSerialise: boolean): number {
  let bytes = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < events; i++) {
    const event = deltas[i & 1023];
    const result = validateServerEvent(event);
    if (!result.ok) throw new Error(result.issues[0]?.message);
    if (withSerialise) bytes += JSON.stringify(event).length;
  }
  const ns = Number(process.hrtime.bigint() - start);
  if (bytes < 0) console.log(bytes);
  return ns / events;
}

for (const [label, serialise] of [
  ["validate", false],
  ["validate + JSON.stringify", true],
] as const) {
  run(serialise);
  const perEvent = Array.from({ length: rounds }, () => run(serialise));
  const s = summarize(perEvent);
  console.log(
    `${label.padEnd(26)} median ${s.p50.toFixed(0)} ns/event (${(1e9 / s.p50 / 1e6).toFixed(2)} M events/s), min ${Math.min(...perEvent).toFixed(0)} ns, max ${s.max.toFixed(0)} ns over ${rounds} rounds of ${events}`,
  );
}
console.log(`node ${process.version}, ${process.arch}`);
