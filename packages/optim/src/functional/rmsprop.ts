// The RMSprop update over parameter lists (torch.optim._functional.rmsprop): centered, momentum, weight decay, maximize.

import { scope, type Tensor } from "@tsorch/tensor";

/** Options of the RMSprop update. */
export interface RmspropUpdateOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/** The state lists of RMSprop (parallel to the parameters); `gradAvgs` only when centered, `momentumBuffers` only with momentum. */
export interface RmspropUpdateState {
  squareAvgs: Tensor[];
  gradAvgs: Tensor[];
  momentumBuffers: Tensor[];
}

/**
 * One RMSprop step in place.
 * @example rmsprop(params, grads, { squareAvgs, gradAvgs: [], momentumBuffers: [] }, { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false })
 */
export function rmsprop(params: Tensor[], grads: Tensor[], state: RmspropUpdateState, o: RmspropUpdateOptions): void {
  for (let i = 0; i < params.length; i++) {
    const param = params[i].detach();
    scope(() => {
      let grad = grads[i].detach();
      if (o.maximize) grad = grad.neg();
      if (o.weightDecay !== 0) grad = grad.add(param, { alpha: o.weightDecay });
      const sq = state.squareAvgs[i];
      sq.mul_(o.alpha).add_(grad.mul(grad).mul(1 - o.alpha));
      let avg: Tensor;
      if (o.centered) {
        const ga = state.gradAvgs[i];
        ga.mul_(o.alpha).add_(grad, { alpha: 1 - o.alpha });
        avg = sq.sub(ga.mul(ga)).sqrt();
      } else avg = sq.sqrt();
      avg = avg.add(o.eps);
      if (o.momentum > 0) {
        const buf = state.momentumBuffers[i];
        buf.mul_(o.momentum).add_(grad.div(avg));
        param.add_(buf, { alpha: -o.lr });
      } else param.sub_(grad.div(avg).mul(o.lr));
    });
    param.dispose();
  }
}
