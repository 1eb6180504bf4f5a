/**
 * Corking a connection's socket until the end of the current turn of the event loop, so the
 * frames one turn sends on it (a response's first events, its last delta and the four
 * terminal events, a multiplexed session's deltas of one scheduler wake) leave in one `writev`
 * instead of one syscall each. ws corks each frame's header and payload together; an outer
 * cork holds every frame of the turn, and ws's own uncork then only lowers the count. Each
 * frame is still its own WebSocket frame: this changes the syscalls, not the framing.
 */

/** The part of a socket (net or TLS) a cork needs. */
export interface Corkable {
  cork(): void;
  uncork(): void;
  /** Set once the socket is destroyed: nothing is corked then. */
  readonly destroyed: boolean;
}

/** The uncorks of the sockets corked in this turn, run together when it ends. */
const pending: (() => void)[] = [];
let flushScheduled = false;

function uncorkAll(): void {
  flushScheduled = false;
  // An uncork runs write callbacks that may cork a socket again: those wait for a fresh tick.
  const uncorks = pending.splice(0);
  for (const uncork of uncorks) uncork();
}

/**
 * Sends what this turn corked so far, now rather than at the turn's end; later writes of the
 * turn cork again. The scheduler calls it between a wake's deltas and the ends of the responses
 * that finished in it, so the deltas do not wait for that work.
 */
export function sendCorkedWrites(): void {
  uncorkAll();
}

/**
 * A cork for `socket`: call it before each write; the first call of a turn corks the socket
 * and the end of the turn (`process.nextTick`, before any I/O) uncorks it. One closure per
 * connection, nothing allocated per write.
 */
export function turnCork(socket: Corkable): () => void {
  let held = false;
  const uncork = (): void => {
    held = false;
    if (!socket.destroyed) socket.uncork();
  };
  return () => {
    if (held || socket.destroyed) return;
    held = true;
    socket.cork();
    pending.push(uncork);
    if (!flushScheduled) {
      flushScheduled = true;
      process.nextTick(uncorkAll);
    }
  };
}
