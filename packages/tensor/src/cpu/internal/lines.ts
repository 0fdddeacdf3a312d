// Iterates the 1-D lines of a tensor along one dim (for argmax, cumsum, sort): the caller's inner loop walks each line.

import { collapse } from "./strides.js";

/**
 * Calls `fn(pos)` once per line along `dim`, where `pos[k]` is operand k's storage index of the line's
 * first element (operand k has `strides[k]` over `shape` and starts at `offsets[k]`). `pos` is reused.
 */
export function forEachLine(
  shape: readonly number[],
  dim: number,
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  fn: (pos: number[]) => void,
): void {
  const m = strides.length;
  const oshape: number[] = [];
  const ostrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (d === dim) continue;
    oshape.push(shape[d]);
    for (let k = 0; k < m; k++) ostrides[k].push(strides[k][d]);
  }
  let lines = 1;
  for (const s of oshape) lines *= s;
  if (lines === 0 || (shape.length > 0 && shape[dim] === 0)) return;
  const C = collapse(oshape, ostrides);
  const cs = C.shape;
  const st = C.strides;
  const nd = cs.length;
  const idx = new Int32Array(nd);
  const pos = offsets.slice();
  const cur = offsets.slice();
  for (let it = 0; it < lines; it++) {
    for (let k = 0; k < m; k++) pos[k] = cur[k];
    fn(pos);
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < cs[d]) {
        for (let k = 0; k < m; k++) cur[k] += st[k][d];
        break;
      }
      idx[d] = 0;
      for (let k = 0; k < m; k++) cur[k] -= st[k][d] * (cs[d] - 1);
    }
  }
}
