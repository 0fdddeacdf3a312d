// Batches of similar length for the examples' training sets (HF's `group_by_length` idea): less padding, the same rows.
//
// The Trainer shuffles rows one by one; to keep rows of similar length together each training "row" here is a whole
// batch (its columns are lists of examples) and the Trainer runs with perDeviceTrainBatchSize 1; `unbatch` turns the
// one row back into examples for the real collator. The Trainer still shuffles the order of the batches each epoch.
import type { Batch, Row } from "@tsorch/trainer";

/**
 * Groups `rows` into batches of `batchSize` with similar `lengthOf`: shuffled (seeded), then sorted by length within
 * windows of 50 batches, then cut into batches, so the batches mix different parts of the data set.
 * @example const batches = groupByLength(rows, 32, (r) => r.input_ids.length); // rows of 32 examples each
 */
export function groupByLength<R extends Row>(rows: R[], batchSize: number, lengthOf: (r: R) => number, seed = 42): Row[] {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2 ** 32);
  const order = rows.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const window = batchSize * 50;
  const out: Row[] = [];
  for (let w = 0; w < order.length; w += window) {
    const part = order.slice(w, w + window).sort((a, b) => lengthOf(rows[a]) - lengthOf(rows[b]));
    for (let b = 0; b < part.length; b += batchSize) {
      const members = part.slice(b, b + batchSize).map((i) => rows[i]);
      const batch: Row = {};
      for (const k of Object.keys(members[0])) batch[k] = members.map((m) => m[k]) as never;
      out.push(batch);
    }
  }
  return out;
}

/**
 * Wraps a collator so it takes the one-row "batch rows" of {@link groupByLength} (perDeviceTrainBatchSize 1) as well
 * as ordinary rows (evaluation).
 * @example dataCollator: unbatch((rows) => seq2seq.call(rows))
 */
export function unbatch(collate: (rows: Row[]) => Batch, marker: string): (rows: Row[]) => Batch {
  return (rows) => {
    const first = rows[0]?.[marker];
    if (rows.length !== 1 || !Array.isArray(first) || !Array.isArray(first[0])) return collate(rows);
    const r = rows[0];
    const n = (r[marker] as unknown[]).length;
    const examples: Row[] = Array.from({ length: n }, (_, i) => Object.fromEntries(Object.keys(r).map((k) => [k, (r[k] as unknown[])[i]])) as Row);
    return collate(examples);
  };
}
