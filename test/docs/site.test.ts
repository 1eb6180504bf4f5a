/**
 * Issue 7, "What must hold": `npm run docs` builds the site with no typedoc warning (the build
 * treats warnings as errors and exits non-zero), and every link in the built site resolves: each
 * relative `href`/`src` of every HTML page names a file that exists and, when it has a
 * `#fragment`, an element with that id (or name) in the target page.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import t from "tap";
import { packageRoot } from "../../src/util/package-root.js";

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
