// Matrix products: matmul in all its broadcasting forms, mm, bmm, mv, dot, outer, baddbmm, addmm, linear, einsum (torch.*).

import { promoteTypes } from "../backend/dtype.js";
import { broadcastShapes, fmtShape, numel, viewStrides } from "../backend/layout.js";
import { dispatch, run1 } from "../dispatch/dispatcher.js";
import type { Tensor } from "../tensor.js";
import { Temps, castTo, expandTo } from "../internal/operands.js";
import { contiguous, permute, reshape, unsqueeze, view } from "./shape.js";
import { sum } from "./reduce.js";

const NONE = {} as Record<string, never>;

/** [..., M, K] broadcast to batch `batch`, as a [B, M, K] tensor (a view when the strides allow, else a copy). */
function asBatch3(t: Tensor, batch: readonly number[]): Tensor {
  const target = [...batch, ...t.shape.slice(-2)];
  using temps = new Temps();
  const e = temps.add(expandTo(t, target), t);
  const shape3 = [numel(batch), ...t.shape.slice(-2)];
  const strides = viewStrides(e, shape3);
  if (strides) return dispatch({ op: "view", inputs: [e], attrs: { shape: shape3, strides } })[0];
  using c = contiguous(e);
  return view(c, shape3);
}

/**
 * Matrix product with PyTorch's rules: 1-D·1-D dot, 2-D mm, 1-D/N-D promotion, batched broadcasting.
 * @example matmul(a, b) // [2, 1, 3, 4] @ [3, 4, 5] -> [2, 3, 3, 5]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0)
    throw new RangeError(`matmul: both arguments need at least 1 dimension, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}.`);
  const dtype = promoteTypes(a.dtype, b.dtype);
  using temps = new Temps();
  const a1 = temps.add(a.ndim === 1 ? unsqueeze(a, 0) : a, a);
  const b1 = temps.add(b.ndim === 1 ? unsqueeze(b, 1) : b, b);
  const [m, k] = a1.shape.slice(-2);
  const [k2, n] = b1.shape.slice(-2);
  if (k !== k2)
    throw new RangeError(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be multiplied (${k} != ${k2}).`);
  const batch = broadcastShapes(a1.shape.slice(0, -2), b1.shape.slice(0, -2), "matmul");
  const ac = temps.add(castTo(a1, dtype), a1);
  const bc = temps.add(castTo(b1, dtype), b1);
  const outShape = [...batch, ...(a.ndim === 1 ? [] : [m]), ...(b.ndim === 1 ? [] : [n])];
  if (numel(batch) > 1 && numel(b1.shape.slice(0, -2)) === 1) {
    // A matrix on the right of a batched operand (x @ Wᵀ in every linear layer) is one [B·M, K] @ [K, N] product, as
    // PyTorch folds it: under autograd the weight's gradient is then one product over B·M rows, not B products and a
    // sum over the batch.
    using a2 = reshape(ac, [1, numel(batch) * m, k]); // [1, B·M, K]
    using b2 = reshape(bc, [1, k, n]); // [1, K, N]
    using out2 = run1("matmul", [a2, b2], NONE, { dtype, shape: [1, numel(batch) * m, n] }); // [1, B·M, N]
    return view(out2, outShape);
  }
  using a3 = asBatch3(ac, batch);
  using b3 = asBatch3(bc, batch);
  using out3 = run1("matmul", [a3, b3], NONE, { dtype, shape: [a3.shape[0], m, n] });
  return view(out3, outShape);
}

/** 2-D matrix product, as `torch.mm`. @example mm(a, b) */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2 || b.ndim !== 2) throw new RangeError(`mm: expected 2-D tensors, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}.`);
  return matmul(a, b);
}

/** Batched matrix product of 3-D tensors, as `torch.bmm`. @example bmm(a, b) // [B, n, m] @ [B, m, p] */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3 || b.ndim !== 3) throw new RangeError(`bmm: expected 3-D tensors, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}.`);
  if (a.shape[0] !== b.shape[0])
    throw new RangeError(`bmm: batch sizes differ: ${fmtShape(a.shape)} and ${fmtShape(b.shape)} (${a.shape[0]} != ${b.shape[0]}).`);
  return matmul(a, b);
}

/** Matrix-vector product, as `torch.mv`. @example mv(m, v) */
export function mv(a: Tensor, v: Tensor): Tensor {
  if (a.ndim !== 2 || v.ndim !== 1) throw new RangeError(`mv: expected a 2-D matrix and a 1-D vector, got ${fmtShape(a.shape)} and ${fmtShape(v.shape)}.`);
  return matmul(a, v);
}

/** Dot product of 1-D tensors, as `torch.dot`. @example dot(u, v) */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) throw new RangeError(`dot: expected 1-D tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}.`);
  return matmul(a, b);
}

/** Outer product, as `torch.outer`. @example outer(u, v) */
export function outer(a: Tensor, b: Tensor): Tensor {
  using ua = unsqueeze(a, 1);
  using ub = unsqueeze(b, 0);
  return ua.mul(ub);
}

/**
 * beta * input + alpha * (batch1 @ batch2), as `torch.baddbmm`.
 * @example baddbmm(c, a, b, { beta: 0.5, alpha: 2 })
 */
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, opts: { beta?: number; alpha?: number } = {}): Tensor {
  const p = bmm(batch1, batch2);
  return scaledSum(input, p, opts.beta ?? 1, opts.alpha ?? 1);
}

/** beta * input + alpha * (mat1 @ mat2), as `torch.addmm`. @example addmm(bias, x, w) */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, opts: { beta?: number; alpha?: number } = {}): Tensor {
  const p = mm(mat1, mat2);
  return scaledSum(input, p, opts.beta ?? 1, opts.alpha ?? 1);
}

function scaledSum(input: Tensor, p: Tensor, beta: number, alpha: number): Tensor {
  if (alpha !== 1) {
    using unscaled = p;
    return scaledSum(input, unscaled.mul(alpha), beta, 1);
  }
  if (beta === 0) return p;
  using product = p;
  if (beta === 1) return input.add(product);
  using is = input.mul(beta);
  return is.add(product);
}

/**
 * x @ weight.T + bias, as `F.linear` (weight is [out, in]).
 * @example linear(x, w, b) // [B, T, in] -> [B, T, out]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (weight.ndim !== 2) throw new RangeError(`linear: weight must be 2-D [out_features, in_features], got ${fmtShape(weight.shape)}.`);
  if (x.shape[x.ndim - 1] !== weight.shape[1])
    throw new RangeError(`linear: input's last dim (${x.shape[x.ndim - 1]}, shape ${fmtShape(x.shape)}) must equal in_features of weight ${fmtShape(weight.shape)}.`);
  using wt = permute(weight, [1, 0]); // [in, out]
  if (!bias) return matmul(x, wt);
  using y = matmul(x, wt);
  return y.add(bias);
}

/**
 * Einstein summation over one or more operands without repeated letters inside one operand (no traces/diagonals),
 * as `torch.einsum`; pairs are contracted with one batched matmul each.
 * @example einsum("bhqd,bhkd->bhqk", q, k)
 */
export function einsum(equation: string, ...operands: Tensor[]): Tensor {
  const eq = equation.replace(/\s+/g, "");
  const [lhs, rhsGiven] = eq.split("->");
  const inputs = lhs.split(",");
  if (inputs.length !== operands.length)
    throw new RangeError(`einsum: the equation "${equation}" names ${inputs.length} operands but ${operands.length} were given.`);
  const sizes = new Map<string, number>();
  inputs.forEach((spec, i) => {
    if (!/^[a-zA-Z]*$/.test(spec)) throw new RangeError(`einsum: only letters are supported in subscripts (no ellipsis), got "${spec}".`);
    if (spec.length !== operands[i].ndim)
      throw new RangeError(`einsum: subscripts "${spec}" have ${spec.length} letters but operand ${i} has ${operands[i].ndim} dims (${fmtShape(operands[i].shape)}).`);
    if (new Set(spec).size !== spec.length) throw new RangeError(`einsum: repeated subscripts within one operand ("${spec}", a trace/diagonal) are not supported.`);
    [...spec].forEach((c, d) => {
      const s = operands[i].shape[d];
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== s && prev !== 1 && s !== 1)
        throw new RangeError(`einsum: subscript ${c} has size ${s} for operand ${i} which does not broadcast with the previously seen size ${prev}.`);
      sizes.set(c, prev === undefined || prev === 1 ? s : prev);
    });
  });
  const counts = new Map<string, number>();
  for (const spec of inputs) for (const c of spec) counts.set(c, (counts.get(c) ?? 0) + 1);
  const rhs = rhsGiven ?? [...counts.keys()].filter((c) => counts.get(c) === 1).sort().join("");
  let cur = operands[0];
  let curSpec = inputs[0];
  // Each step's result, freed once the next step (or the output) no longer needs it.
  using steps = new Temps();
  for (let i = 1; i <= operands.length; i++) {
    const later = new Set([...rhs, ...inputs.slice(i).join("")]);
    if (i === operands.length) {
      // Sum out letters absent from the output, then order as the output.
      const drop = [...curSpec].map((c, d) => (later.has(c) ? -1 : d)).filter((d) => d >= 0);
      let t = cur;
      let spec = curSpec;
      if (drop.length) {
        t = steps.add(sum(cur, drop));
        spec = [...curSpec].filter((c) => later.has(c)).join("");
      }
      const order = [...rhs].map((c) => spec.indexOf(c));
      using out = permute(t, order);
      return out.clone();
    }
    const [next, nextSpec] = [operands[i], inputs[i]];
    const both = [...curSpec].filter((c) => nextSpec.includes(c));
    const batchL = both.filter((c) => later.has(c));
    const contract = both.filter((c) => !later.has(c));
    const leftOnly = [...curSpec].filter((c) => !nextSpec.includes(c));
    const rightOnly = [...nextSpec].filter((c) => !curSpec.includes(c));
    const prep = (t: Tensor, spec: string, order: string[]) => permute(t, order.map((c) => spec.indexOf(c)));
    using a = prep(cur, curSpec, [...batchL, ...leftOnly, ...contract]);
    using b = prep(next, nextSpec, [...batchL, ...contract, ...rightOnly]);
    const sz = (cs: string[]) => cs.reduce((n, c) => n * (sizes.get(c) ?? 1), 1);
    const bshape = batchL.map((c) => sizes.get(c) ?? 1);
    // Disposing a tensor twice is a no-op, so expandTo / reshape returning their input is fine here.
    using ae = expandTo(a, [...bshape, ...[...leftOnly, ...contract].map((c, k) => a.shape[batchL.length + k])]);
    using be = expandTo(b, [...bshape, ...[...contract, ...rightOnly].map((c, k) => b.shape[batchL.length + k])]);
    using a3 = reshape(ae, [sz(batchL), sz(leftOnly), sz(contract)]);
    using b3 = reshape(be, [sz(batchL), sz(contract), sz(rightOnly)]);
    using p = matmul(a3, b3);
    cur = steps.add(reshape(p, [...bshape, ...leftOnly.map((c) => sizes.get(c) ?? 1), ...rightOnly.map((c) => sizes.get(c) ?? 1)]));
    curSpec = [...batchL, ...leftOnly, ...rightOnly].join("");
  }
  throw new Error("einsum: unreachable");
}
