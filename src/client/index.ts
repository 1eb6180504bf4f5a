/**
 * The Hotline client: {@link HotlineClient} for WebSocket sessions (Node and browsers),
 * {@link HotlineHttpClient} for the HTTP binding, one {@link ResponseStream} handle for both.
 *
 * @module
 */
export type { ReconnectOptions } from "./backoff.js";
export { HotlineClient } from "./client.js";
export type {
  ConnectionInfo,
  ConnectionState,
  CreateParams,
  HotlineClientEvents,
  HotlineClientOptions,
  Profile,
} from "./client-types.js";
export type { Unsubscribe } from "./emitter.js";
export {
  type ClientErrorCode,
  errorFromEvent,
  HotlineClientError,
  SteerPendingError,
} from "./errors.js";
export { HotlineHttpClient, type HotlineHttpClientOptions } from "./http.js";
export type { ClientSocket, OpenSocketOptions, SocketFactory, SocketHandlers } from "./socket.js";
export { standardSocketFactory } from "./browser-socket.js";
export {
  type CancelOptions,
  codePoints,
  type ResponseEvent,
  ResponseStream,
  type SteerOptions,
} from "./stream.js";
