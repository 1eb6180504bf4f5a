/**
 * Issue 7, "What must hold": the playground in real headless Chromium, using the browser build
 * of the client against the reference server that serves it: a response streams, Stop ends it,
 * Steer ends one and streams its successor,
 * the panel shows a time to first token, the SSE transport streams too, and a screenshot of
 * the page is not blank (its pixels vary, not merely its file size); the page has an icon
 * (no favicon 404), and tokens/s counts tokens (usage over decode time), not deltas.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { inflateSync } from "node:zlib";
import t from "tap";
import { chromium } from "playwright-core";
import { startServer } from "../../reference-server/index.js";
import { packageRoot } from "../../src/util/package-root.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Standard deviation of the luma of an 8-bit RGB(A) PNG, decoded with zlib alone. */
export function pngLumaStdDev(png: Buffer): number {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("ascii", offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8) throw new Error("only 8-bit PNGs");
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      if (channels === 0) throw new Error(`unsupported PNG colour type ${data[9]}`);
    } else if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  let previous = Buffer.alloc(stride);
  let sum = 0;
  let sumSq = 0;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? line[x - channels]! : 0;
      const b = previous[x]!;
      const c = x >= channels ? previous[x - channels]! : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][
        filter
      ]!;
      line[x] = (line[x]! + predictor) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const i = x * channels;
      const luma = 0.299 * line[i]! + 0.587 * line[i + 1]! + 0.114 * line[i + 2]!;
      sum += luma;
      sumSq += luma * luma;
    }
    previous = line;
  }
  const n = width * height;
  return Math.sqrt(Math.max(0, sumSq / n - (sum / n) ** 2));
}

t.test("the playground streams, stops and shows TTFT in headless Chromium", async (t) => {
  if (!existsSync(`${packageRoot()}/dist/browser/hotline-client.js`)) {
    execFileSync("npx", ["tsx", "scripts/build-browser.ts"], { cwd: packageRoot() });
  }
  const server = await startServer({
    logLevel: "silent",
    hotline: true,
    backend: { tiers: { wafer: { decodeTokensPerSecond: 200 } } },
  } as Parameters<typeof startServer>[0]);
  t.teardown(() => server.close());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const failed: string[] = [];
  page.on("response", (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${server.url}/`);
  t.equal(await page.title(), "Hotline playground");

  // The icon: linked from the page, served by the static route (at /favicon.ico too).
  const icon = await page.evaluate(
    () => document.querySelector('link[rel="icon"]')?.getAttribute("href") ?? null,
  );
  t.ok(icon, "the page links an icon");
  for (const path of [icon ?? "/favicon.svg", "/favicon.ico"]) {
    const res = await fetch(new URL(path, server.url));
    t.equal(res.status, 200, `${path} is served`);
    t.equal(res.headers.get("content-type"), "image/svg+xml", `${path} is SVG`);
    t.match(await res.text(), /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, `${path} body`);
  }

  // WebSocket: stream, then Stop mid-stream.
  await page.fill("#length", "5000");
  await page.click("#send");
  await page.waitForFunction(() => document.getElementById("output")!.textContent!.length > 80);
  const ttft = await page.textContent("#m-ttft");
  t.match(ttft, /^\d+(\.\d+)? ms$/, `the panel shows a TTFT (${ttft})`);
  t.match(await page.textContent("#m-transport"), /WebSocket \(hotline\.v1\)/);
  t.notOk(await page.isDisabled("#stop"), "Stop is enabled while streaming");
  await page.click("#stop");
  await page.waitForFunction(
    () => document.getElementById("m-status")!.textContent === "cancelled",
    undefined,
    { timeout: 10_000 },
  );
  const stoppedText = (await page.textContent("#output"))!;
  const tokens = Number(await page.textContent("#m-tokens"));
  t.ok(tokens > 0 && tokens < 5000, `Stop ended the response early (${tokens} tokens)`);
  t.ok(await page.isEnabled("#send"), "Send is enabled again");
  t.equal(await page.textContent("#output"), stoppedText, "no text after Stop");
  t.match(await page.textContent("#m-tps"), /^\d+$/, "tokens/s shown");

  // Steer (OpenAI's response.steer through the client): the running response ends, reason
  // steered, and its successor streams under the marker until it completes.
  await page.fill("#length", "5000");
  await page.click("#send");
  await page.waitForFunction(
    (before) => document.getElementById("output")!.textContent!.length > 80 && before !== null,
    stoppedText,
  );
  t.notOk(await page.isDisabled("#steer"), "Steer is enabled while streaming");
  await page.fill("#steer-input", "Make it shorter.");
  await page.click("#steer");
  await page.waitForFunction(
    () => document.getElementById("m-status")!.textContent === "completed",
    undefined,
    { timeout: 20_000 },
  );
  const steeredText = (await page.textContent("#output"))!;
  const [, after] = steeredText.split("--- steered ---");
  t.ok(after !== undefined && after.trim().length > 0, "the successor streamed after the marker");

  // SSE: the same page over the HTTP binding.
  await page.selectOption("#transport", "sse");
  await page.fill("#length", "60");
  await page.click("#send");
  await page.waitForFunction(
    () => document.getElementById("m-status")!.textContent === "completed",
    undefined,
    { timeout: 10_000 },
  );
  t.equal(await page.textContent("#m-transport"), "SSE");
  t.match(await page.textContent("#m-ttft"), /^\d+(\.\d+)? ms$/);
  t.equal(await page.textContent("#m-tokens"), "60");

  const png = await page.screenshot({ fullPage: true });
  const spread = pngLumaStdDev(png);
  t.ok(spread > 10, `the screenshot is not blank (luma std dev ${spread.toFixed(1)})`);
  t.same(errors, [], "no page errors");
  // Headless Chromium fetches no favicon by itself: the icon is checked above, this catches
  // any other missing file.
  t.same(failed, [], "no request of the page failed");
});

t.test("tokens/s counts tokens, not deltas, at the wafer's 1,200 tok/s", async (t) => {
  // At 1,200 tok/s a delta often holds two or more tokens (every token that came due since
  // the last one): deltas over time showed about half the real rate.
  const server = await startServer({ logLevel: "silent" });
  t.teardown(() => server.close());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`${server.url}/`);
  await page.fill("#length", "3000");
  await page.click("#send");
  await page.waitForFunction(
    () => document.getElementById("m-status")!.textContent === "completed",
    undefined,
    { timeout: 20_000 },
  );
  t.equal(await page.textContent("#m-tokens"), "3000", "the token count is the usage's");
  const tps = Number(await page.textContent("#m-tps"));
  t.ok(tps >= 900 && tps <= 1500, `tokens/s ${tps} is about the decode rate of 1,200`);
});
