/**
 * The generated mirrors of `schemas/`: each target turns the schema set (and the error
 * registry) into one or more files. `scripts/generate.ts` writes them or, with `--check`,
 * reports the ones on disk that are stale.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "json-schema-to-typescript";
import { composedSchemas } from "./compose.js";
import { provenanceOf, SOURCE_NAMES } from "../../src/spec/provenance.js";
import { parseRequirements } from "../../src/spec/requirements.js";
import {
  isHotlineOnly,
  loadSchemaSet,
  relativeLink,
  rewriteRefs,
  type SchemaFile,
  type SchemaObject,
} from "./schema-set.js";

const BANNER = "Generated from schemas/ by `npm run generate`. Do not edit by hand.";
const PROVENANCE_BANNER =
  "Generated from src/spec/provenance.ts by `npm run generate`. Do not edit by hand.";

/** One generated file: its path from the repo root and its full expected content. */
export interface Output {
  path: string;
  content: string;
}

/** A generator: a name (`npm run generate:<name>`) and a function producing its outputs. */
export interface Target {
  name: string;
  outputs(root: string): Promise<Output[]>;
}

interface RegistryEntry {
  code: string;
  status: number;
  retryable: boolean;
  close_code: number | null;
  type: string;
  profiles: string[];
  since: string;
  deprecated?: string;
  summary: string;
}

/** The profile every WebSocket connection has unless it negotiates the subprotocol. */
const CORE_PROFILE = "core";

/**
 * The facts the whole protocol hangs on, read from their one source, `Session.json` (the
 * `version` and `protocol` a hotline.v1 session announces), and checked against the header
 * of spec/index.md and every schema's `$id`, so none of them can be hand-kept anywhere else.
 */
export function protocolFacts(
  root: string,
  set: SchemaFile[],
): { version: string; subprotocol: string } {
  const session = set.find((f) => f.path === "objects/Session.json");
  const props = session?.schema.properties as
    Record<string, { const?: unknown } | undefined> | undefined;
  const version = props?.version?.const;
  const subprotocol = props?.protocol?.const;
  if (typeof version !== "string" || typeof subprotocol !== "string") {
    throw new Error("schemas/objects/Session.json needs `version` and `protocol` consts");
  }
  const header = /^Version: \*\*([^ *]+)[^*]*\*\*\. Subprotocol token: `([^`]+)`/m.exec(
    readFileSync(join(root, "spec/index.md"), "utf8"),
  );
  if (header?.[1] !== version || header[2] !== subprotocol) {
    throw new Error(
      `spec/index.md's Version line (${header?.[1]}, ${header?.[2]}) disagrees with Session.json (${version}, ${subprotocol})`,
    );
  }
  const base = idBase(version);
  for (const f of set) {
    if (!f.schema.$id.startsWith(base)) throw new Error(`schemas/${f.path}: $id not under ${base}`);
  }
  return { version, subprotocol };
}

function idBase(version: string): string {
  return `https://hotline.dev/schemas/${version}/`;
}

/** The members of the `response.create` event that the HTTP create body does not have. */
function createEventOnlyMembers(set: SchemaFile[]): string[] {
  const props = (path: string) =>
    Object.keys((set.find((f) => f.path === path)?.schema.properties as object | undefined) ?? {});
  const body = new Set(props("objects/CreateResponseBody.json"));
  const only = props("client/response.create.json").filter((k) => !body.has(k));
  if (body.size === 0 || only.length === 0)
    throw new Error("response.create or its body is missing");
  return only;
}

/** Terminal server events: their schema's description opens with "Terminal" (spec/index.md). */
function terminalEvents(set: SchemaFile[]): string[] {
  return events(set, "server")
    .filter((f) => /^(Hotline: )?terminal\b/i.test(f.schema.description ?? ""))
    .map((f) => f.eventType as string);
}

function readRegistry(root: string): RegistryEntry[] {
  const file = join(root, "schemas/registry/errors.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { errors: RegistryEntry[] }).errors;
}

function events(set: SchemaFile[], kind: "client" | "server"): SchemaFile[] {
  return set.filter((f) => f.kind === kind);
}

function titleOf(set: SchemaFile[], path: string): string {
  const target = set.find((f) => f.path === path);
  if (!target) throw new Error(`$ref to schemas/${path}, which does not exist`);
  return target.schema.title;
}

/** The schema set as one document whose `$ref`s all point into `<defsKey>`. */
function inlineSet(set: SchemaFile[], defsPointer: string): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  for (const file of set) {
    const copy = rewriteRefs(file.schema, file.path, (path, fragment) => {
      return `${defsPointer}/${titleOf(set, path)}${fragment}`;
    }) as Record<string, unknown>;
    delete copy.$id;
    delete copy.$schema;
    defs[file.schema.title] = copy;
  }
  const union = (kind: "client" | "server", title: string, description: string) => ({
    title,
    description,
    oneOf: events(set, kind).map((f) => ({ $ref: `${defsPointer}/${f.schema.title}` })),
  });
  defs.ClientEvent = union("client", "ClientEvent", "Any event a client sends, by `type`.");
  defs.ServerEvent = union("server", "ServerEvent", "Any event a server sends, by `type`.");
  return defs;
}

/** Schemas composed from another schema (`schemas/compose/`); first, as the others read them. */
const compose: Target = {
  name: "compose",
  outputs: composedSchemas,
};

const types: Target = {
  name: "types",
  async outputs(root) {
    const set = loadSchemaSet(join(root, "schemas"));
    const schema = {
      title: "ProtocolMessage",
      description: "Any Hotline message, in either direction.",
      anyOf: [{ $ref: "#/definitions/ClientEvent" }, { $ref: "#/definitions/ServerEvent" }],
      definitions: inlineSet(set, "#/definitions"),
    };
    const options = {
      bannerComment: `/* ${BANNER} */`,
      additionalProperties: false,
      strictIndexSignatures: true,
      declareExternallyReferenced: true,
      unknownAny: true,
      format: true,
      style: { printWidth: 100, singleQuote: false, trailingComma: "all" as const },
      $refOptions: { resolve: { external: false } } as never,
    };
    let ts = await compile(schema as never, "ProtocolMessage", options);
    // Objects no event reaches (the HTTP-only bodies such as ModelList) are compiled one by one
    // against the same definitions: json-schema-to-typescript emits only reachable types.
    for (const file of set.filter((f) => f.kind === "object")) {
      const title = file.schema.title;
      if (new RegExp(`^export (interface|type) ${title}\\b`, "m").test(ts)) continue;
      const alone = await compile(
        { $ref: `#/definitions/${title}`, definitions: schema.definitions } as never,
        title,
        { ...options, bannerComment: "", declareExternallyReferenced: false },
      );
      ts += "\n" + alone.replace(/^export type \w+ = \w+;\n\n?/m, "");
    }
    return [{ path: "src/protocol/types.gen.ts", content: ts }];
  },
};

const schemaModule: Target = {
  name: "schemas",
  async outputs(root) {
    const set = loadSchemaSet(join(root, "schemas"));
    const map = (kind: "client" | "server") =>
      Object.fromEntries(events(set, kind).map((f) => [f.eventType, f.schema.$id]));
    const content = [
      `// ${BANNER}`,
      "// Every schema as data, so validators work without a file system (in browsers too).",
      "",
      "/** Every schema of the protocol, each with its absolute `$id`. */",
      `export const schemas: readonly Record<string, unknown>[] = ${JSON.stringify(
        set.map((f) => f.schema),
        null,
        2,
      )};`,
      "",
      "/** Client event `type` to the `$id` of its schema. */",
      `export const clientEventSchemaIds: Readonly<Record<string, string>> = ${JSON.stringify(map("client"), null, 2)};`,
      "",
      "/** Server event `type` to the `$id` of its schema. */",
      `export const serverEventSchemaIds: Readonly<Record<string, string>> = ${JSON.stringify(map("server"), null, 2)};`,
      "",
      "/** Object title to the `$id` of its schema. */",
      `export const objectSchemaIds: Readonly<Record<string, string>> = ${JSON.stringify(
        Object.fromEntries(
          set.filter((f) => f.kind === "object").map((f) => [f.schema.title, f.schema.$id]),
        ),
        null,
        2,
      )};`,
      "",
    ].join("\n");
    return [{ path: "src/protocol/schemas.gen.ts", content }];
  },
};

function stringList(name: string, doc: string, values: string[]): string {
  return [
    `/** ${doc} */`,
    `export const ${name} = [`,
    ...values.map((v) => `  ${JSON.stringify(v)},`),
    "] as const;",
  ].join("\n");
}

/** The enum of `Session.features`, read from the Session schema. */
function sessionFeatures(set: SchemaFile[]): string[] {
  const session = set.find((f) => f.path === "objects/Session.json");
  const features = (
    session?.schema.properties as { features?: { items?: { enum?: string[] } } } | undefined
  )?.features?.items?.enum;
  if (!features) throw new Error("schemas/objects/Session.json has no features enum");
  return features;
}

const registry: Target = {
  name: "registry",
  async outputs(root) {
    const set = loadSchemaSet(join(root, "schemas"));
    const errors = readRegistry(root);
    const codes = new Set<string>();
    for (const e of errors) {
      if (codes.has(e.code)) throw new Error(`error code '${e.code}' is registered twice`);
      codes.add(e.code);
    }
    const client = events(set, "client");
    const server = events(set, "server");
    const names = (files: SchemaFile[]) => files.map((f) => f.eventType as string);
    const { version, subprotocol } = protocolFacts(root, set);
    const terminal = terminalEvents(set);
    if (terminal.length === 0) throw new Error("no server event schema is marked terminal");
    const errorsTs = [
      `// ${BANNER}`,
      "// Source: schemas/registry/errors.json (the same file spec/errors.md's table comes from).",
      "",
      'import type { Profile } from "./events.gen.js";',
      "",
      "/** One registered error code: what it means on the wire and what a client should do. */",
      "export interface ErrorRegistryEntry {",
      "  readonly code: string;",
      "  /** HTTP-style status. */",
      "  readonly status: number;",
      "  /** Whether repeating the same request later can succeed. */",
      "  readonly retryable: boolean;",
      "  /** WebSocket close code for fatal errors; null when the session goes on. */",
      "  readonly closeCode: number | null;",
      "  /** The Open Responses `error.type` this code is reported with. */",
      "  readonly type: string;",
      "  readonly profiles: readonly Profile[];",
      "  readonly since: string;",
      "  readonly summary: string;",
      "}",
      "",
      "/** Every error code, keyed by code. */",
      "export const ERROR_REGISTRY = {",
      ...errors.map((e) =>
        [
          `  ${e.code}: {`,
          `    code: ${JSON.stringify(e.code)},`,
          `    status: ${e.status},`,
          `    retryable: ${e.retryable},`,
          `    closeCode: ${e.close_code === null ? "null" : e.close_code},`,
          `    type: ${JSON.stringify(e.type)},`,
          `    profiles: ${JSON.stringify(e.profiles)},`,
          `    since: ${JSON.stringify(e.since)},`,
          `    summary: ${JSON.stringify(e.summary)},`,
          "  },",
        ].join("\n"),
      ),
      "} as const satisfies Record<string, ErrorRegistryEntry>;",
      "",
      "/** A registered error code. */",
      "export type ErrorCode = keyof typeof ERROR_REGISTRY;",
      "",
    ].join("\n");
    const eventsTs = [
      `// ${BANNER}`,
      "",
      `/** The protocol version these constants were generated for. */`,
      `export const SPEC_VERSION = ${JSON.stringify(version)};`,
      "",
      "/** The WebSocket subprotocol token that selects the session layer. */",
      `export const HOTLINE_PROFILE = ${JSON.stringify(subprotocol)};`,
      "",
      "/** The profile of a WebSocket connection that does not negotiate the subprotocol. */",
      `export const CORE_PROFILE = ${JSON.stringify(CORE_PROFILE)};`,
      "",
      stringList("PROFILES", "The two WebSocket profiles.", [CORE_PROFILE, subprotocol]),
      "",
      "/** A WebSocket profile. */",
      "export type Profile = (typeof PROFILES)[number];",
      "",
      stringList(
        "TERMINAL_EVENT_TYPES",
        "The events that end a response (spec/index.md, Conventions): exactly one per response.",
        terminal,
      ),
      "",
      "/** A terminal event `type`. */",
      "export type TerminalEventType = (typeof TERMINAL_EVENT_TYPES)[number];",
      "",
      stringList(
        "CREATE_EVENT_ONLY_MEMBERS",
        "Members of `response.create` that the HTTP create body (CreateResponseBody) does not have.",
        createEventOnlyMembers(set),
      ),
      "",
      stringList("CLIENT_EVENT_TYPES", "Every client event `type`.", names(client)),
      "",
      stringList("SERVER_EVENT_TYPES", "Every server event `type`.", names(server)),
      "",
      stringList(
        "HOTLINE_ONLY_CLIENT_EVENT_TYPES",
        "Client events only the hotline.v1 profile accepts.",
        names(client.filter((f) => isHotlineOnly(f.schema))),
      ),
      "",
      stringList(
        "HOTLINE_ONLY_SERVER_EVENT_TYPES",
        "Server events a core-profile client never receives.",
        names(server.filter((f) => isHotlineOnly(f.schema))),
      ),
      "",
      stringList(
        "SESSION_FEATURES",
        "Every feature a server may advertise in `session.created` (Session.features).",
        sessionFeatures(set),
      ),
      "",
      "/** A client event `type`. */",
      "export type ClientEventType = (typeof CLIENT_EVENT_TYPES)[number];",
      "/** A server event `type`. */",
      "export type ServerEventType = (typeof SERVER_EVENT_TYPES)[number];",
      "",
    ].join("\n");
    return [
      { path: "src/protocol/errors.gen.ts", content: errorsTs },
      { path: "src/protocol/events.gen.ts", content: eventsTs },
    ];
  },
};

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

const bundle: Target = {
  name: "bundle",
  async outputs(root) {
    const set = loadSchemaSet(join(root, "schemas"));
    const { version } = protocolFacts(root, set);
    const doc = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: `${idBase(version)}bundle/hotline.schema.json`,
      $comment: BANNER,
      title: "HotlineProtocol",
      description: `Every Hotline ${version} message in one file, for other languages' tooling. A document is valid when it is any client or server event.`,
      anyOf: [{ $ref: "#/$defs/ClientEvent" }, { $ref: "#/$defs/ServerEvent" }],
      $defs: inlineSet(set, "#/$defs"),
    };
    return [{ path: "schemas/bundle/hotline.schema.json", content: json(doc) }];
  },
};

const asyncapi: Target = {
  name: "asyncapi",
  async outputs(root) {
    const set = loadSchemaSet(join(root, "schemas"));
    const { version } = protocolFacts(root, set);
    const schemas = inlineSet(set, "#/components/schemas");
    const messages: Record<string, unknown> = {};
    const channelMessages: Record<string, unknown> = {};
    const refsFor = (kind: "client" | "server") =>
      events(set, kind).map((f) => {
        const name = f.schema.title;
        messages[name] = {
          name: f.eventType,
          title: f.eventType,
          summary: f.schema.description,
          contentType: "application/json",
          payload: { $ref: `#/components/schemas/${name}` },
        };
        channelMessages[name] = { $ref: `#/components/messages/${name}` };
        return { $ref: `#/channels/responses/messages/${name}` };
      });
    const received = refsFor("client");
    const sent = refsFor("server");
    const doc = {
      asyncapi: "3.0.0",
      "x-generated": BANNER,
      info: {
        title: "Hotline",
        version,
        description:
          "Persistent-session event protocol for streaming AI responses. Core profile: the Open Responses 2026-04-24 WebSocket transport; `hotline.v1` subprotocol: the session layer. Described from the server's side: it receives client events and sends server events.",
        license: { name: "Apache-2.0" },
      },
      defaultContentType: "application/json",
      servers: {
        local: {
          host: "127.0.0.1:8080",
          protocol: "ws",
          description: "`npx hotline serve` with its defaults.",
        },
      },
      channels: {
        responses: {
          address: "/v1/responses",
          title: "Responses session",
          description:
            "One WebSocket connection. Offer `Sec-WebSocket-Protocol: hotline.v1` for the session layer; authenticate with `Authorization: Bearer` or the `hotline.bearer.<token>` subprotocol entry.",
          messages: channelMessages,
          bindings: { ws: { method: "GET" } },
        },
      },
      operations: {
        receiveClientEvents: {
          action: "receive",
          channel: { $ref: "#/channels/responses" },
          summary: "Events a client sends.",
          messages: received,
        },
        sendServerEvents: {
          action: "send",
          channel: { $ref: "#/channels/responses" },
          summary: "Events a server sends.",
          messages: sent,
        },
      },
      components: { messages, schemas },
    };
    return [{ path: "schemas/bundle/asyncapi.json", content: json(doc) }];
  },
};

/** Replaces the text between `<!-- BEGIN GENERATED: name -->` and its END marker. */
function fillMarkers(
  text: string,
  file: string,
  name: string,
  body: string,
  banner = BANNER,
): string {
  const begin = `<!-- BEGIN GENERATED: ${name} -->`;
  const end = `<!-- END GENERATED: ${name} -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} has no '${begin}' … '${end}' section`);
  const note = `<!-- ${banner} -->`;
  return `${text.slice(0, from + begin.length)}\n${note}\n\n${body}\n${text.slice(to)}`;
}

const specTables: Target = {
  name: "spec-tables",
  async outputs(root) {
    const set = loadSchemaSet(join(root, "schemas"));
    const errors = readRegistry(root);
    const errorsPath = "spec/errors.md";
    const errorTable = [
      "| code | status | retryable | close code | profiles | meaning |",
      "|---|---|---|---|---|---|",
      ...errors.map(
        (e) =>
          `| <a id="error-${e.code.replaceAll("_", "-")}"></a>\`${e.code}\` | ${e.status} | ${e.retryable ? "yes" : "no"} | ${e.close_code ?? "none"} | ${e.profiles.join(", ")} | ${e.deprecated ? `Deprecated: ${e.deprecated}. ` : ""}${e.summary} |`,
      ),
      "",
    ].join("\n");
    const indexPath = "spec/index.md";
    const { subprotocol } = protocolFacts(root, set);
    const row = (f: SchemaFile) =>
      `| \`${f.eventType}\` | ${f.kind === "client" ? "client → server" : "server → client"} | ${isHotlineOnly(f.schema) ? subprotocol : CORE_PROFILE} | [${f.schema.title}](${relativeLink(indexPath, `schemas/${f.path}`)}) |`;
    const catalogue = [
      "| event | direction | profile | schema |",
      "|---|---|---|---|",
      ...events(set, "client").map(row),
      ...events(set, "server").map(row),
      "",
    ].join("\n");
    const read = (p: string) => readFileSync(join(root, p), "utf8");
    return [
      {
        path: errorsPath,
        content: fillMarkers(read(errorsPath), errorsPath, "error-registry", errorTable),
      },
      {
        path: indexPath,
        content: fillMarkers(read(indexPath), indexPath, "event-catalogue", catalogue),
      },
    ];
  },
};

/** A markdown table cell: pipes escaped, one line. */
function mdCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/**
 * Where each requirement of spec/ comes from, from src/spec/provenance.ts: a table at the end
 * of every page's Rules (the requirements that restate Open Responses or OpenAI WebSocket mode,
 * or rest on something named; the rest listed as Hotline additions), and in conformance.md the
 * Open Responses clauses with every requirement that restates each.
 */
const provenance: Target = {
  name: "provenance",
  async outputs(root) {
    const specDir = join(root, "spec");
    const pages = readdirSync(specDir)
      .filter((f) => f.endsWith(".md"))
      .sort();
    const outputs: Output[] = [];
    const byClause = new Map<string, { keyword: string; ids: string[] }>();
    const read = (page: string) => readFileSync(join(specDir, page), "utf8");
    for (const page of pages) {
      const text = read(page);
      const reqs = parseRequirements(page, text);
      if (reqs.length === 0) continue;
      const rows: string[] = [];
      const plain: string[] = [];
      for (const r of reqs) {
        const p = provenanceOf(r.id);
        if (!p)
          throw new Error(`spec/${page}: ${r.id} has no provenance in src/spec/provenance.ts`);
        const link = `[${r.id}](#${r.id})`;
        if (p.source === "open-responses") {
          const entry = byClause.get(p.clause ?? "") ?? { keyword: p.keyword ?? "", ids: [] };
          entry.ids.push(`[${r.id}](${page}#${r.id})`);
          byClause.set(p.clause ?? "", entry);
          rows.push(
            `| ${link} | ${SOURCE_NAMES[p.source]} | ${p.keyword ?? ""} | ${mdCell(p.clause ?? "")} | ${mdCell(p.addition ?? "")} |`.replace(
              / {2}\|$/,
              " |",
            ),
          );
        } else if (p.source === "openai-ws" || p.clause !== undefined) {
          rows.push(`| ${link} | ${SOURCE_NAMES[p.source]} | | ${mdCell(p.clause ?? "")} | |`);
        } else {
          plain.push(link);
        }
      }
      const body = [
        ...(rows.length > 0
          ? [
              "| requirement | source | keyword there | clause, or what it rests on | Hotline adds |",
              "|---|---|---|---|---|",
              ...rows,
              "",
            ]
          : []),
        ...(plain.length > 0
          ? [
              `${rows.length > 0 ? "Every other requirement of this page" : "Every requirement of this page"} is a Hotline addition: ${plain.join(", ")}.`,
              "",
            ]
          : []),
      ].join("\n");
      outputs.push({
        path: `spec/${page}`,
        content: fillMarkers(text, `spec/${page}`, "provenance", body, PROVENANCE_BANNER),
      });
    }
    const conformance = outputs.find((o) => o.path === "spec/conformance.md");
    if (!conformance) throw new Error("spec/conformance.md has no requirements");
    const clauses = [
      "| requirements | keyword there | clause |",
      "|---|---|---|",
      ...[...byClause].map(
        ([clause, { keyword, ids }]) => `| ${ids.join(", ")} | ${keyword} | ${mdCell(clause)} |`,
      ),
      "",
    ].join("\n");
    conformance.content = fillMarkers(
      conformance.content,
      "spec/conformance.md",
      "open-responses-clauses",
      clauses,
      PROVENANCE_BANNER,
    );
    return outputs;
  },
};

const schemaReference: Target = {
  name: "schema-reference",
  async outputs(root) {
    const set = loadSchemaSet(join(root, "schemas"));
    const path = "docs/generated/schema-reference.md";
    const link = (to: string) => relativeLink(path, to);
    const cell = (text: string | undefined) =>
      (text ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");
    const section = (kind: SchemaFile["kind"], heading: string) => {
      const rows = set
        .filter((f) => f.kind === kind)
        .map((f) => {
          const name = f.path.split("/")[1]!.replace(/\.json$/, "");
          const exampleDir = join(root, "schemas/examples", name);
          const examples = existsSync(exampleDir)
            ? readdirSync(exampleDir)
                .filter((e) => e.endsWith(".json"))
                .sort()
                .map(
                  (e) => `[${e.replace(/\.json$/, "")}](${link(`schemas/examples/${name}/${e}`)})`,
                )
            : [];
          return `| [${name}](${link(`schemas/${f.path}`)}) | \`${f.schema.title}\` | ${cell(f.schema.description)} | ${examples.join(", ")} |`;
        });
      return [
        `## ${heading}`,
        "",
        "| schema | type | description | examples |",
        "|---|---|---|---|",
        ...rows,
        "",
      ].join("\n");
    };
    const content = [
      "---",
      "title: Schema reference",
      "---",
      "",
      `<!-- ${BANNER} -->`,
      "",
      "# Schema reference",
      "",
      "Every message and object of the protocol is one JSON Schema 2020-12 file; the TypeScript",
      "type of the same name is generated from it. Valid examples are checked by the tests.",
      `The whole set is also published as one [bundle](${link("schemas/bundle/hotline.schema.json")})`,
      `and as an [AsyncAPI document](${link("schemas/bundle/asyncapi.json")}); error codes are in the`,
      `[registry](${link("schemas/registry/errors.json")}).`,
      "",
      section("client", "Client events"),
      section("server", "Server events"),
      section("object", "Objects"),
    ].join("\n");
    return [{ path, content }];
  },
};

/** Every generator, in the order `npm run generate` runs them. */
export const targets: Target[] = [
  compose,
  types,
  schemaModule,
  registry,
  bundle,
  asyncapi,
  specTables,
  provenance,
  schemaReference,
];

export type { SchemaObject };
