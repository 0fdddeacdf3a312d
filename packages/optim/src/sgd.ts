// SGD with momentum, dampening, Nesterov, weight decay and maximize, as torch.optim.SGD.

import { Tensor } from "@tsorch/tensor";
import { Optimizer, type ParamGroup, type ParamGroupInput } from "./optimizer.js";
import { sgd, type SgdUpdateOptions } from "./functional/sgd.js";
import { check, checkLr } from "./internal/validate.js";

/** Options of SGD, as PyTorch's (camelCased): exactly what the update function takes. */
export type SGDOptions = SgdUpdateOptions;

/**
 * Stochastic gradient descent, as `torch.optim.SGD` (state: `momentumBuffer`).
 * @example const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<SGDOptions>>, opts: Partial<SGDOptions> & { lr: number }) {
    super(params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...opts });
  }

  protected validate(o: SGDOptions): void {
    checkLr("SGD", o.lr);
    check("SGD", "momentum value", o.momentum, o.momentum >= 0);
    check("SGD", "weight_decay value", o.weightDecay, o.weightDecay >= 0);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) throw new RangeError("SGD: Nesterov momentum requires a momentum and zero dampening.");
  }

  protected updateGroup(g: ParamGroup<SGDOptions>): void {
    const params = g.params.filter((p) => p.grad);
    const bufs = params.map((p) => {
      const b = this.state.get(p)?.momentumBuffer;
      return b instanceof Tensor ? b : null;
    });
    sgd(params, params.map((p) => p.grad!), bufs, g);
    params.forEach((p, i) => {
      if (bufs[i]) this.state.set(p, { momentumBuffer: bufs[i]! });
    });
  }
}
