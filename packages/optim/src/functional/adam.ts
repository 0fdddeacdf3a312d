// The Adam / AdamW update over parameter lists (torch.optim._functional.adam / adamw), with amsgrad and maximize.

import { scope, type Tensor } from "@tsorch/tensor";
import { fusedAdamwStep, hasFused } from "@tsorch/tensor/dispatch";
import { fusedKernelsEnabled } from "../fused.js";

/** Options of the Adam and AdamW updates; `decoupled` selects AdamW's weight decay. */
export interface AdamUpdateOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  /** AdamW: decay the weights directly (p *= 1 - lr·wd) instead of adding wd·p to the gradient. */
  decoupled: boolean;
}

/** The tensors and step counts of the Adam update; all lists are parallel. */
export interface AdamUpdateState {
  expAvgs: Tensor[];
  expAvgSqs: Tensor[];
  /** Only read when `amsgrad`. */
  maxExpAvgSqs: Tensor[];
  /** Step count of each parameter after this step (already incremented). */
  steps: number[];
}

/**
 * One Adam (or AdamW) step in place, as PyTorch 1.13's single-tensor implementation; AdamW uses the device's fused
 * `adamwStep` kernel where the backend has one (the CPU and WebGPU backends do).
 * @example adam(params, grads, { expAvgs, expAvgSqs, maxExpAvgSqs: [], steps }, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, amsgrad: false, maximize: false, decoupled: true })
 */
export function adam(params: Tensor[], grads: Tensor[], state: AdamUpdateState, o: AdamUpdateOptions): void {
  if (params.length === 0) return;
  const device = params[0].device;
  let idx = params.map((_, i) => i);
  // First choice: the backend's own fused AdamW kernel in the dispatcher (FusedAttrs.adamwStep), tensor by tensor.
  if (o.decoupled && !o.amsgrad && fusedKernelsEnabled() && hasFused("adamwStep", device)) {
    idx = idx.filter((i) => !backendAdamwStep(params[i], grads[i], state, i, o));
    if (idx.length === 0) return;
  }
  // Then the update written with tensor ops, for what the fused kernel declined (or all of it).
  const all = idx.length === params.length;
  const ps = all ? params : idx.map((i) => params[i]);
  const gs = all ? grads : idx.map((i) => grads[i]);
  const st = all ? state : pick(state, idx);
  adamReference(ps, gs, st, o);
}

function backendAdamwStep(param: Tensor, grad: Tensor, state: AdamUpdateState, i: number, o: AdamUpdateOptions): boolean {
  // Detached views: the step is not an op for autograd to record.
  const views = [param, grad, state.expAvgs[i], state.expAvgSqs[i]].map((t) => t.detach());
  try {
    const [p, g, m, v] = views;
    return fusedAdamwStep(p, g, m, v, { lr: o.lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weightDecay, step: state.steps[i], maximize: o.maximize });
  } finally {
    for (const t of views) t.dispose();
  }
}

function pick(s: AdamUpdateState, idx: number[]): AdamUpdateState {
  return {
    expAvgs: idx.map((i) => s.expAvgs[i]),
    expAvgSqs: idx.map((i) => s.expAvgSqs[i]),
    maxExpAvgSqs: s.maxExpAvgSqs.length ? idx.map((i) => s.maxExpAvgSqs[i]) : [],
    steps: idx.map((i) => s.steps[i]),
  };
}

/**
 * The Adam step written with tensor ops (every backend runs it); `adam` falls back to it.
 * @example adamReference(params, grads, state, opts)
 */
export function adamReference(params: Tensor[], grads: Tensor[], state: AdamUpdateState, o: AdamUpdateOptions): void {
  for (let i = 0; i < params.length; i++) {
    const param = params[i].detach();
    scope(() => {
      let grad = grads[i].detach();
      if (o.maximize) grad = grad.neg();
      const step = state.steps[i];
      if (o.decoupled) {
        if (o.weightDecay !== 0) param.mul_(1 - o.lr * o.weightDecay);
      } else if (o.weightDecay !== 0) grad = grad.add(param, { alpha: o.weightDecay });
      const m = state.expAvgs[i];
      const v = state.expAvgSqs[i];
      m.mul_(o.beta1).add_(grad, { alpha: 1 - o.beta1 });
      v.mul_(o.beta2).add_(grad.mul(grad).mul(1 - o.beta2));
      const bc1 = 1 - o.beta1 ** step;
      const bc2Sqrt = Math.sqrt(1 - o.beta2 ** step);
      const stepSize = o.lr / bc1;
      let second = v;
      if (o.amsgrad) {
        const mx = state.maxExpAvgSqs[i];
        mx.copy_(mx.maximum(v));
        second = mx;
      }
      const denom = second.sqrt().div(bc2Sqrt).add(o.eps);
      param.sub_(m.div(denom).mul(stepSize));
    });
    param.dispose();
  }
}
