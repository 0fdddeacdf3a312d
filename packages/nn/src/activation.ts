// Activation modules, as torch.nn.ReLU, GELU, SiLU, Tanh, Sigmoid, Softmax, LogSoftmax, LeakyReLU, ELU, Softplus, Mish, Flatten.

import { elu, gelu, leakyRelu, logSoftmax, mish, relu, silu, softmax, softplus, type Tensor } from "@tsorch/tensor";
import { Module } from "./module.js";
import { pyFloat } from "./internal/repr.js";

/** max(x, 0), as `nn.ReLU`. @example new ReLU().forward(x) */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/**
 * GELU, exact (erf) or with the tanh approximation, as `nn.GELU(approximate)`.
 * @example new GELU("tanh").forward(x)
 */
export class GELU extends Module {
  constructor(readonly approximate: "none" | "tanh" = "none") {
    super();
    if (approximate !== "none" && approximate !== "tanh") throw new RangeError(`GELU: approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}.`);
  }
  forward(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** x·sigmoid(x), as `nn.SiLU`. @example new SiLU().forward(x) */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return silu(x);
  }
}

/** tanh, as `nn.Tanh`. @example new Tanh().forward(x) */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

/** The logistic sigmoid, as `nn.Sigmoid`. @example new Sigmoid().forward(x) */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

/** Softmax over `dim`, as `nn.Softmax(dim)`. @example new Softmax(-1).forward(scores) */
export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Log-softmax over `dim`, as `nn.LogSoftmax(dim)`. @example new LogSoftmax(1).forward(logits) */
export class LogSoftmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** max(x, 0) + slope·min(x, 0), as `nn.LeakyReLU`. @example new LeakyReLU(0.2).forward(x) */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}

/** ELU, as `nn.ELU`. @example new ELU().forward(x) */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/** Softplus, as `nn.Softplus`. @example new Softplus().forward(x) */
export class Softplus extends Module {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return softplus(x, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** Mish, as `nn.Mish`. @example new Mish().forward(x) */
export class Mish extends Module {
  forward(x: Tensor): Tensor {
    return mish(x);
  }
}

/** Flattens dims `startDim..endDim`, as `nn.Flatten` (default from dim 1). @example new Flatten().forward(x) // [N, C·L] */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
