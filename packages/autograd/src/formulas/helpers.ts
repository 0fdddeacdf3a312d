// Small tensor helpers shared by the gradient formulas.

import { zeros } from "@tsorch/tensor";
import type { Tensor } from "@tsorch/tensor";
import type { TensorInfo } from "../internal/formula.js";

/** Zeros with the shape, dtype and device of an input. */
export function zerosOf(info: TensorInfo): Tensor {
  return zeros(info.shape, { dtype: info.dtype, device: info.device });
}

/** PyTorch's name style: `exp` -> `ExpBackward0`. */
export function backwardName(op: string, version = 0): string {
  return `${op[0].toUpperCase()}${op.slice(1)}Backward${version}`;
}

/** Only the gradients that are needed (others become null). */
export function needed(needs: readonly boolean[], ...fns: (() => Tensor)[]): (Tensor | null)[] {
  return fns.map((f, i) => (needs[i] ? f() : null));
}
