// Streaming generation as HF's TextStreamer / TextIteratorStreamer: text pieces as tokens are chosen, by callback or async iterator.
import type { Tensor } from "@tsorch/tensor";
import type { PreTrainedModel } from "../modeling-utils.js";
import type { PreTrainedTokenizer } from "../tokenization/tokenizer.js";
import type { GenerateCallOptions } from "./generate.js";

/**
 * Turns a stream of token ids (row 0 of a batch) into text pieces, as HF's `TextStreamer`: a piece is released at word
 * boundaries (or at a newline), so a multi-byte character or a word split into pieces is never printed half-way.
 * @example
 * const streamer = new TextStreamer(tok, (piece) => process.stdout.write(piece));
 * await model.generate(ids, { maxNewTokens: 50, onTokens: streamer.onTokens });
 * streamer.end();
 */
export class TextStreamer {
  #ids: number[] = [];
  #printed = 0;
  constructor(
    readonly tokenizer: PreTrainedTokenizer,
    readonly onText: (piece: string, final: boolean) => void,
    readonly opts: { skipSpecialTokens?: boolean } = { skipSpecialTokens: true },
  ) {}

  /** Pass as `generate`'s `onTokens`. */
  readonly onTokens = (tokens: number[]): void => {
    this.put(tokens[0]);
  };

  /** Adds one token and emits whatever text is now complete. */
  put(token: number): void {
    this.#ids.push(token);
    const text = this.tokenizer.decode(this.#ids, { skipSpecialTokens: this.opts.skipSpecialTokens ?? true, cleanUpTokenizationSpaces: false });
    let upTo: number;
    if (text.endsWith("\n")) upTo = text.length;
    else if (text.endsWith("\ufffd")) return;
    else upTo = text.lastIndexOf(" ") + 1;
    if (upTo > this.#printed) {
      this.onText(text.slice(this.#printed, upTo), false);
      this.#printed = upTo;
    }
  }

  /** Emits the rest of the text; call once generation has finished. */
  end(): void {
    const text = this.tokenizer.decode(this.#ids, { skipSpecialTokens: this.opts.skipSpecialTokens ?? true, cleanUpTokenizationSpaces: false });
    this.onText(text.slice(this.#printed), true);
    this.#ids = [];
    this.#printed = 0;
  }
}

/**
 * Generates from `inputIds` and yields text pieces as they are made (HF's `TextIteratorStreamer`), for pages and CLIs.
 * @example for await (const piece of streamText(model, tok, ids, { maxNewTokens: 40 })) process.stdout.write(piece);
 */
export async function* streamText(model: PreTrainedModel, tokenizer: PreTrainedTokenizer, inputIds: Tensor, opts: GenerateCallOptions = {}): AsyncGenerator<string> {
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  let failure: unknown = null;
  const streamer = new TextStreamer(tokenizer, (piece) => {
    if (piece) queue.push(piece);
    wake?.();
  });
  const run = model
    .generate(inputIds, { ...opts, onTokens: async (t, step) => {
      streamer.onTokens(t);
      await opts.onTokens?.(t, step);
      // Let the consumer run between steps, so pieces arrive while the model works.
      await new Promise((r) => setImmediate(r));
    } })
    .then(
      () => streamer.end(),
      (e) => (failure = e),
    )
    .finally(() => {
      done = true;
      wake?.();
    });
  while (true) {
    if (queue.length) {
      yield queue.shift()!;
      continue;
    }
    if (done) break;
    await new Promise<void>((r) => (wake = r));
    wake = null;
  }
  await run;
  if (failure) throw failure;
}
