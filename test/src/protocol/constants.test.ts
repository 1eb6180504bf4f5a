// The protocol facts kept once in src/protocol say what spec/ says: the generated version,
// profiles and terminal events, and the hand-kept defaults.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import {
  CORE_MAX_MESSAGE_BYTES,
  CORE_PROFILE,
  DEFAULT_CONNECTION_MAX_AGE_MS,
  DEFAULT_CONTEXT_WINDOW_TOKENS,
  ERROR_REGISTRY,
  HOTLINE_PROFILE,
  isProfile,
  isTerminalEventType,
  PROFILES,
  SPEC_VERSION,
  TERMINAL_EVENT_TYPES,
} from "../../../src/protocol/index.js";
import { ROOT } from "../../helpers/repo.js";

/** A spec page with its line breaks folded, so a sentence reads as one line. */
function page(name: string): string {
  return readFileSync(join(ROOT, "spec", name), "utf8").replace(/\s+/g, " ");
}

const thousands = (n: number) => n.toLocaleString("en-US");

t.test("version and profiles are the spec's", async (t) => {
  const index = page("index.md");
  t.match(index, `Version: **${SPEC_VERSION} (draft)**. Subprotocol token: \`${HOTLINE_PROFILE}\``);
  t.same([...PROFILES], [CORE_PROFILE, HOTLINE_PROFILE]);
  for (const p of PROFILES) t.match(index, `| \`${p}\` |`, `${p} is in the profile table`);
  t.ok(isProfile("core") && isProfile("hotline.v1"));
  t.notOk(isProfile("http"), "http is a binding, not a WebSocket profile");
  for (const entry of Object.values(ERROR_REGISTRY)) {
    for (const p of entry.profiles) t.ok(isProfile(p), `${entry.code}: ${p}`);
  }
});

t.test("the terminal events are the ones spec/index.md defines", async (t) => {
  const sentence = /A \*terminal\* event is (.+?)\. A response/.exec(page("index.md"))?.[1] ?? "";
  const named = [...sentence.matchAll(/`([a-z._]+)`/g)].map((m) => m[1]).sort();
  t.same([...TERMINAL_EVENT_TYPES].sort(), named);
  for (const type of TERMINAL_EVENT_TYPES) t.ok(isTerminalEventType(type), type);
  t.notOk(isTerminalEventType("response.created"));
  t.notOk(isTerminalEventType("error"));
  t.notOk(isTerminalEventType(undefined));
});

t.test("the defaults are the figures spec/ gives", async (t) => {
  const session = page("session.md");
  t.match(session, `\`context_window_tokens\` ${thousands(DEFAULT_CONTEXT_WINDOW_TOKENS)}`);
  t.match(session, `\`connection_max_age_ms\` ${thousands(DEFAULT_CONNECTION_MAX_AGE_MS)}`);
  t.match(page("backend-simulation.md"), `${thousands(DEFAULT_CONTEXT_WINDOW_TOKENS)} tokens`);
  t.match(page("transport.md"), `up to ${thousands(CORE_MAX_MESSAGE_BYTES)} bytes`);
  t.match(
    ERROR_REGISTRY.websocket_connection_limit_reached.summary,
    `${DEFAULT_CONNECTION_MAX_AGE_MS / 60_000} minutes`,
  );
});
