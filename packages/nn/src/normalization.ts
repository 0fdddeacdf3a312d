// Normalisation layers, as torch.nn.LayerNorm and torch.nn.RMSNorm (weight and bias names as PyTorch's state dicts).

import { empty, layerNorm, rmsNorm, type Tensor } from "@tsorch/tensor";
import { Module } from "./module.js";
import { ones_, zeros_ } from "./init.js";
import type { FactoryOptions } from "./linear.js";
import { py, pyFloat } from "./internal/repr.js";

const shapeOf = (s: number | readonly number[]) => (typeof s === "number" ? [s] : [...s]);

/**
 * Layer normalisation over the last dims, as `nn.LayerNorm` (weight ones, bias zeros).
 * @example const ln = new LayerNorm(768, { eps: 1e-12 }); ln.forward(h)
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Tensor | null;
  bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], opts: FactoryOptions & { eps?: number; elementwiseAffine?: boolean; bias?: boolean } = {}) {
    super();
    this.normalizedShape = shapeOf(normalizedShape);
    this.eps = opts.eps ?? 1e-5;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    const f = { device: opts.device, dtype: opts.dtype };
    this.weight = this.registerParameter("weight", this.elementwiseAffine ? ones_(empty(this.normalizedShape, f)) : null);
    this.bias = this.registerParameter("bias", this.elementwiseAffine && opts.bias !== false ? zeros_(empty(this.normalizedShape, f)) : null);
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${py(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${py(this.elementwiseAffine)}`;
  }
}

/**
 * Root-mean-square normalisation over the last dims, as `nn.RMSNorm` (eps defaults to float32's machine epsilon).
 * @example const norm = new RMSNorm(64, { eps: 1e-6 }); norm.forward(h)
 */
export class RMSNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number | null;
  readonly elementwiseAffine: boolean;
  weight: Tensor | null;

  constructor(normalizedShape: number | readonly number[], opts: FactoryOptions & { eps?: number | null; elementwiseAffine?: boolean } = {}) {
    super();
    this.normalizedShape = shapeOf(normalizedShape);
    this.eps = opts.eps ?? null;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    this.weight = this.registerParameter("weight", this.elementwiseAffine ? ones_(empty(this.normalizedShape, { device: opts.device, dtype: opts.dtype })) : null);
  }

  forward(x: Tensor): Tensor {
    return rmsNorm(x, this.normalizedShape, this.weight, this.eps ?? undefined);
  }

  override extraRepr(): string {
    return `${py(this.normalizedShape)}, eps=${this.eps === null ? "None" : pyFloat(this.eps)}, elementwise_affine=${py(this.elementwiseAffine)}`;
  }
}
