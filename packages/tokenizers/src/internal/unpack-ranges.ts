// Decoder of the code point range tables in unicode-categories-data.ts (base-36 deltas, comma-separated: a third of the size of number literals).

/**
 * The flat inclusive `[start, end]` pairs packed by scripts/gen-unicode-categories.mjs: each number is written as its
 * difference from the previous one, in base 36.
 * @example
 * ```ts
 * unpackRanges("0,v,2o,w"); // [0x00, 0x1f, 0x7f, 0x9f]
 * ```
 */
export function unpackRanges(packed: string): number[] {
  const out: number[] = [];
  let prev = 0;
  for (const d of packed.split(",")) {
    prev += parseInt(d, 36);
    out.push(prev);
  }
  return out;
}
