/** A one-line progress bar on stderr, drawn only when stderr is a terminal. */
import type { BenchProgress } from "./runner.js";

/** Returns a progress callback and a function that clears the line at the end. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): {
  update: (p: BenchProgress) => void;
  done: () => void;
} {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 50 && p.done < p.total) return;
      last = now;
      const width = 30;
      const filled = Math.round((width * p.done) / Math.max(1, p.total));
      const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
      const pct = Math.floor((100 * p.done) / Math.max(1, p.total));
      const text = `${bar} ${pct}%  rtt ${p.rttMs} ms · ${p.deployment} · rep ${p.rep} · ${p.transport} · turn ${p.turn}`;
      stream.write(`\r${text.slice(0, (stream.columns ?? 100) - 1)}\x1b[K`);
    },
    done() {
      stream.write("\r\x1b[K");
    },
  };
}
