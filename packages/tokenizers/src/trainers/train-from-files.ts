// Node-only: training a Tokenizer from text files read line by line with their line ends kept (Rust's `Tokenizer::train_from_files`).

import { createReadStream } from "node:fs";
import type { Tokenizer } from "../tokenizer.js";
import { trainFromIterator } from "./train-from-iterator.js";
import type { AnyTrainer } from "./any-trainer.js";

/**
 * Lines of the files, in order, each keeping its "\n" (and "\r"), streamed in chunks.
 * @example for await (const line of readLinesWithEnding(["corpus.txt"])) console.log(line)
 */
export async function* readLinesWithEnding(files: readonly string[]): AsyncGenerator<string> {
  for (const file of files) {
    let rest = "";
    for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 })) {
      const text = rest + (chunk as string);
      let start = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
        yield text.slice(start, nl + 1);
        start = nl + 1;
      }
      rest = text.slice(start);
    }
    if (rest.length > 0) yield rest;
  }
}

/**
 * Trains `tokenizer` on text files, one sequence per line (line ends included, as the Rust
 * library does), then installs the trained model. Python: `tokenizer.train(files, trainer)`.
 * @example await trainFromFiles(tok, ["wiki.train.raw"], new BpeTrainer({ specialTokens: ["[UNK]"] }))
 */
export async function trainFromFiles(tokenizer: Tokenizer, files: readonly string[], trainer: AnyTrainer): Promise<Tokenizer> {
  return trainFromIterator(tokenizer, readLinesWithEnding(files), trainer);
}
