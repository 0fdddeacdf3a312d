// ProgressCallback: the progress bar as a callback (HF's ProgressCallback / tqdm): a live bar on a TTY, plain lines otherwise.

import type { CallbackExtras, TrainerCallback } from "./trainer-callback.js";
import type { TrainingArguments } from "./training-args.js";
import type { TrainerControl, TrainerState } from "./trainer-state.js";

/** Where the bar writes: a stream with `write` and, on a terminal, `isTTY`. */
export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const fmtTime = (s: number): string => {
  if (!Number.isFinite(s)) return "?";
  s = Math.round(s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return (h ? `${h}:` : "") + `${String(m).padStart(h ? 2 : 1, "0")}:${String(sec).padStart(2, "0")}`;
};

/**
 * Shows the step count, rate, elapsed time, ETA, last loss and learning rate. On a TTY it redraws one line with a
 * bar (at most ~10 times a second); otherwise (logs, CI) it prints a plain line every `plainEverySeconds` and at the end.
 * @example new Trainer({ ..., callbacks: [new ProgressCallback({ stream: process.stderr })] }) // added by default unless disableTqdm
 */
export class ProgressCallback implements TrainerCallback {
  private readonly stream: ProgressStream;
  private readonly plainEvery: number;
  private start = 0;
  private lastDraw = 0;
  private loss: number | undefined;
  private lr: number | undefined;
  private lastLine = "";

  constructor(opts: { stream?: ProgressStream; plainEverySeconds?: number; now?: () => number } = {}) {
    this.stream = opts.stream ?? (process.stderr as ProgressStream);
    this.plainEvery = opts.plainEverySeconds ?? 10;
    if (opts.now) this.now = opts.now;
  }

  private now: () => number = () => performance.now() / 1000;

  onTrainBegin(): void {
    this.start = this.now();
    this.lastDraw = -Infinity;
  }

  onLog(_a: TrainingArguments, _s: TrainerState, _c: TrainerControl, extras: CallbackExtras): void {
    if (extras.logs?.loss !== undefined) this.loss = extras.logs.loss;
    if (extras.logs?.learning_rate !== undefined) this.lr = extras.logs.learning_rate;
    if (!this.stream.isTTY && extras.logs && Object.keys(extras.logs).some((k) => k.startsWith("eval_")))
      this.stream.write(`eval ${Object.entries(extras.logs).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(5)}`).join(" ")}\n`);
  }

  onStepEnd(_a: TrainingArguments, state: TrainerState): void {
    const t = this.now();
    const tty = this.stream.isTTY === true;
    const due = tty ? t - this.lastDraw >= 0.1 : t - this.lastDraw >= this.plainEvery;
    if (due || state.globalStep === state.maxSteps) this.draw(state, t);
  }

  onTrainEnd(_a: TrainingArguments, state: TrainerState): void {
    this.draw(state, this.now());
    if (this.stream.isTTY) this.stream.write("\n");
  }

  /** The text of the last line drawn (for tests and logs). */
  get line(): string {
    return this.lastLine;
  }

  private draw(state: TrainerState, t: number): void {
    this.lastDraw = t;
    const elapsed = t - this.start;
    const done = state.globalStep, total = state.maxSteps;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (total - done) / rate : Infinity;
    const extra = [this.loss !== undefined ? `loss=${this.loss.toFixed(4)}` : "", this.lr !== undefined ? `lr=${this.lr.toExponential(2)}` : ""].filter(Boolean).join(", ");
    const stats = `${done}/${total} [${fmtTime(elapsed)}<${fmtTime(eta)}, ${rate >= 1 || rate === 0 ? `${rate.toFixed(2)}it/s` : `${(1 / rate).toFixed(2)}s/it`}${extra ? ", " + extra : ""}]`;
    const pct = total > 0 ? done / total : 0;
    if (this.stream.isTTY) {
      const width = Math.max(10, Math.min(40, (this.stream.columns ?? 100) - stats.length - 8));
      const full = Math.floor(pct * width);
      const bar = "█".repeat(full) + (full < width ? " ".repeat(width - full) : "");
      this.lastLine = `${String(Math.floor(pct * 100)).padStart(3)}%|${bar}| ${stats}`;
      this.stream.write(`\r${this.lastLine}\x1b[K`);
    } else {
      this.lastLine = `step ${stats}`;
      this.stream.write(this.lastLine + "\n");
    }
  }
}
