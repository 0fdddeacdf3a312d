// RobertaProcessing: <s> A </s> (</s> B </s>), all type ids 0, optional byte-level offset trimming (Rust `processors::roberta`).
import type { Encoding } from "../encoding.js";
import { stripOverflow } from "./bert.js";
import { trimByteLevelOffsets } from "./byte-level.js";
import { type PostProcessor, specialEncoding } from "./post-processor.js";

/**
 * RoBERTa's post-processor.
 * @example
 * ```ts
 * new RobertaProcessing(["</s>", 2], ["<s>", 0]).toJSON();
 * ```
 */
export class RobertaProcessing implements PostProcessor {
  constructor(
    readonly sep: [string, number] = ["</s>", 2],
    readonly cls: [string, number] = ["<s>", 0],
    readonly trimOffsets = true,
    readonly addPrefixSpace = true,
  ) {}
  addedTokens(isPair: boolean): number {
    return isPair ? 4 : 2;
  }
  private wrap(e: Encoding, first: boolean): Encoding {
    const [cls, clsId] = this.cls;
    const [sep, sepId] = this.sep;
    const out = first ? specialEncoding([clsId], [cls], 0) : specialEncoding([sepId], [sep], 0);
    const body = stripOverflow(e);
    body.typeIds = body.ids.map(() => 0);
    out.mergeWith(body, false);
    out.mergeWith(specialEncoding([sepId], [sep], 0), false);
    out.sequenceRanges = new Map([[first ? 0 : 1, [1, 1 + e.ids.length]]]);
    out.overflowing = e.overflowing.map((o) => this.wrap(o, first));
    return out;
  }
  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[] {
    if (this.trimOffsets) {
      for (const e of encodings) {
        trimByteLevelOffsets(e, this.addPrefixSpace);
        for (const o of e.overflowing) trimByteLevelOffsets(o, this.addPrefixSpace);
      }
    }
    for (const e of encodings) e.typeIds = e.ids.map(() => 0);
    if (!addSpecialTokens) return encodings;
    return encodings.map((e, i) => this.wrap(e, i === 0));
  }
  toJSON(): Record<string, unknown> {
    return { type: "RobertaProcessing", sep: this.sep, cls: this.cls, trim_offsets: this.trimOffsets, add_prefix_space: this.addPrefixSpace };
  }
}
