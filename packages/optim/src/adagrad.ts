// Adagrad with lr decay, weight decay, initial accumulator and maximize, as torch.optim.Adagrad.

import { fullLike, type Tensor } from "@tsorch/tensor";
import { Optimizer, type ParamGroup, type ParamGroupInput } from "./optimizer.js";
import { adagrad } from "./functional/adagrad.js";
import { check, checkLr } from "./internal/validate.js";

/** Options of Adagrad, as PyTorch's (camelCased). */
export interface AdagradOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

/**
 * Adagrad, as `torch.optim.Adagrad` (state: `step`, `sum`).
 * @example const opt = new Adagrad(model.parameters(), { lr: 0.1, lrDecay: 1e-3 });
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdagradOptions>>, opts: Partial<AdagradOptions> = {}) {
    super(params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false, ...opts });
  }

  protected validate(o: AdagradOptions): void {
    checkLr("Adagrad", o.lr);
    check("Adagrad", "lr_decay value", o.lrDecay, o.lrDecay >= 0);
    check("Adagrad", "weight_decay value", o.weightDecay, o.weightDecay >= 0);
    check("Adagrad", "initial_accumulator_value value", o.initialAccumulatorValue, o.initialAccumulatorValue >= 0);
    check("Adagrad", "epsilon value", o.eps, o.eps >= 0);
  }

  protected updateGroup(g: ParamGroup<AdagradOptions>): void {
    const params = g.params.filter((p) => p.grad);
    const states = params.map((p) => this.stateOf(p, () => ({ step: 0, sum: fullLike(p, g.initialAccumulatorValue) })));
    for (const s of states) s.step = (s.step as number) + 1;
    adagrad(params, params.map((p) => p.grad!), states.map((s) => s.sum as Tensor), states.map((s) => s.step as number), g);
  }
}
