// Dropout, as torch.nn.Dropout: active only in training mode, drawing from the seeded generator.

import type { Tensor } from "@tsorch/tensor";
import { Module } from "./module.js";
import { dropoutIfTraining } from "./functional.js";
import { pyFloat } from "./internal/repr.js";

/**
 * Zeroes elements with probability `p` and scales the rest by 1/(1-p) in training; returns the input itself in eval.
 * @example const drop = new Dropout(0.1); drop.forward(h)
 */
export class Dropout extends Module {
  constructor(
    readonly p = 0.5,
    readonly inplace = false,
  ) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout: dropout probability has to be between 0 and 1, but got ${p}.`);
  }

  forward(x: Tensor): Tensor {
    return dropoutIfTraining(x, this.p, this.training);
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${this.inplace ? "True" : "False"}`;
  }
}
