// A continuation hits the prefix cache for the whole previous turn, its output included: the
// cache holds the rendered transcript a continuation starts with, not only the input (SIM-6).
import t from "tap";
import { startServer } from "../../../reference-server/index.js";
import { TestSocket } from "../helpers/clients.js";

type Usage = {
  input_tokens: number;
  output_tokens: number;
  input_tokens_details: { cached_tokens: number };
};
const usageOf = (event: unknown) => (event as { response: { id: string; usage: Usage } }).response;

t.test("a continuation's cached tokens cover the previous input and output", async (t) => {
  const server = await startServer({ port: 0, logLevel: "silent" });
  t.teardown(() => server.close());
  const socket = await TestSocket.open(server.wsUrl);
  t.teardown(() => socket.close());
  const module = Array.from({ length: 40 }, (_, i) => `export const v${i} = compute(${i});`);
  socket.send({
    type: "response.create",
    model: "hotline-sim-1",
    input: `Review:\n${module.join("\n")}`,
    max_output_tokens: 200,
    metadata: { "sim.output_tokens": "200" },
  });
  const first = usageOf(await socket.terminal());
  socket.send({
    type: "response.create",
    model: "hotline-sim-1",
    previous_response_id: first.id,
    input: "Go on.",
    max_output_tokens: 16,
  });
  const second = usageOf(await socket.terminal());
  const previous = first.usage.input_tokens + first.usage.output_tokens;
  const cached = second.usage.input_tokens_details.cached_tokens;
  t.ok(
    first.usage.output_tokens >= 128,
    `the first turn produced ${first.usage.output_tokens} tokens`,
  );
  t.ok(
    cached >= Math.floor(previous / 64) * 64,
    `cached ${cached} of ${second.usage.input_tokens}; previous input+output ${previous}`,
  );
  t.same(socket.recorder.problems, [], "every frame valid");
});
