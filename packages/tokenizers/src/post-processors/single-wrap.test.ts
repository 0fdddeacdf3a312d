// The one-pass wrapping of a single input (PostProcessor.singleWrap) gives what the general path (processEncodings, then merge) gives.
import { describe, expect, it } from "vitest";
import { Encoding } from "../encoding.js";
import { BertProcessing } from "./bert.js";
import { type PostProcessor, runPostProcessor } from "./post-processor.js";
import { TemplateProcessing } from "./template.js";

/** A made-up encoding of `n` tokens, offsets packed or as pairs, with or without sources. */
function input(n: number, packed: boolean, seed: number): Encoding {
  const e = new Encoding();
  e.ids = Array.from({ length: n }, (_, i) => 1000 + seed + i);
  e.tokens = e.ids.map((id) => `t${id}`);
  e.typeIds = e.ids.map(() => 5);
  e.wordIds = e.ids.map((_, i) => (i % 3 === 2 ? null : i >> 1));
  e.specialTokensMask = e.ids.map((_, i) => (i === 1 ? 1 : 0));
  e.attentionMask = e.ids.map(() => 1);
  const flat = e.ids.flatMap((_, i) => [seed + i * 2, seed + i * 2 + 1]);
  if (packed) e.setPackedOffsets(flat);
  else e.offsets = e.ids.map((_, i) => [flat[i * 2], flat[i * 2 + 1]]);
  e.sources = seed % 2 === 0 ? ["some text"] : [];
  return e;
}

/** The same processor without `singleWrap`: runPostProcessor takes the general path. */
function general(pp: PostProcessor): PostProcessor {
  return { addedTokens: (p) => pp.addedTokens(p), processEncodings: (e, a) => pp.processEncodings(e, a), toJSON: () => pp.toJSON() };
}

const view = (e: Encoding): string => JSON.stringify({ json: e, ranges: [...e.sequenceRanges], sources: e.sources, n: e.nSequences });

describe("singleWrap", () => {
  it("equals processEncodings + merge for templates and BertProcessing", () => {
    const specials = [
      { id: "<s>", ids: [1], tokens: ["<s>"] },
      { id: "</s>", ids: [2], tokens: ["</s>"] },
      { id: "[MULTI]", ids: [7, 8, 9], tokens: ["[M1]", "[M2]", "[M3]"] },
    ];
    const processors: PostProcessor[] = [
      new TemplateProcessing({ single: "<s> $A", pair: "<s> $A <s>:1 $B:1", specialTokens: specials }),
      new TemplateProcessing({ single: "$A </s>", specialTokens: specials }),
      new TemplateProcessing({ single: "[MULTI]:3 $A:2 </s>:1 [MULTI]", specialTokens: specials }),
      new TemplateProcessing({ single: "$A", specialTokens: specials }),
      new TemplateProcessing({ single: "$B:1 </s>", specialTokens: specials }),
      new TemplateProcessing({ single: "$A </s> $A:1", specialTokens: specials }),
      new BertProcessing(["[SEP]", 102], ["[CLS]", 101]),
    ];
    let checked = 0;
    for (const pp of processors) {
      for (const n of [0, 1, 4]) {
        for (const packed of [true, false]) {
          for (const seed of [0, 1]) {
            const fast = runPostProcessor(pp, input(n, packed, seed), null, true);
            const slow = runPostProcessor(general(pp), input(n, packed, seed), null, true);
            expect(view(fast), `${JSON.stringify(pp.toJSON())} n=${n} packed=${packed}`).toBe(view(slow));
            expect(fast.offsetsUtf16).toEqual(slow.offsetsUtf16);
            checked++;
          }
        }
      }
    }
    console.log(`singleWrap: ${checked} single inputs equal to the general path`);
  });
});
