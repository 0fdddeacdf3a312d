// More shape ops built on the view primitives: movedim, swapaxes, tile, expandAs, broadcastTo (torch.*).

import { normDim, fmtShape } from "../backend/layout.js";
import type { Tensor } from "../tensor.js";
import { expand, permute, repeat } from "./shape.js";

/** Moves one dim to another position, as `torch.movedim`. @example movedim(x, 1, -1) // [N, C, L] -> [N, L, C] */
export function movedim(x: Tensor, source: number, destination: number): Tensor {
  const s = normDim(source, x.ndim, "movedim");
  const d = normDim(destination, x.ndim, "movedim");
  const order = [...Array(x.ndim).keys()].filter((i) => i !== s);
  order.splice(d, 0, s);
  return permute(x, order);
}

/** Broadcasts to `shape`, as `torch.broadcast_to`. @example broadcastTo(b, [3, 4, 5]) */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  return expand(x, shape);
}

/** Broadcasts to the shape of `other`, as `Tensor.expand_as`. @example b.expandAs(a) */
export function expandAs(x: Tensor, other: Tensor): Tensor {
  return expand(x, other.shape);
}

/** Repeats whole tensor copies, as `torch.tile` (fewer sizes than dims pad with 1 on the left). @example tile(x, [2]) */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  const full = reps.length < x.ndim ? [...Array(x.ndim - reps.length).fill(1), ...reps] : reps;
  if (full.some((r) => !Number.isInteger(r) || r < 0)) throw new RangeError(`tile: repetitions must be non-negative integers, got ${fmtShape(reps)}.`);
  return repeat(x, full);
}
