// The PostProcessor interface (adds special tokens, sets type ids) and the Rust crate's default `process` around it.
import { Encoding } from "../encoding.js";

/** A post-processing step (Rust `PostProcessor`). */
export interface PostProcessor {
  /** How many tokens this processor adds to a single sequence or a pair. */
  addedTokens(isPair: boolean): number;
  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[];
  /** The tokenizer.json object of this post-processor. */
  toJSON(): Record<string, unknown>;
}

/** Rust `PostProcessor::process`: sets sequence and type ids, runs the processor, merges the results. */
export function runPostProcessor(pp: PostProcessor, enc: Encoding, pair: Encoding | null, addSpecialTokens: boolean): Encoding {
  const encodings = pair ? [enc, pair] : [enc];
  encodings.forEach((e, i) => {
    e.setSequenceId(i);
    for (const o of e.overflowing) o.setSequenceId(i);
    e.typeIds = new Array(e.ids.length).fill(i);
  });
  // Like Rust's post_process, which takes the encodings by value: they are consumed here.
  return Encoding.merge(pp.processEncodings(encodings, addSpecialTokens), false, true);
}

/** An encoding made only of special tokens (post-processor insertions: offsets [0, 0], mask 1). */
export function specialEncoding(ids: number[], tokens: string[], typeId: number): Encoding {
  const e = new Encoding();
  e.ids = ids.slice();
  e.tokens = tokens.slice();
  e.typeIds = ids.map(() => typeId);
  e.wordIds = ids.map(() => null);
  e.setPackedOffsets(new Array<number>(ids.length * 2).fill(0));
  e.specialTokensMask = ids.map(() => 1);
  e.attentionMask = ids.map(() => 1);
  return e;
}
