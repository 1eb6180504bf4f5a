/**
 * `npm run docs`: the published site in `site/`. It runs typedoc (typedoc.json) with the
 * spec pages and the getting-started pages as project documents. The API of the generated
 * protocol types is grouped by protocol area with the spec itself as the map: each spec page's
 * "Data types" list names the types that belong to it. Warnings fail the build. The schema
 * reference page (docs/generated/schema-reference.md) is one of `npm run generate`'s outputs.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  Application,
  Comment,
  CommentTag,
  Converter,
  type DeclarationReflection,
  type DocumentReflection,
  ReflectionKind,
  RendererEvent,
} from "typedoc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Spec pages whose "Data types" sections name protocol types, and their area's name. */
const AREAS: Record<string, string> = {
  "transport.md": "Transport",
  "session.md": "Session",
  "responses.md": "Responses",
  "streaming.md": "Streaming",
  "interruption.md": "Interruption",
  "resume.md": "Resume",
  "errors.md": "Errors",
  "http-binding.md": "HTTP binding",
  "metrics-and-targets.md": "Metrics",
};

/** Hand-written protocol exports and their area. */
const EXTRA: Record<string, string> = {
  ProtocolError: "Errors",
  ErrorEnvelope: "Errors",
  ErrorContext: "Errors",
  lookupError: "Errors",
  ERROR_REGISTRY: "Errors",
  ErrorCode: "Errors",
  ErrorRegistryEntry: "Errors",
  ErrorEvent: "Errors",
  ErrorPayload: "Errors",
  ClientEvent: "Events",
  ServerEvent: "Events",
  ProtocolMessage: "Events",
  CLIENT_EVENT_TYPES: "Events",
  SERVER_EVENT_TYPES: "Events",
  HOTLINE_ONLY_CLIENT_EVENT_TYPES: "Events",
  HOTLINE_ONLY_SERVER_EVENT_TYPES: "Events",
  ClientEventType: "Events",
  ServerEventType: "Events",
  SPEC_VERSION: "Events",
};

/** Type name → area, read from the spec pages. */
function areasFromSpec(): Map<string, string> {
  const map = new Map<string, string>();
  for (const [page, area] of Object.entries(AREAS)) {
    const text = readFileSync(join(root, "spec", page), "utf8");
    const section = text.split(/^## Data types$/m)[1]?.split(/^## /m)[0] ?? "";
    for (const match of section.matchAll(/\[([A-Z][A-Za-z0-9]+)\]\(\.\.\/schemas\//g)) {
      if (!map.has(match[1]!)) map.set(match[1]!, area);
    }
  }
  for (const [name, area] of Object.entries(EXTRA)) map.set(name, area);
  return map;
}

async function main(): Promise<number> {
  const areas = areasFromSpec();
  const app = await Application.bootstrapWithPlugins({
    options: join(root, "typedoc.json"),
  });
  // JSON Schema keywords that json-schema-to-typescript copies into doc comments.
  app.options.setValue("blockTags", [
    ...app.options.getValue("blockTags"),
    "@minItems",
    "@maxItems",
  ]);
  app.options.setValue("highlightLanguages", [
    ...app.options.getValue("highlightLanguages"),
    "mermaid",
    "sh",
  ]);
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (_context, reflection) => {
    const declaration = reflection as DeclarationReflection;
    if (!declaration.kindOf(ReflectionKind.SomeExport)) return;
    const module = declaration.parent;
    if (!module?.kindOf(ReflectionKind.Module) || module.name !== "protocol") return;
    const area = areas.get(declaration.name);
    if (!area) return;
    declaration.comment ??= new Comment();
    if (declaration.comment.getTag("@category")) return;
    declaration.comment.blockTags.push(new CommentTag("@category", [{ kind: "text", text: area }]));
  });
  // The spec pages anchor every rule with raw HTML (`<a id="INT-2"></a>`), which typedoc's
  // link check does not see (it knows heading slugs only): register those ids before the
  // check runs, so links to rules are verified instead of reported as missing.
  app.renderer.on(
    RendererEvent.END,
    (event) => {
      for (const doc of event.project.getReflectionsByKind(ReflectionKind.Document)) {
        const text = (doc as DocumentReflection).content.map((part) => part.text).join("");
        const slugger = app.renderer.router!.getSlugger(doc) as unknown as {
          seen: Map<string, number>;
        };
        for (const match of text.matchAll(/<a id="([^"]+)"><\/a>/g)) {
          if (!slugger.seen.has(match[1]!)) slugger.seen.set(match[1]!, 0);
        }
      }
    },
    100,
  );
  const project = await app.convert();
  if (!project) return 1;
  app.validate(project);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) return 1;
  await app.generateDocs(project, app.options.getValue("out"));
  if (app.logger.hasErrors() || app.logger.hasWarnings()) return 1;
  console.log(`site/ written (${areas.size} protocol types grouped by area)`);
  return 0;
}

process.exitCode = await main();
