/**
 * Issue 7, "What must hold": `npm run docs` builds the site with no typedoc warning (the build
 * treats warnings as errors and exits non-zero), and every link in the built site resolves: each
 * relative `href`/`src` of every HTML page names a file that exists and, when it has a
 * `#fragment`, an element with that id (or name) in the target page. In a real browser, every
 * spec page's sequence diagrams are drawn as SVG, not shown as source.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium } from "playwright-core";
import t from "tap";
import { packageRoot } from "../../src/util/package-root.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"];
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

const root = packageRoot();
const site = join(root, "site");

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return htmlFiles(path);
    return entry.name.endsWith(".html") ? [path] : [];
  });
}

const idCache = new Map<string, Set<string>>();
function idsOf(file: string): Set<string> {
  let ids = idCache.get(file);
  if (!ids) {
    const html = readFileSync(file, "utf8");
    ids = new Set([...html.matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => m[1]!));
    idCache.set(file, ids);
  }
  return ids;
}

const decode = (s: string) =>
  s
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

t.test("npm run docs builds the site without warnings", async (t) => {
  let output: string;
  try {
    output = execFileSync("npx", ["tsx", "scripts/build-docs.ts"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    t.fail(`the docs build failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
    return;
  }
  t.notMatch(output, /warning/i, "no warnings");
  t.ok(existsSync(join(site, "index.html")), "site/index.html");
  for (const page of [
    "Server_implementers",
    "Client_authors",
    "Spec_readers",
    "Schema_reference",
    "spec_session",
    "spec_resume",
  ]) {
    t.ok(existsSync(join(site, "documents", `${page}.html`)), `document ${page}`);
  }
  t.ok(
    existsSync(join(site, "classes", "client.HotlineClient.html")),
    "HotlineClient is documented",
  );
  t.ok(existsSync(join(site, "media", "asyncapi.json")), "the AsyncAPI document is published");
  const protocol = readFileSync(join(site, "modules", "protocol.html"), "utf8");
  for (const area of ["Session", "Interruption", "Resume", "Streaming", "Errors"]) {
    t.match(protocol, new RegExp(`>${area}<`), `protocol API grouped under ${area}`);
  }
});

t.test("every link in the built site resolves", async (t) => {
  const pages = htmlFiles(site);
  t.ok(pages.length > 50, `${pages.length} pages`);
  const broken: string[] = [];
  let checked = 0;
  for (const page of pages) {
    const html = readFileSync(page, "utf8");
    for (const match of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const link = decode(match[1]!);
      if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(link)) continue; // external: not fetched
      checked++;
      const [pathPart, fragment] = link.split("#", 2) as [string, string | undefined];
      const path = pathPart.split("?", 1)[0]!;
      let target = path === "" ? page : join(dirname(page), decodeURIComponent(path));
      if (existsSync(target) && statSync(target).isDirectory()) target = join(target, "index.html");
      const where = `${relative(site, page)} → ${link}`;
      if (!existsSync(target)) {
        broken.push(`${where} (no file)`);
        continue;
      }
      if (
        fragment &&
        target.endsWith(".html") &&
        !idsOf(target).has(decodeURIComponent(fragment))
      ) {
        broken.push(`${where} (no anchor)`);
      }
    }
  }
  t.ok(checked > 1000, `${checked} relative links checked`);
  t.same(broken.slice(0, 20), [], `${broken.length} broken links`);
});

t.test("spec pages draw their sequence diagrams in a browser", async (t) => {
  const pages = readdirSync(join(site, "documents")).filter((name) => name.startsWith("spec_"));
  const sources = readdirSync(join(root, "spec"))
    .filter((name) => name.endsWith(".md"))
    .reduce((n, name) => {
      const text = readFileSync(join(root, "spec", name), "utf8");
      return n + (text.match(/^```mermaid$/gm) ?? []).length;
    }, 0);
  t.ok(sources > 10, `${sources} diagrams in spec/`);
  // The site as published: static files over HTTP (typedoc's icons do not load from file://).
  const server = createServer((req, res) => {
    const path = join(site, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    if (!path.startsWith(site) || !existsSync(path) || statSync(path).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[path.slice(path.lastIndexOf("."))] ?? "" });
    res.end(readFileSync(path));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("requestfailed", (request) => errors.push(`failed: ${request.url()}`));
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  let drawn = 0;
  for (const name of pages) {
    await page.goto(`${base}/documents/${name}`);
    const count = await page.evaluate(
      () => document.querySelectorAll("pre.mermaid, pre > code.mermaid").length,
    );
    if (count === 0) continue;
    // Drawn: the <pre> holds mermaid's finished <svg> (mermaid draws inside it, and names the
    // diagram's kind, `sequence` or `error`, last). A page that loads no mermaid draws nothing.
    await page
      .waitForFunction(
        () =>
          !("mermaid" in window) ||
          [...document.querySelectorAll("pre.mermaid, pre > code.mermaid")].every((e) =>
            e.querySelector("svg[aria-roledescription]"),
          ),
        undefined,
        { timeout: 15_000 },
      )
      .catch(() => {});
    const diagrams = await page.evaluate(() =>
      [...document.querySelectorAll("pre.mermaid, pre > code.mermaid")].map((e) => {
        const svg = e.querySelector("svg[aria-roledescription]");
        const box = svg?.getBoundingClientRect();
        return {
          kind: svg?.getAttribute("aria-roledescription") ?? null,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          raw: (e.textContent ?? "").trimStart().startsWith("sequenceDiagram"),
        };
      }),
    );
    for (const [i, d] of diagrams.entries()) {
      t.match(d, { kind: "sequence", raw: false }, `${name} #${i + 1} is a drawn sequence diagram`);
      t.ok(
        d.width > 200 && d.height > 100,
        `${name} #${i + 1} has a size (${d.width}×${d.height})`,
      );
    }
    drawn += diagrams.filter((d) => d.kind === "sequence").length;
  }
  t.equal(drawn, sources, "every diagram of spec/ is drawn");

  // The issue's own example: the "Message flow" of the session page shows a picture.
  await page.goto(`${base}/documents/spec_session.html`);
  await page
    .waitForFunction(
      () =>
        !("mermaid" in window) ||
        document.querySelector("#message-flow ~ pre svg[aria-roledescription]"),
      undefined,
      { timeout: 15_000 },
    )
    .catch(() => {});
  const flow = await page.evaluate(() => {
    const parts: Element[] = [];
    let node = document.getElementById("message-flow")?.nextElementSibling;
    while (node && node.tagName !== "H2") {
      parts.push(node);
      node = node.nextElementSibling;
    }
    return {
      svgs: parts.flatMap((e) => [...e.querySelectorAll("svg")]).length,
      text: parts.map((e) => (e as HTMLElement).innerText).join("\n"),
    };
  });
  t.ok(flow.svgs > 0, "Message flow shows an <svg>");
  t.notMatch(flow.text, /sequenceDiagram|participant C as Client/, "and not the raw source");
  t.same(errors, [], "no page error, nothing fetched that is missing");
});
