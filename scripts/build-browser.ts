/**
 * Builds the browser bundle of the client: `dist/browser/hotline-client.js` (ESM, ES2022), the
 * script the playground loads. `ws` never enters it: `default-socket.js` resolves to its
 * browser twin, which uses the global `WebSocket`.
 */
import { build, type Plugin } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const browserSocket: Plugin = {
  name: "hotline-browser-socket",
  setup(b) {
    b.onResolve({ filter: /\/default-socket\.js$/ }, (args) => ({
      path: join(args.resolveDir, "default-socket.browser.ts"),
    }));
  },
};

const result = await build({
  entryPoints: [join(root, "src/client/browser.ts")],
  outfile: join(root, "dist/browser/hotline-client.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  sourcemap: true,
  legalComments: "none",
  plugins: [browserSocket],
  // A Node built-in in the bundle means a server-only module leaked in: fail loudly.
  external: [],
  logLevel: "warning",
  metafile: true,
});
const inputs = Object.keys(result.metafile.inputs);
const leaked = inputs.filter((path) =>
  /node_modules\/ws\/|node-socket|validate\.ts|ajv/.test(path),
);
if (leaked.length > 0) {
  console.error(`browser bundle pulled in server-only modules: ${leaked.join(", ")}`);
  process.exit(1);
}
console.log(`dist/browser/hotline-client.js (${inputs.length} modules)`);
