/**
 * Entry point of the browser build (`npm run build:browser` → `dist/browser/hotline-client.js`):
 * the client, with the global `WebSocket` as its socket (the build swaps `default-socket.ts`
 * for `default-socket.browser.ts`, so `ws` is not bundled).
 *
 * @module
 */
export * from "./index.js";
