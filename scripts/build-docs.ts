/**
 * `npm run docs`: the published site in `site/`. It runs typedoc (typedoc.json) with the
 * spec pages and the getting-started pages as project documents. The API of the generated
 * protocol types is grouped by protocol area with the spec itself as the map: each spec page's
 * "Data types" list names the types that belong to it. Warnings fail the build. The schema
 * reference page (docs/generated/schema-reference.md) is one of `npm run generate`'s outputs.
 * The spec's ```mermaid sequence diagrams are drawn in the browser by mermaid, copied into
 * the site (nothing is fetched from elsewhere: the site works offline and from disk).
 */
import { copyFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  Application,
  Comment,
  CommentTag,
  Converter,
  type DeclarationReflection,
  type DocumentReflection,
  JSX,
  ReflectionKind,
  RendererEvent,
} from "typedoc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** mermaid's self-contained browser build (a classic script: module scripts fail on file://). */
const MERMAID_SOURCE = createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");
const MERMAID_ASSET = "assets/mermaid.min.js";

/**
 * Draws every `pre.mermaid` once the page is shown: typedoc keeps the body hidden until its
 * navigation has loaded, and mermaid measures text, which a hidden page cannot do (its own
 * run on `load`, which can come first, is turned off: drawing hidden, it stalled). The theme
 * follows the page's (light, dark or the system's).
 */
const MERMAID_INIT = `(() => {
  mermaid.startOnLoad = false;
  const draw = () => {
    const theme = document.documentElement.dataset.theme;
    const dark =
      theme === "dark" ||
      (theme !== "light" && window.matchMedia("(prefers-color-scheme: dark)").matches);
    mermaid.initialize({ startOnLoad: false, theme: dark ? "dark" : "default" });
    mermaid.run({ querySelector: "pre.mermaid" });
  };
  const shown = () => document.body.style.display !== "none";
  if (shown()) return draw();
  new MutationObserver((_, observer) => {
    if (!shown()) return;
    observer.disconnect();
    draw();
  }).observe(document.body, { attributes: true, attributeFilter: ["style"] });
})();`;

/** The part of markdown-it this script touches. */
interface MarkdownIt {
  renderer: { rules: Record<string, FenceRule | undefined> };
  utils: { escapeHtml(text: string): string };
}
type FenceRule = (
  tokens: { info: string; content: string }[],
  index: number,
  ...rest: unknown[]
) => string;

/** Renders ```mermaid fences as `<pre class="mermaid">` source, which mermaid replaces. */
function mermaidFences(parser: MarkdownIt): void {
  const fence = parser.renderer.rules.fence!;
  parser.renderer.rules.fence = (tokens, index, ...rest) => {
    const token = tokens[index]!;
    if (token.info.trim() !== "mermaid") return fence(tokens, index, ...rest);
    return `<pre class="mermaid">${parser.utils.escapeHtml(token.content)}</pre>\n`;
  };
}

/** Spec pages whose "Data types" sections name protocol types, and their area's name. */
const AREAS: Record<string, string> = {
  "transport.md": "Transport",
  "session.md": "Session",
  "responses.md": "Responses",
  "streaming.md": "Streaming",
  "interruption.md": "Interruption",
  "resume.md": "Resume",
  "fleet.md": "Fleet",
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
  TERMINAL_EVENT_TYPES: "Events",
  TerminalEventType: "Events",
  TerminalEvent: "Events",
  isTerminalEventType: "Events",
  HOTLINE_PROFILE: "Transport",
  CORE_PROFILE: "Transport",
  PROFILES: "Transport",
  Profile: "Transport",
  isProfile: "Transport",
  CORE_MAX_MESSAGE_BYTES: "Transport",
  DEFAULT_CONNECTION_MAX_AGE_MS: "Transport",
  DEFAULT_CONTEXT_WINDOW_TOKENS: "Session",
  SSE_DONE: "HTTP binding",
  CREATE_EVENT_ONLY_MEMBERS: "HTTP binding",
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
  app.options.setValue("highlightLanguages", [...app.options.getValue("highlightLanguages"), "sh"]);
  app.options.setValue("markdownItLoader", mermaidFences);
  // Pages with a diagram load mermaid and draw it; the others stay as they were.
  app.renderer.hooks.on("body.end", (context) => {
    const model = context.page.model;
    const text = model.isDocument() ? model.content.map((part) => part.text).join("") : "";
    if (!text.includes("```mermaid")) return JSX.createElement(JSX.Fragment, null);
    return JSX.createElement(
      JSX.Fragment,
      null,
      JSX.createElement("script", { src: context.relativeURL(MERMAID_ASSET) }),
      JSX.createElement("script", null, JSX.createElement(JSX.Raw, { html: MERMAID_INIT })),
    );
  });
  app.renderer.postRenderAsyncJobs.push(async (event) => {
    await copyFile(MERMAID_SOURCE, join(event.outputDirectory, MERMAID_ASSET));
  });
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
