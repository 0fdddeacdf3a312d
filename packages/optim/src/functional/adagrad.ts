// The Adagrad update over parameter lists (torch.optim._functional.adagrad): lr decay, weight decay, maximize.

import { scope, type Tensor } from "@tsorch/tensor";

/** Options of the Adagrad update. */
export interface AdagradUpdateOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  eps: number;
  maximize: boolean;
}

/**
 * One Adagrad step in place; `steps[i]` is the step count after this step.
 * @example adagrad(params, grads, sums, steps, { lr: 0.01, lrDecay: 0, weightDecay: 0, eps: 1e-10, maximize: false })
 */
export function adagrad(params: Tensor[], grads: Tensor[], stateSums: Tensor[], steps: number[], o: AdagradUpdateOptions): void {
  for (let i = 0; i < params.length; i++) {
    const param = params[i].detach();
    scope(() => {
      let grad = grads[i].detach();
      if (o.maximize) grad = grad.neg();
      if (o.weightDecay !== 0) grad = grad.add(param, { alpha: o.weightDecay });
      const clr = o.lr / (1 + (steps[i] - 1) * o.lrDecay);
      const sum = stateSums[i];
      sum.add_(grad.mul(grad));
      const std = sum.sqrt().add(o.eps);
      param.sub_(grad.div(std).mul(clr));
    });
    param.dispose();
  }
}
