// The one SSE parser: fields by the SSE rules, blocks split off a growing text on either
// line ending, and the [DONE] message recognised.
import t from "tap";
import { isSseDone, parseSseBody, splitSseBlocks, sseFields } from "../../../src/protocol/sse.js";

t.test(
  "fields: event, id and joined data; comments skipped; one leading space dropped",
  async (t) => {
    t.same(sseFields('event: response.created\ndata: {"a":1}'), {
      event: "response.created",
      id: null,
      data: '{"a":1}',
    });
    t.same(sseFields("data:x\ndata:  y\r\nid: 7"), { event: null, id: "7", data: "x\n y" });
    t.equal(sseFields(": keep-alive"), null, "a comment-only block is no message");
  },
);

t.test("blocks are split off a growing text, the unfinished tail kept", async (t) => {
  const first = splitSseBlocks("data: 1\n\ndata: 2\r\n\r\ndata: 3");
  t.same(first.blocks, ["data: 1", "data: 2"]);
  t.equal(first.rest, "data: 3");
  const second = splitSseBlocks(`${first.rest}\n\n`);
  t.same(second.blocks, ["data: 3"]);
  t.equal(second.rest, "");
});

t.test(
  "a whole body: every message, [DONE] recognised, an unterminated last one kept",
  async (t) => {
    const messages = parseSseBody("event: e\ndata: {}\n\n: ping\n\ndata: [DONE]\n\ndata: tail");
    t.same(
      messages.map((m) => m.data),
      ["{}", "[DONE]", "tail"],
    );
    t.same(
      messages.map((m) => isSseDone(m)),
      [false, true, false],
    );
  },
);
