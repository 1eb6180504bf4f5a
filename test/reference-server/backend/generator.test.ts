import fc from "fast-check";
import t from "tap";
import {
  createOutput,
  nameObject,
  type OutputEvent,
} from "../../../reference-server/backend/generator.js";
import { decode, encode } from "../../../reference-server/backend/tokenizer.js";
import type { FunctionTool } from "../../../reference-server/backend/types.js";

function drain(source: ReturnType<typeof createOutput>): OutputEvent[] {
  const events: OutputEvent[] = [];
  for (let e = source.next(); e !== undefined; e = source.next()) events.push(e);
  return events;
}

const input = encode("Write a small TypeScript helper for parsing frames.");

/** Options of a text output of exactly `tokens` tokens. */
const exactly = (seed: number, tokens: number) => ({
  seed,
  inputTokens: input,
  maxOutputTokens: tokens,
  exactOutputTokens: tokens,
});

t.test("same seed and input give the same output; another seed or input differs", (t) => {
  const text = (seed: number, tokens = input) =>
    drain(createOutput({ seed, inputTokens: tokens, maxOutputTokens: 500 }))
      .map((e) => (e.type === "text" ? e.text : ""))
      .join("");
  t.equal(text(7), text(7));
  t.not(text(7), text(8));
  t.not(text(7), text(7, encode("Something else entirely.")));
  t.end();
});

t.test("exact length, cap, and real o200k tokens", (t) => {
  const exact = createOutput({
    seed: 1,
    inputTokens: input,
    maxOutputTokens: 1000,
    exactOutputTokens: 257,
  });
  const events = drain(exact);
  t.equal(events.length, 257);
  t.equal(exact.tokens, 257);
  t.equal(exact.finishReason, "stop");
  const text = events.map((e) => (e.type === "text" ? e.text : "")).join("");
  t.equal(decode(exact.tokenIds), text, "pieces are the decoded ids");
  t.match(text, /function|def |interface/, "code-like");
  // Output cut at a line end re-encodes to the same ids (cacheable by the next turn).
  const cut = text.lastIndexOf("\n\n") + 2;
  t.same(encode(text.slice(0, cut)), [
    ...exact.tokenIds.slice(0, encode(text.slice(0, cut)).length),
  ]);

  const capped = createOutput({
    seed: 1,
    inputTokens: input,
    maxOutputTokens: 10,
    exactOutputTokens: 50,
  });
  t.equal(drain(capped).length, 10);
  t.equal(capped.finishReason, "max_output_tokens");
  t.end();
});

const tools: FunctionTool[] = [
  {
    type: "function",
    name: "read_file",
    parameters: {
      type: "object",
      properties: {
        path: { type: "string" },
        start_line: { type: "integer", minimum: 1, maximum: 50 },
        mode: { type: "string", enum: ["text", "binary"] },
        recursive: { type: "boolean" },
      },
      required: ["path", "start_line", "mode"],
      additionalProperties: false,
    },
  },
  { type: "function", name: "run_tests", parameters: { type: "object", properties: {} } },
];

function call(events: OutputEvent[]) {
  const start = events.find((e) => e.type === "function_call.start");
  const done = events.find((e) => e.type === "function_call.done");
  return { start, done, text: events.some((e) => e.type === "text") };
}

t.test("function calls: named choice, required, hint, prompt; arguments match the schema", (t) => {
  const named = drain(
    createOutput({
      seed: 3,
      inputTokens: input,
      maxOutputTokens: 500,
      tools,
      toolChoice: { type: "function", name: "read_file" },
    }),
  );
  const { start, done, text } = call(named);
  t.notOk(text, "a call, no text");
  t.equal(start?.type === "function_call.start" && start.name, "read_file");
  t.ok(done?.type === "function_call.done");
  if (done?.type === "function_call.done") {
    const args = JSON.parse(done.arguments) as Record<string, unknown>;
    t.type(args.path, "string");
    t.ok(Number.isInteger(args.start_line) && (args.start_line as number) >= 1);
    t.ok(["text", "binary"].includes(args.mode as string));
    t.ok(Object.keys(args).every((k) => ["path", "start_line", "mode", "recursive"].includes(k)));
    const streamed = named
      .map((e) => (e.type === "function_call.arguments" ? e.text : ""))
      .join("");
    t.equal(streamed, done.arguments, "argument deltas add up to the arguments");
    t.match(done.callId, /^call_/);
  }

  const required = drain(
    createOutput({
      seed: 3,
      inputTokens: input,
      maxOutputTokens: 500,
      tools,
      toolChoice: "required",
    }),
  );
  t.ok(call(required).start, "required forces a call");
  const auto = drain(createOutput({ seed: 3, inputTokens: input, maxOutputTokens: 500, tools }));
  t.notOk(call(auto).start, "auto with an unrelated prompt answers in text");
  const hinted = drain(
    createOutput({
      seed: 3,
      inputTokens: input,
      maxOutputTokens: 500,
      tools,
      forceToolCall: "run_tests",
    }),
  );
  const hintedStart = call(hinted).start;
  t.equal(hintedStart?.type === "function_call.start" && hintedStart.name, "run_tests");
  const asked = drain(
    createOutput({
      seed: 3,
      inputTokens: encode("Please use read_file on the config."),
      maxOutputTokens: 500,
      tools,
    }),
  );
  const askedStart = call(asked).start;
  t.equal(askedStart?.type === "function_call.start" && askedStart.name, "read_file");
  const none = drain(
    createOutput({
      seed: 3,
      inputTokens: input,
      maxOutputTokens: 500,
      tools,
      toolChoice: "none",
      forceToolCall: true,
    }),
  );
  t.notOk(call(none).start, "tool_choice none wins over the hint");
  t.end();
});

t.test("auto calls a tool whose name's object the prompt mentions (SIM-12)", (t) => {
  const weather: FunctionTool[] = [
    {
      type: "function",
      name: "get_weather",
      parameters: {
        type: "object",
        properties: { location: { type: "string" } },
        required: ["location"],
      },
    },
    { type: "function", name: "listFiles", parameters: { type: "object", properties: {} } },
  ];
  const run = (prompt: string) =>
    call(
      drain(
        createOutput({
          seed: 3,
          inputTokens: encode(prompt),
          maxOutputTokens: 500,
          tools: weather,
          prompt,
        }),
      ),
    ).start;
  const asked = run("What's the weather like in San Francisco?");
  t.equal(asked?.type === "function_call.start" && asked.name, "get_weather");
  const plural = run("Which files are here?");
  t.equal(plural?.type === "function_call.start" && plural.name, "listFiles", "camelCase, plural");
  t.notOk(run("Say hello in one line."), "no tool's object: a text answer");
  t.notOk(run("Get me a coffee."), "a verb of the name alone is not its object");
  t.same(
    ["get_weather", "list_files", "exec_command", "run", "get_ids", "view-image", "readFile"].map(
      nameObject,
    ),
    ["weather", "file", "command", undefined, undefined, "image", "file"],
  );
  t.end();
});

t.test(
  "parallel calls: every tool asked for, capped by max_tool_calls, one without parallel (SIM-16)",
  (t) => {
    const tools: FunctionTool[] = ["get_weather", "get_time", "list_files"].map((name) => ({
      type: "function",
      name,
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    }));
    const prompt = "What are the weather and the time in Paris?";
    const names = (extra: Partial<Parameters<typeof createOutput>[0]>) =>
      drain(
        createOutput({
          seed: 5,
          inputTokens: encode(prompt),
          maxOutputTokens: 500,
          tools,
          prompt,
          ...extra,
        }),
      ).flatMap((e) => (e.type === "function_call.start" ? [e.name] : []));
    t.same(names({}), ["get_weather", "get_time"], "both asked-for tools, in request order");
    t.same(names({ maxToolCalls: 1 }), ["get_weather"], "max_tool_calls caps them");
    t.same(names({ parallelToolCalls: false }), ["get_weather"], "one without parallel calls");
    const capped = createOutput({
      seed: 5,
      inputTokens: encode(prompt),
      maxOutputTokens: 4,
      tools,
      prompt,
    });
    drain(capped);
    t.equal(capped.finishReason, "max_output_tokens", "the shared cap ends them");
    t.end();
  },
);

t.test("the per-token path hands out the same text as next(), taken at any cadence", (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1000 }),
      fc.integer({ min: 1, max: 1500 }),
      fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 8 }),
      (seed, tokens, takes) => {
        const options = exactly(seed, tokens);
        const pieces = drain(createOutput(options)).map((e) => (e.type === "text" ? e.text : "?"));
        const source = createOutput(options);
        const deltas: string[] = [];
        const expected: string[] = [];
        let handed = 0;
        for (let i = 0; ; i++) {
          // Advance a delta's worth of tokens (its size cycling through `takes`), then take it.
          const size = takes[i % takes.length]!;
          let n = 0;
          while (n < size && source.advanceText!()) n++;
          deltas.push(source.takeText!());
          expected.push(pieces.slice(handed, handed + n).join(""));
          handed += n;
          if (n < size) break;
        }
        return (
          handed === tokens &&
          deltas.join("") === pieces.join("") &&
          deltas.every((d, i) => d === expected[i]) &&
          source.takeText!() === "" &&
          source.next() === undefined &&
          source.tokenIds.join() === drainIds(options).join()
        );
      },
    ),
    { numRuns: 60 },
  );
  t.pass("each delta's text is its tokens' pieces joined, across block boundaries");
  t.end();
});

t.test("next() refuses to run past text advanced over and not taken", (t) => {
  const source = createOutput(exactly(3, 50));
  t.ok(source.advanceText!());
  t.throws(() => source.next(), /takeText/, "the advanced token's text would be lost");
  t.ok(source.takeText!().length > 0, "taking it clears the way");
  t.equal(source.next()?.type, "text");
  t.end();
});

function drainIds(options: Parameters<typeof createOutput>[0]): Int32Array {
  const source = createOutput(options);
  drain(source);
  return source.tokenIds;
}

t.test(
  "encodedText: the ids of the text's start that are its exact encoding, whole blocks",
  (t) => {
    let grown = 0;
    for (let seed = 0; seed < 40; seed++) {
      const tokens = 20 + seed * 60;
      const options = exactly(seed, tokens);
      const source = createOutput(options);
      let text = "";
      let ahead = 0;
      while (source.advanceText!()) {
        text += source.takeText!();
        const { tokens: n, chars } = source.encodedText!;
        if (n > source.tokens || chars > text.length) ahead++;
      }
      t.equal(ahead, 0, "never ahead of what was handed out");
      const { tokens: n, chars } = source.encodedText!;
      t.same([...source.tokenIds.slice(0, n)], encode(text.slice(0, chars)), `seed ${seed}`);
      if (chars > 0) {
        grown++;
        t.equal(text[chars - 1], "\n", "it ends a block: a line break");
      }
    }
    t.ok(grown >= 30, `a text of more than a block knows its start (${grown} of 40)`);
    t.end();
  },
);
