/**
 * Static files of the playground (issue 7): `GET /` is the page, `/playground/*` its script and
 * styles, `/favicon.svg` (also at `/favicon.ico`) its icon, `/hotline-client.js` the browser
 * build of the client (`npm run build:browser`).
 * Read from the package folder on each request: a handful of small files, no cache to go stale.
 */
import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import { packageRoot } from "../../src/util/package-root.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".svg": "image/svg+xml",
};

const FILES: Record<string, string> = {
  "/": "playground/index.html",
  "/playground/playground.js": "playground/playground.js",
  "/playground/playground.css": "playground/playground.css",
  // The page links the SVG; /favicon.ico is where a browser looks on any other page.
  "/favicon.svg": "playground/favicon.svg",
  "/favicon.ico": "playground/favicon.svg",
  "/hotline-client.js": "dist/browser/hotline-client.js",
  "/hotline-client.js.map": "dist/browser/hotline-client.js.map",
};

/** Serves a playground file for `GET path`; false when the path is not one of them. */
export async function servePlayground(path: string, res: ServerResponse): Promise<boolean> {
  const file = FILES[path];
  if (file === undefined) return false;
  let body: Buffer;
  try {
    body = await readFile(join(packageRoot(), file));
  } catch {
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(`${file} is missing; run \`npm run build\` to build the browser client.\n`);
    return true;
  }
  res.writeHead(200, {
    "Content-Type": TYPES[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream",
    "Cache-Control": "no-cache",
  });
  res.end(body);
  return true;
}
