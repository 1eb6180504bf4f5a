/**
 * The `--redis` address: `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS),
 * checked before anything connects so a typo is a one-line usage error, not a retry loop.
 */

/** A checked Redis address. */
export interface RedisAddress {
  /** The address as given (ioredis parses it). */
  readonly url: string;
  /** `host:port`, for messages (never the password). */
  readonly display: string;
}

/** Checks a Redis URL; throws a RangeError with a one-line reason when it is not one. */
export function parseRedisUrl(raw: string): RedisAddress {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RangeError(`--redis must be a URL like redis://127.0.0.1:6379, got '${raw}'`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new RangeError(`--redis must use redis:// or rediss://, got '${url.protocol}//'`);
  }
  if (url.hostname === "") throw new RangeError(`--redis names no host: '${raw}'`);
  const port = url.port === "" ? 6379 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`--redis port must be 1-65535, got '${url.port}'`);
  }
  const db = url.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d{1,2}$/.test(db)) {
    throw new RangeError(`--redis database must be a number (redis://host:port/0), got '${db}'`);
  }
  return { url: raw, display: `${url.hostname}:${port}` };
}
