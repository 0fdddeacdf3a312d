// RMSprop with centering, momentum, weight decay and maximize, as torch.optim.RMSprop.

import { zerosLike, type Tensor } from "@tsorch/tensor";
import { Optimizer, type ParamGroup, type ParamGroupInput, type ParamState } from "./optimizer.js";
import { rmsprop, type RmspropUpdateOptions } from "./functional/rmsprop.js";
import { check, checkLr } from "./internal/validate.js";

/** Options of RMSprop, as PyTorch's (camelCased): exactly what the update function takes. */
export type RMSpropOptions = RmspropUpdateOptions;

/**
 * RMSprop, as `torch.optim.RMSprop` (state: `step`, `squareAvg`, `momentumBuffer`, `gradAvg`).
 * @example const opt = new RMSprop(model.parameters(), { lr: 1e-3, centered: true, momentum: 0.9 });
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<RMSpropOptions>>, opts: Partial<RMSpropOptions> = {}) {
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false, ...opts });
  }

  protected validate(o: RMSpropOptions): void {
    checkLr("RMSprop", o.lr);
    check("RMSprop", "epsilon value", o.eps, o.eps >= 0);
    check("RMSprop", "momentum value", o.momentum, o.momentum >= 0);
    check("RMSprop", "weight_decay value", o.weightDecay, o.weightDecay >= 0);
    check("RMSprop", "alpha value", o.alpha, o.alpha >= 0);
  }

  protected updateGroup(g: ParamGroup<RMSpropOptions>): void {
    const params = g.params.filter((p) => p.grad);
    const states = params.map((p) =>
      this.stateOf(p, (): ParamState => {
        const d = p;
        return {
          step: 0,
          squareAvg: zerosLike(d),
          ...(g.momentum > 0 ? { momentumBuffer: zerosLike(d) } : {}),
          ...(g.centered ? { gradAvg: zerosLike(d) } : {}),
        };
      }),
    );
    for (const [i, s] of states.entries()) {
      s.step = (s.step as number) + 1;
      if (g.momentum > 0 && !s.momentumBuffer) s.momentumBuffer = this.owned(() => zerosLike(params[i]));
      if (g.centered && !s.gradAvg) s.gradAvg = this.owned(() => zerosLike(params[i]));
    }
    rmsprop(
      params,
      params.map((p) => p.grad!),
      {
        squareAvgs: states.map((s) => s.squareAvg as Tensor),
        gradAvgs: states.map((s) => s.gradAvg as Tensor),
        momentumBuffers: states.map((s) => s.momentumBuffer as Tensor),
      },
      g,
    );
  }
}
