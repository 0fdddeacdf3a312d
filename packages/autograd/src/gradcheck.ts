// gradcheck / gradgradcheck: analytical gradients against central finite differences in float64, as torch.autograd's.

import { Tensor, fromTypedArray, scope, zeros } from "@tsorch/tensor";
import { fmtShape } from "@tsorch/tensor/backend";
import { grad } from "./backward.js";
import { enableGrad, noGrad } from "./grad-mode.js";

/** Options of `gradcheck`, with PyTorch's defaults. */
export interface GradcheckOptions {
  /** Finite-difference step. */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Throw on failure (default) or return false. */
  raiseException?: boolean;
}

type Fn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

function outputsOf(r: Tensor | readonly Tensor[]): Tensor[] {
  return (r instanceof Tensor ? [r] : [...r]).filter((t) => t.isFloatingPoint);
}

function values(t: Tensor): Float64Array {
  return Float64Array.from(t.dataSync() as ArrayLike<number>);
}

/** Numerical Jacobian columns: for each input element, d(all outputs, flattened)/d(element). */
function numericalJacobian(fn: Fn, inputs: readonly Tensor[], eps: number): number[][][] {
  return inputs.map((inp, i) => {
    if (!inp.requiresGrad) return [];
    const base = values(inp);
    const cols: number[][] = [];
    for (let k = 0; k < base.length; k++) {
      const run = (delta: number): number[] =>
        scope(() =>
          noGrad(() => {
            const v = base.slice();
            v[k] += delta;
            const args = inputs.map((x, j) => (j === i ? fromTypedArray(v, x.shape, { dtype: x.dtype, device: x.device }) : x));
            return outputsOf(fn(...args)).flatMap((o) => [...values(o)]);
          }),
        );
      const plus = run(eps);
      const minus = run(-eps);
      cols.push(plus.map((p, j) => (p - minus[j]) / (2 * eps)));
    }
    return cols;
  });
}

/** Analytical Jacobian rows via one vector-Jacobian product per output element. */
function analyticalJacobian(fn: Fn, inputs: readonly Tensor[]): number[][][] {
  const diff = inputs.filter((x) => x.requiresGrad);
  const outs = outputsOf(fn(...inputs));
  const cols = inputs.map((x) => (x.requiresGrad ? Array.from({ length: x.numel() }, () => [] as number[]) : []));
  outs.forEach((out, oi) => {
    const n = out.numel();
    for (let j = 0; j < n; j++) {
      scope(() => {
        const gos = outs.map((o, k) => {
          const v = new Float64Array(o.numel());
          if (k === oi) v[j] = 1;
          return fromTypedArray(v, o.shape, { dtype: o.dtype, device: o.device });
        });
        const live = outs.filter((o) => o.requiresGrad);
        const gs = live.length ? grad(live, diff, gos.filter((_, k) => outs[k].requiresGrad), { retainGraph: true, allowUnused: true }) : diff.map(() => null);
        let d = 0;
        inputs.forEach((x, i) => {
          if (!x.requiresGrad) return;
          const g = gs[d++];
          const gv = g ? values(g) : new Float64Array(x.numel());
          for (let e = 0; e < gv.length; e++) cols[i][e].push(gv[e]);
        });
      });
    }
  });
  return cols;
}

/**
 * Checks the gradients of `fn` at `inputs` (float64 tensors; those with requiresGrad are checked) against central
 * finite differences, as `torch.autograd.gradcheck`: every Jacobian entry must satisfy |a - n| <= atol + rtol·|n|.
 * @example gradcheck((x, w) => x.matmul(w).tanh(), [randn([3, 4], { dtype: "float64" }).requiresGrad_(), w64.requiresGrad_()])
 */
export function gradcheck(fn: Fn, inputs: readonly Tensor[], opts: GradcheckOptions = {}): boolean {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  for (const x of inputs)
    if (x.requiresGrad && x.dtype !== "float64")
      throw new TypeError(`gradcheck: input of shape ${fmtShape(x.shape)} is ${x.dtype}; finite differences need float64 inputs. Convert with .double() before requiresGrad_().`);
  const numerical = numericalJacobian(fn, inputs, eps);
  const analytical = analyticalJacobian(fn, inputs);
  for (let i = 0; i < inputs.length; i++) {
    for (let e = 0; e < numerical[i].length; e++) {
      const nc = numerical[i][e];
      const ac = analytical[i][e];
      for (let j = 0; j < nc.length; j++) {
        const a = ac[j];
        const n = nc[j];
        if (!(Math.abs(a - n) <= atol + rtol * Math.abs(n))) {
          if (opts.raiseException === false) return false;
          throw new Error(
            `gradcheck: Jacobian mismatch for output element ${j} with respect to input ${i} (shape ${fmtShape(inputs[i].shape)}), element ${e}: ` +
              `numerical ${n}, analytical ${a} (atol ${atol}, rtol ${rtol}). The backward formula of an op on this path is wrong or the function is not smooth here.`,
          );
        }
      }
    }
  }
  return true;
}

/**
 * Checks second derivatives: the gradients of `fn` (made with `createGraph`) are themselves checked by `gradcheck`
 * with respect to the inputs and the output gradients, as `torch.autograd.gradgradcheck`.
 * @example gradgradcheck((x) => x.tanh(), [x64.requiresGrad_()])
 */
export function gradgradcheck(fn: Fn, inputs: readonly Tensor[], gradOutputs?: readonly Tensor[], opts: GradcheckOptions = {}): boolean {
  const outs = outputsOf(noGrad(() => fn(...inputs)));
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  const gos =
    gradOutputs ??
    outs.map((o) => fromTypedArray(Float64Array.from({ length: o.numel() }, rnd), o.shape, { dtype: "float64", device: o.device }).requiresGrad_());
  const needs = inputs.map((x) => x.requiresGrad);
  const n = inputs.length;
  // Finite differences call this with fresh (non-differentiable) copies under noGrad: re-enable both here.
  const second = (...all: Tensor[]): Tensor[] =>
    enableGrad(() => {
      const xs = all.slice(0, n).map((x, i) => (needs[i] && !x.requiresGrad ? x.detach().requiresGrad_() : x));
      const gs = all.slice(n);
      const ys = outputsOf(fn(...xs));
      const dxs = xs.filter((_, i) => needs[i]);
      const r = grad(ys, dxs, gs, { createGraph: true, allowUnused: true });
      return r.map((t, i) => t ?? zeros(dxs[i].shape, { dtype: dxs[i].dtype, device: dxs[i].device }));
    });
  return gradcheck(second, [...inputs, ...gos], opts);
}
