// Reading a decoder's sequence-classification logits at the last non-pad token, as HF's *ForSequenceClassification do.
import { stack, type Tensor } from "@tsorch/tensor";

/**
 * `logits[b, last non-pad position of b]` for `[B, T, C]` logits: HF takes the first pad position minus one (modulo T,
 * so a row without padding uses its last token); without a pad token only a batch of one is allowed.
 */
export function lastNonPadLogits(all: Tensor, inputIds: Tensor | null, padTokenId: number | null, model: string): Tensor {
  const [b, t] = all.shape;
  let last: number[];
  if (!inputIds) last = new Array<number>(b).fill(t - 1);
  else if (padTokenId === null) {
    if (b !== 1) throw new RangeError(`${model}: cannot handle batch sizes > 1 if no padding token is defined; set config.padTokenId.`);
    last = [t - 1];
  } else {
    const ids = inputIds.to("int64").contiguous().dataSync() as BigInt64Array;
    last = Array.from({ length: b }, (_, i) => {
      let first = 0;
      for (let j = 0; j < t; j++)
        if (ids[i * t + j] === BigInt(padTokenId)) {
          first = j;
          break;
        }
      return (((first - 1) % t) + t) % t;
    });
  }
  return stack(last.map((p, i) => all.select(0, i).select(0, p))); // [B, C]
}
