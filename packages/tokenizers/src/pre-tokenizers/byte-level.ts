// ByteLevel pre-tokenizer: GPT-2's regex split and byte-to-unicode mapping (Rust `pre_tokenizers::byte_level`).
import { byteLevelTransform } from "../internal/byte-level-transform.js";
import { gpt2SplitMatches } from "../internal/gpt2-split.js";
import type { PreTokenizedString } from "../internal/pre-tokenized-string.js";
import { splitByMatches } from "../internal/split-behavior.js";
import type { PreTokenizer } from "./pre-tokenizer.js";

/** Options shared by the ByteLevel pre-tokenizer, decoder and post-processor. */
export interface ByteLevelOptions {
  addPrefixSpace?: boolean;
  trimOffsets?: boolean;
  useRegex?: boolean;
}

/**
 * GPT-2 style byte-level pre-tokenizer.
 * @example
 * ```ts
 * new ByteLevel({ addPrefixSpace: false }).toJSON(); // { type: "ByteLevel", add_prefix_space: false, ... }
 * ```
 */
export class ByteLevel implements PreTokenizer {
  readonly addPrefixSpace: boolean;
  readonly trimOffsets: boolean;
  readonly useRegex: boolean;

  constructor(opts: ByteLevelOptions = {}) {
    this.addPrefixSpace = opts.addPrefixSpace ?? true;
    this.trimOffsets = opts.trimOffsets ?? true;
    this.useRegex = opts.useRegex ?? true;
  }

  preTokenize(pts: PreTokenizedString): void {
    pts.split((_, ns) => {
      if (this.addPrefixSpace && !ns.normalized.startsWith(" ")) ns.prepend(" ");
      if (this.useRegex) return splitByMatches(ns, gpt2SplitMatches(ns.normalized), "Isolated");
      return [ns];
    });
    pts.normalizeSplits(byteLevelTransform);
  }

  toJSON(): Record<string, unknown> {
    return { type: "ByteLevel", add_prefix_space: this.addPrefixSpace, trim_offsets: this.trimOffsets, use_regex: this.useRegex };
  }
}
