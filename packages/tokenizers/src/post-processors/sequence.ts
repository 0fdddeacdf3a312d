// Sequence post-processor: runs several post-processors in order (Rust `processors::sequence`).
import type { Encoding } from "../encoding.js";
import type { PostProcessor } from "./post-processor.js";

/**
 * Chains post-processors (e.g. ByteLevel offset trimming then a template).
 * @example
 * ```ts
 * new PostProcessorSequence([new ByteLevelPostProcessor(), template]).toJSON();
 * ```
 */
export class PostProcessorSequence implements PostProcessor {
  constructor(readonly processors: PostProcessor[]) {}
  addedTokens(isPair: boolean): number {
    return this.processors.reduce((n, p) => n + p.addedTokens(isPair), 0);
  }
  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[] {
    let e = encodings;
    for (const p of this.processors) e = p.processEncodings(e, addSpecialTokens);
    return e;
  }
  toJSON(): Record<string, unknown> {
    return { type: "Sequence", processors: this.processors.map((p) => p.toJSON()) };
  }
}
