// 1-D convolution, as torch.nn.Conv1d (weight [out, in/groups, k], PyTorch's default initialisation).

import { conv1d, empty, type Tensor } from "@tsorch/tensor";
import { Module } from "./module.js";
import { kaimingUniform_, uniform_ } from "./init.js";
import type { FactoryOptions } from "./linear.js";

/** Options of `Conv1d`, as PyTorch's. */
export interface Conv1dModuleOptions extends FactoryOptions {
  stride?: number;
  padding?: number | "same" | "valid";
  dilation?: number;
  groups?: number;
  bias?: boolean;
}

/**
 * A 1-D convolution over `[N, C_in, L]`, as `nn.Conv1d`.
 * @example const conv = new Conv1d(16, 33, 3, { stride: 2 }); conv.forward(x) // [N, 33, L']
 */
export class Conv1d extends Module {
  weight: Tensor;
  bias: Tensor | null;
  readonly stride: number;
  readonly padding: number | "same" | "valid";
  readonly dilation: number;
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    opts: Conv1dModuleOptions = {},
  ) {
    super();
    this.stride = opts.stride ?? 1;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.groups = opts.groups ?? 1;
    if (inChannels % this.groups !== 0) throw new RangeError(`Conv1d: in_channels (${inChannels}) must be divisible by groups (${this.groups}).`);
    if (outChannels % this.groups !== 0) throw new RangeError(`Conv1d: out_channels (${outChannels}) must be divisible by groups (${this.groups}).`);
    if (this.padding === "same" && this.stride !== 1) throw new RangeError("Conv1d: padding='same' is not supported for strided convolutions.");
    const f = { device: opts.device, dtype: opts.dtype };
    this.weight = this.registerParameter("weight", empty([outChannels, inChannels / this.groups, kernelSize], f));
    this.bias = this.registerParameter("bias", opts.bias === false ? null : empty([outChannels], f));
    this.resetParameters();
  }

  /** Kaiming uniform (a=√5) and U(±1/√fan_in) for the bias, as PyTorch. @example conv.resetParameters() */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const fanIn = (this.inChannels / this.groups) * this.kernelSize;
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=(${this.kernelSize},), stride=(${this.stride},)`;
    if (this.padding !== 0) s += typeof this.padding === "string" ? `, padding=${this.padding}` : `, padding=(${this.padding},)`;
    if (this.dilation !== 1) s += `, dilation=(${this.dilation},)`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ", bias=False";
    return s;
  }
}
