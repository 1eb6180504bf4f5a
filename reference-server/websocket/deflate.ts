/**
 * permessage-deflate with bounded memory (TRANSPORT-21). ws's defaults give every connection a
 * zlib deflate stream with a 32 KiB window and memory level 8 (~256 KiB held while idle,
 * measured by `hotline bench --scenario idle-deflate`) against ~5 KiB for a connection without
 * it. A smaller server window and memory level keep most of the saving on the wire (the
 * repeated JSON of consecutive events lies within a few hundred bytes), and a cap per principal
 * bounds what one token can make the server hold: past it, the extension is declined in the
 * handshake and the connection proceeds uncompressed.
 */
import type { IncomingMessage } from "node:http";
import type { PerMessageDeflateOptions } from "ws";

/** How permessage-deflate is offered when enabled. */
export interface DeflateOptions {
  /** The server's LZ77 window, as `server_max_window_bits` (8–15; default 11, 2 KiB). */
  windowBits?: number;
  /** zlib's memory level for the server's compressor (1–9; default 4). */
  memLevel?: number;
  /** Connections of one principal that may use the extension at once (default 256). */
  maxPerPrincipal?: number;
}

/** The defaults of {@link DeflateOptions}. */
export const DEFLATE_DEFAULTS: Required<DeflateOptions> = {
  windowBits: 11,
  memLevel: 4,
  maxPerPrincipal: 256,
};

/** The ws options for `options` (its defaults filled in). */
export function wsDeflateOptions(options: DeflateOptions = {}): PerMessageDeflateOptions {
  const { windowBits, memLevel } = { ...DEFLATE_DEFAULTS, ...options };
  return {
    // Every event is compressed (they are small and alike), fast (level 1), and at most 16
    // zlib operations run at once across the server.
    threshold: 0,
    serverMaxWindowBits: windowBits,
    zlibDeflateOptions: { level: 1, memLevel },
    concurrencyLimit: 16,
  };
}

/**
 * Counts each principal's deflate connections. {@link admit} is called before the upgrade: under
 * the cap it takes a slot (returning its release); at the cap it strips the client's extension
 * offer from the request, so ws negotiates none.
 */
export class DeflateSlots {
  readonly #max: number;
  readonly #windowBits: number;
  readonly #held = new Map<string, number>();

  /** Creates the counter for `options` (its defaults filled in). */
  constructor(options: DeflateOptions = {}) {
    this.#max = options.maxPerPrincipal ?? DEFLATE_DEFAULTS.maxPerPrincipal;
    this.#windowBits = options.windowBits ?? DEFLATE_DEFAULTS.windowBits;
  }

  /** Takes a slot for a request offering the extension, or declines the offer at the cap. */
  admit(request: IncomingMessage, principal: string): (() => void) | undefined {
    const offer = request.headers["sec-websocket-extensions"];
    if (offer === undefined) return undefined;
    const held = this.#held.get(principal) ?? 0;
    // ws refuses the whole handshake (400) when an offer asks for a smaller server window than
    // ours; such a client is served uncompressed instead.
    if (held >= this.#max || asksSmallerWindow(offer, this.#windowBits)) {
      delete request.headers["sec-websocket-extensions"];
      return undefined;
    }
    this.#held.set(principal, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.#held.get(principal) ?? 1) - 1;
      if (now === 0) this.#held.delete(principal);
      else this.#held.set(principal, now);
    };
  }

  /** Connections of `principal` holding a slot now. */
  heldBy(principal: string): number {
    return this.#held.get(principal) ?? 0;
  }
}

/** Whether an extension offer asks for a server window below `windowBits`. */
function asksSmallerWindow(offer: string, windowBits: number): boolean {
  for (const match of offer.matchAll(/server_max_window_bits\s*=\s*"?(\d+)/g)) {
    if (Number(match[1]) < windowBits) return true;
  }
  return false;
}
