// A finished response's transcript is rendered from the model's own ids of its text (the ids of
// whole code blocks, with only the rest encoded): the continuation's ids are exactly what
// encoding the rendered transcript gives, for a response that completed and one cut short.
import t from "tap";
import { Backend, VirtualClock } from "../../../reference-server/backend/index.js";
import { encode } from "../../../reference-server/backend/tokenizer.js";
import { renderItem } from "../../../reference-server/responses/render.js";
import { ResponsesService } from "../../../reference-server/responses/service.js";

function setup() {
  const clock = new VirtualClock();
  const service = new ResponsesService({ backend: new Backend({ clock }) });
  const create = (input: string, tokens: number) =>
    service.create({ input, metadata: { "sim.output_tokens": String(tokens) } } as never, {
      profile: "core",
      principal: "p",
    });
  return { clock, create };
}

t.test("the continuation's ids are the render's own encoding", (t) => {
  const { clock, create } = setup();
  for (const [i, tokens] of [40, 700, 2400].entries()) {
    const run = create(`Write module ${i} of the frame parser.`, tokens);
    clock.runAll();
    t.equal(run.status, "completed");
    const context = run.continuationContext();
    const item = context.items.at(-1)!;
    const part = renderItem(item);
    t.same(context.tokens.slice(-encode(part).length), encode(part), `${tokens} tokens`);
  }
  t.end();
});

t.test("so are a cancelled response's, whatever its text was cut to", (t) => {
  const { clock, create } = setup();
  for (const ms of [30, 300, 900]) {
    const run = create(`Cancel me after ${ms} ms.`, 2400);
    clock.advance(ms);
    run.cancel();
    clock.runAll();
    t.equal(run.status, "incomplete");
    const context = run.continuationContext();
    const part = renderItem(context.items.at(-1)!);
    t.same(context.tokens.slice(-encode(part).length), encode(part), `cancelled at ${ms} ms`);
  }
  t.end();
});

t.test("and a cancel that cut the text shorter than the model's known ids", (t) => {
  const { clock, create } = setup();
  // Cut inside the first block, at a block's end, one past it and further on.
  for (const chars of [50, 400, 401, 3000]) {
    const run = create(`Cancel and truncate to ${chars} characters.`, 2400);
    clock.advance(900);
    run.truncate(chars);
    run.cancel("cancelled");
    clock.runAll();
    t.equal(run.status, "cancelled");
    const context = run.continuationContext();
    const part = renderItem(context.items.at(-1)!);
    t.ok(part.length <= chars + 20, `cut to ${chars}: a part of ${part.length} characters`);
    t.same(context.tokens.slice(-encode(part).length), encode(part), `truncated to ${chars}`);
  }
  t.end();
});
