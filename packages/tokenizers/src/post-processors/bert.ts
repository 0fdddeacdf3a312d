// BertProcessing: [CLS] A [SEP] (B [SEP]) with type ids 0/1 (Rust `processors::bert`).
import type { Encoding } from "../encoding.js";
import { type PostProcessor, type SingleWrap, specialEncoding } from "./post-processor.js";

/**
 * BERT's post-processor.
 * @example
 * ```ts
 * new BertProcessing(["[SEP]", 102], ["[CLS]", 101]).toJSON();
 * ```
 */
export class BertProcessing implements PostProcessor {
  constructor(
    readonly sep: [string, number] = ["[SEP]", 102],
    readonly cls: [string, number] = ["[CLS]", 101],
  ) {}
  addedTokens(isPair: boolean): number {
    return isPair ? 3 : 2;
  }
  private wrap(e: Encoding, first: boolean): Encoding {
    const [cls, clsId] = this.cls;
    const [sep, sepId] = this.sep;
    const seq = first ? 0 : 1;
    const start = first ? specialEncoding([clsId], [cls], 0) : null;
    const end = specialEncoding([sepId], [sep], first ? 0 : 1);
    const body = e;
    const out = start ?? specialEncoding([], [], 0);
    const offset = out.ids.length;
    out.mergeWith(stripOverflow(body), false);
    out.mergeWith(end, false);
    out.sequenceRanges = new Map([[seq, [offset, offset + body.ids.length]]]);
    out.overflowing = e.overflowing.map((o) => this.wrap(o, first));
    return out;
  }
  /** `[CLS] $A [SEP]`, all of type 0. */
  singleWrap(): SingleWrap {
    return { beforeIds: [this.cls[1]], beforeTokens: [this.cls[0]], beforeTypeIds: [0], sequenceTypeId: 0, afterIds: [this.sep[1]], afterTokens: [this.sep[0]], afterTypeIds: [0] };
  }
  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[] {
    if (!addSpecialTokens) return encodings;
    return encodings.map((e, i) => this.wrap(e, i === 0));
  }
  toJSON(): Record<string, unknown> {
    return { type: "BertProcessing", sep: this.sep, cls: this.cls };
  }
}

/** A shallow copy without overflowing parts (those are wrapped separately). */
export function stripOverflow(e: Encoding): Encoding {
  const c = e.clone();
  c.overflowing = [];
  c.sequenceRanges = new Map();
  return c;
}
