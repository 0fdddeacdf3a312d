// A word as a sequence of symbol ids during BPE training; follows `Word::merge` of the Rust tokenizers crate.

/** A pair change produced by a merge: the pair (as a key from {@link pairKey}) and +1/-1. */
export type PairChange = [key: number, change: number];

const PAIR_BASE = 2 ** 32;

/**
 * Packs a pair of symbol ids into one number (ids stay below 2^21, so this is exact).
 * @example pairKey(3, 7) === 3 * 2 ** 32 + 7
 */
export function pairKey(a: number, b: number): number {
  return a * PAIR_BASE + b;
}

/**
 * Unpacks a key made by {@link pairKey}.
 * @example pairOf(pairKey(3, 7)) // [3, 7]
 */
export function pairOf(key: number): [number, number] {
  const a = Math.floor(key / PAIR_BASE);
  return [a, key - a * PAIR_BASE];
}

/**
 * Symbol ids of one word and their lengths in characters (for `maxTokenLength`).
 * @example const w = new BpeWord(); w.add(1, 1); w.add(2, 1); w.merge(1, 2, 3, Infinity) // []
 */
export class BpeWord {
  readonly ids: number[] = [];
  readonly lens: number[] = [];

  add(id: number, len: number): void {
    this.ids.push(id);
    this.lens.push(len);
  }

  /**
   * Replaces every non-overlapping (c1, c2), left to right, with `replacement` and reports how
   * neighbouring pair counts change. The merged pair itself is not reported (as in Rust).
   */
  merge(c1: number, c2: number, replacement: number, maxLength: number): PairChange[] {
    const changes: PairChange[] = [];
    const ids = this.ids;
    const lens = this.lens;
    let i = 0;
    while (i < ids.length) {
      if (ids[i] === c1 && i + 1 < ids.length && ids[i + 1] === c2) {
        const firstId = ids[i];
        const secondId = ids[i + 1];
        const newLen = lens[i] + lens[i + 1];
        if (i > 0) {
          changes.push([pairKey(ids[i - 1], firstId), -1]);
          if (lens[i - 1] + newLen < maxLength) changes.push([pairKey(ids[i - 1], replacement), 1]);
        }
        ids.splice(i, 2, replacement);
        lens.splice(i, 2, newLen);
        if (i < ids.length - 1) {
          changes.push([pairKey(secondId, ids[i + 1]), -1]);
          if (lens[i + 1] + newLen < maxLength) changes.push([pairKey(replacement, ids[i + 1]), 1]);
        }
      }
      i++;
    }
    return changes;
  }
}
