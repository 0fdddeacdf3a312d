// The trainers' progress bars: drawn on stderr only when it is a terminal, as the Rust crate's indicatif bars are.

/** Where the bar goes: Node's process.stderr, or a stand-in in tests. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** A progress bar: `update(done)` redraws at most ~20 times per second, `finish()` ends the line. */
export interface Progress {
  update(done: number, total?: number): void;
  finish(): void;
}

const NONE: Progress = { update() {}, finish() {} };

function stderr(): ProgressStream | undefined {
  return (globalThis as { process?: { stderr?: ProgressStream } }).process?.stderr;
}

/**
 * A bar labelled like the Rust trainers' ("Compute merges"), or a no-op when `enabled` is false or the stream is not
 * a terminal (logs and CI get no `\r` frames).
 */
export function progress(enabled: boolean, label: string, total: number, stream: ProgressStream | undefined = stderr()): Progress {
  if (!enabled || !stream || stream.isTTY !== true) return NONE;
  let last = 0;
  let max = total;
  const draw = (done: number) => {
    const frac = max > 0 ? Math.min(1, done / max) : 1;
    const width = 30;
    const filled = Math.round(frac * width);
    stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${label} ${done}/${max}`);
  };
  return {
    update(done, newTotal) {
      if (newTotal !== undefined) max = newTotal;
      const now = Date.now();
      if (now - last < 50) return;
      last = now;
      draw(done);
    },
    finish() {
      draw(max);
      stream.write("\n");
    },
  };
}
