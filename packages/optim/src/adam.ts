// Adam and AdamW (amsgrad, maximize; L2 vs decoupled weight decay as PyTorch applies each), as torch.optim.Adam / AdamW.

import { zerosLike, type Tensor } from "@tsorch/tensor";
import { Optimizer, type ParamGroup, type ParamGroupInput, type ParamState } from "./optimizer.js";
import { adam } from "./functional/adam.js";
import { check, checkLr } from "./internal/validate.js";

/** Options of Adam and AdamW, as PyTorch's (camelCased). */
export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

function validateAdam(op: string, o: AdamOptions): void {
  checkLr(op, o.lr);
  check(op, "epsilon value", o.eps, o.eps >= 0);
  if (!Array.isArray(o.betas) || o.betas.length !== 2) throw new TypeError(`${op}: betas must be a pair [beta1, beta2], got ${String(o.betas)}.`);
  check(op, "beta parameter at index 0", o.betas[0], o.betas[0] >= 0 && o.betas[0] < 1);
  check(op, "beta parameter at index 1", o.betas[1], o.betas[1] >= 0 && o.betas[1] < 1);
  check(op, "weight_decay value", o.weightDecay, o.weightDecay >= 0);
}

abstract class AdamBase extends Optimizer<AdamOptions> {
  protected abstract readonly decoupled: boolean;

  protected updateGroup(g: ParamGroup<AdamOptions>): void {
    const params = g.params.filter((p) => p.grad);
    if (params.length === 0) return;
    const states = params.map((p) =>
      this.stateOf(p, (): ParamState => ({
        step: 0,
        expAvg: zerosLike(p),
        expAvgSq: zerosLike(p),
        ...(g.amsgrad ? { maxExpAvgSq: zerosLike(p) } : {}),
      })),
    );
    for (const [i, s] of states.entries()) {
      s.step = (s.step as number) + 1;
      if (g.amsgrad && !s.maxExpAvgSq) s.maxExpAvgSq = this.owned(() => zerosLike(params[i]));
    }
    adam(
      params,
      params.map((p) => p.grad!),
      {
        expAvgs: states.map((s) => s.expAvg as Tensor),
        expAvgSqs: states.map((s) => s.expAvgSq as Tensor),
        maxExpAvgSqs: g.amsgrad ? states.map((s) => s.maxExpAvgSq as Tensor) : [],
        steps: states.map((s) => s.step as number),
      },
      { lr: g.lr, beta1: g.betas[0], beta2: g.betas[1], eps: g.eps, weightDecay: g.weightDecay, amsgrad: g.amsgrad, maximize: g.maximize, decoupled: this.decoupled },
    );
  }
}

/**
 * Adam with L2 weight decay added to the gradient, as `torch.optim.Adam` (state: `step`, `expAvg`, `expAvgSq`,
 * `maxExpAvgSq` with amsgrad).
 * @example const opt = new Adam(model.parameters(), { lr: 1e-3, betas: [0.9, 0.98] });
 */
export class Adam extends AdamBase {
  protected readonly decoupled = false;
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamOptions>>, opts: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, ...opts });
  }
  protected validate(o: AdamOptions): void {
    validateAdam("Adam", o);
  }
}

/**
 * Adam with decoupled weight decay (p ← p·(1 − lr·wd) before the Adam step), as `torch.optim.AdamW`
 * (default weight decay 0.01).
 * @example const opt = new AdamW(model.parameters(), { lr: 3e-4, weightDecay: 0.1 });
 */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamOptions>>, opts: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false, ...opts });
  }
  protected validate(o: AdamOptions): void {
    validateAdam("AdamW", o);
  }
}
