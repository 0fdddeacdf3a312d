// Operand preparation shared by ops: PyTorch's result_type over tensors and scalars, casts, broadcasting as recorded views.

import type { DType } from "../backend/dtype.js";
import { isFloatingPoint, promoteTypes } from "../backend/dtype.js";
import { broadcastShapes, fmtShape } from "../backend/layout.js";
import { dispatch, run1 } from "../dispatch/dispatcher.js";
import { Tensor } from "../tensor.js";
import { getDefaultDtype } from "../defaults.js";
import type { Scalar } from "../ops/creation.js";
import { full } from "../ops/creation.js";

export type TensorOrScalar = Tensor | Scalar;

function scalarCategory(s: Scalar): number {
  return typeof s === "boolean" ? 0 : typeof s === "bigint" || Number.isInteger(s) ? 1 : 2;
}
function dtypeCategory(d: DType): number {
  return d === "bool" ? 0 : isFloatingPoint(d) ? 2 : 1;
}

/**
 * The dtype of an op over tensors and scalars, as `torch.result_type`: dimensioned tensors decide, then 0-d tensors and
 * then Python scalars may only raise the category (bool < int < float), never the width.
 */
export function resultType(operands: readonly TensorOrScalar[]): DType {
  let dim: DType | undefined;
  let zero: DType | undefined;
  let scalarCat = -1;
  for (const o of operands) {
    if (o instanceof Tensor) {
      if (o.ndim > 0) dim = dim ? promoteTypes(dim, o.dtype) : o.dtype;
      else zero = zero ? promoteTypes(zero, o.dtype) : o.dtype;
    } else scalarCat = Math.max(scalarCat, scalarCategory(o));
  }
  let out = dim;
  if (zero !== undefined) out = out === undefined ? zero : dtypeCategory(zero) > dtypeCategory(out) ? zero : out;
  if (scalarCat >= 0) {
    const def: DType = scalarCat === 2 ? getDefaultDtype() : scalarCat === 1 ? "int64" : "bool";
    if (out === undefined || scalarCat > dtypeCategory(out)) out = def;
  }
  return out ?? getDefaultDtype();
}

/**
 * Temporaries an op made that may be its inputs themselves (a cast that was not needed returns the input): held with
 * `using temps = new Temps()`, freed when the block ends, never freeing what the caller passed in.
 */
export class Temps {
  private list: Tensor[] = [];
  /** Tracks `t` unless it is `original` (the caller's tensor, returned unchanged). */
  add(t: Tensor, original?: unknown): Tensor {
    if (t !== original) this.list.push(t);
    return t;
  }
  [Symbol.dispose](): void {
    for (const t of this.list) t.dispose();
    this.list.length = 0;
  }
}

/** `t` converted to `dtype` (a recorded copy), or `t` itself. */
export function castTo(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  return run1("copy", [t], {} as Record<string, never>, { dtype, shape: t.shape });
}

/** `t` broadcast to `shape` (a recorded expand view), or `t` itself. */
export function expandTo(t: Tensor, shape: readonly number[]): Tensor {
  if (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
  return dispatch({ op: "expand", inputs: [t], attrs: { shape } })[0];
}

/** A scalar as a 0-d tensor of `dtype` on `device`. */
export function scalarTensor(s: Scalar, dtype: DType, device: string): Tensor {
  return full([], s, { dtype, device });
}

/**
 * Prepares operands of an elementwise op: scalars become 0-d tensors on the tensors' device, every operand is cast to
 * `dtype` and broadcast to the common shape. Returns the prepared inputs and that shape; temporaries go to `temps`.
 */
export function prepare(
  op: string,
  operands: readonly TensorOrScalar[],
  dtypes: DType | readonly DType[],
  temps: Temps,
): { inputs: Tensor[]; shape: number[] } {
  const device = (operands.find((o) => o instanceof Tensor) as Tensor | undefined)?.device;
  if (device === undefined) throw new TypeError(`${op}: expected at least one tensor operand.`);
  let shape: number[] = [];
  for (const o of operands) if (o instanceof Tensor) shape = broadcastShapes(shape, o.shape, op);
  const inputs = operands.map((o, i) => {
    const dtype = typeof dtypes === "string" ? dtypes : dtypes[i];
    if (!(o instanceof Tensor)) return temps.add(scalarTensor(o, dtype, device));
    if (o.device !== device && o.ndim === 0 && o.device === "cpu") {
      // A 0-d CPU tensor acts as a scalar next to tensors on another device, as in PyTorch.
      const moved = temps.add(dispatch({ op: "transfer", inputs: [o], attrs: { device } })[0]);
      return temps.add(castTo(moved, dtype), moved);
    }
    return temps.add(castTo(o, dtype), o);
  });
  return { inputs: inputs.map((t) => temps.add(expandTo(t, shape), t)), shape };
}

/** Error for an op that needs a floating-point input. */
export function needFloat(op: string, t: Tensor): never {
  throw new TypeError(`${op}: expected a floating-point tensor, got ${t.dtype} (shape ${fmtShape(t.shape)}). Convert it with .float() first.`);
}
