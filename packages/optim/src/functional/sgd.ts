// The SGD update over parameter lists (torch.optim._functional.sgd): momentum, dampening, Nesterov, weight decay, maximize.

import { scope, untracked, type Tensor } from "@tsorch/tensor";

/** Options of the SGD update. */
export interface SgdUpdateOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/**
 * One SGD step, in place on `params`; `momentumBuffers[i]` is null before the first step and set here.
 * @example sgd(params, grads, bufs, { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false })
 */
export function sgd(params: Tensor[], grads: Tensor[], momentumBuffers: (Tensor | null)[], o: SgdUpdateOptions): void {
  for (let i = 0; i < params.length; i++) {
    const param = params[i].detach();
    scope(() => {
      let d = grads[i].detach();
      if (o.maximize) d = d.neg();
      if (o.weightDecay !== 0) d = d.add(param, { alpha: o.weightDecay });
      if (o.momentum !== 0) {
        let buf = momentumBuffers[i];
        if (!buf) {
          // Owned by the optimizer state: outside this scope and any scope of the caller.
          const src = d;
          buf = untracked(() => src.clone());
          momentumBuffers[i] = buf;
        } else buf.mul_(o.momentum).add_(d, { alpha: 1 - o.dampening });
        d = o.nesterov ? d.add(buf, { alpha: o.momentum }) : buf;
      }
      param.add_(d, { alpha: -o.lr });
    });
    param.dispose();
  }
}
