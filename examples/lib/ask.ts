// Examples' last step: the saved model, reloaded through its pipeline, answers what a person asks (--ask, or lines typed at a terminal).
import { createInterface } from "node:readline/promises";

/** Streams for `askAtTerminal`; tests pass their own, a run uses the process's. */
export interface AskStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Whether to read at all; by default only when both of the process's streams are a terminal. */
  interactive: boolean;
}

/**
 * Prints `text  →  answer` for each text given with `--ask` (before the run's JSON line, which stays the last line).
 * @example await answerEach(args.ask ?? [], async (s) => JSON.stringify(await clf.run(s)));
 */
export async function answerEach(texts: readonly string[], answer: (text: string) => Promise<string>, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  for (const text of texts) output.write(`${text}  →  ${await answer(text)}\n`);
}

/**
 * At a terminal, reads lines after the run and prints each one's answer until an empty line or end of input (Ctrl-D).
 * Without a terminal (CI, a pipe into another program) it returns at once, so scripts still read the JSON line last.
 * @example await askAtTerminal("Type an English sentence", async (s) => JSON.stringify(await ner.run(s)));
 */
export async function askAtTerminal(prompt: string, answer: (text: string) => Promise<string>, streams: Partial<AskStreams> = {}): Promise<number> {
  const input = streams.input ?? process.stdin;
  const output = streams.output ?? process.stdout;
  if (!(streams.interactive ?? (process.stdin.isTTY === true && process.stdout.isTTY === true))) return 0;
  output.write(`\n${prompt} (an empty line ends):\n`);
  const rl = createInterface({ input, output, terminal: false });
  let answered = 0;
  try {
    for await (const line of rl) {
      const text = line.trim();
      if (!text) break;
      output.write(`→ ${await answer(text)}\n`);
      answered++;
    }
  } finally {
    rl.close();
  }
  return answered;
}
