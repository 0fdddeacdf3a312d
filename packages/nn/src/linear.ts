// Linear layers, as torch.nn.Linear, Bilinear and Identity, with PyTorch's default initialisation.

import { empty, type DType, type Tensor } from "@tsorch/tensor";
import { Module } from "./module.js";
import { kaimingUniform_, uniform_ } from "./init.js";
import { bilinear, linear } from "./functional.js";
import { py } from "./internal/repr.js";

/** Where a layer's parameters are created (default device and dtype otherwise). */
export interface FactoryOptions {
  device?: string;
  dtype?: DType;
}

/**
 * y = x Wᵀ + b over the last dim, as `nn.Linear`; weight `[out, in]`, initialised as PyTorch (Kaiming uniform, a=√5).
 * @example const fc = new Linear(784, 10); const y = fc.forward(x); // [B, 10]
 */
export class Linear extends Module {
  weight: Tensor;
  bias: Tensor | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    opts: FactoryOptions & { bias?: boolean } = {},
  ) {
    super();
    const f = { device: opts.device, dtype: opts.dtype };
    this.weight = this.registerParameter("weight", empty([outFeatures, inFeatures], f));
    this.bias = this.registerParameter("bias", opts.bias === false ? null : empty([outFeatures], f));
    this.resetParameters();
  }

  /** PyTorch's default initialisation. @example fc.resetParameters() */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${py(this.bias !== null)}`;
  }
}

/**
 * y = x1ᵀ A x2 + b, as `nn.Bilinear`; weight `[out, in1, in2]`.
 * @example new Bilinear(20, 30, 40).forward(x1, x2) // [B, 40]
 */
export class Bilinear extends Module {
  weight: Tensor;
  bias: Tensor | null;

  constructor(
    readonly in1Features: number,
    readonly in2Features: number,
    readonly outFeatures: number,
    opts: FactoryOptions & { bias?: boolean } = {},
  ) {
    super();
    const f = { device: opts.device, dtype: opts.dtype };
    this.weight = this.registerParameter("weight", empty([outFeatures, in1Features, in2Features], f));
    this.bias = this.registerParameter("bias", opts.bias === false ? null : empty([outFeatures], f));
    this.resetParameters();
  }

  /** U(-1/√in1, 1/√in1) for weight and bias, as PyTorch. @example bl.resetParameters() */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.in1Features);
    uniform_(this.weight, -bound, bound);
    if (this.bias) uniform_(this.bias, -bound, bound);
  }

  forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${py(this.bias !== null)}`;
  }
}

/**
 * Returns its input, as `nn.Identity` (a placeholder that keeps state-dict keys stable).
 * @example const head = useHead ? new Linear(64, 2) : new Identity();
 */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}
