// The shape of a gradient formula and of the op node that runs it (PyTorch's derivatives.yaml entries as TypeScript).

import type { Tensor } from "@tsorch/tensor";
import type { DispatchAttrs, DispatchOp, OpCall } from "@tsorch/tensor/dispatch";
import type { DType } from "@tsorch/tensor";
import { Node } from "./node.js";
import type { ApplyContext, Edge } from "./node.js";
import { SavedTensor } from "./saved.js";

/** Layout and type of an op's input or output, kept without its values. */
export interface TensorInfo {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
  readonly device: string;
}

/** What a formula sees at backward time. */
export interface FormulaContext<K extends DispatchOp> {
  readonly attrs: DispatchAttrs[K];
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Which inputs need a gradient (the others may get null). */
  readonly needs: readonly boolean[];
  /** A saved input (listed in `save`), unpacked. */
  input(i: number): Tensor;
  /** A saved output (listed in `save`), unpacked. */
  output(i: number): Tensor;
}

/** A gradient formula for one dispatcher op; everything it computes is written with tensor ops. */
export interface GradFormula<K extends DispatchOp> {
  /** The gradFn name, as PyTorch's (`MulBackward0`). */
  readonly name: string | ((call: OpCall<K>) => string);
  /** Which inputs and outputs to save, given which inputs need a gradient. */
  readonly save?: (needs: readonly boolean[], call: OpCall<K>) => { inputs?: readonly number[]; outputs?: readonly number[] };
  /** Gradients of the inputs from the gradient of output 0 (the only differentiable output of every primitive). */
  readonly backward: (g: Tensor, ctx: FormulaContext<K>) => readonly (Tensor | null | undefined)[];
}

/** The gradient table: one entry per dispatcher op, so the compiler lists any op without a formula. */
export type GradTable = { [K in DispatchOp]: GradFormula<K> | "nondifferentiable" };

export function infoOf(t: Tensor): TensorInfo {
  return { shape: t.shape, strides: t.strides, offset: t.offset, dtype: t.dtype, device: t.device };
}

/** A node recorded by the dispatcher layer for one op call. */
export class OpNode<K extends DispatchOp> extends Node {
  readonly name: string;
  private readonly savedIn = new Map<number, SavedTensor>();
  private readonly savedOut = new Map<number, SavedTensor>();
  private readonly ctx: FormulaContext<K>;

  constructor(
    private readonly formula: GradFormula<K>,
    call: OpCall<K>,
    outputs: readonly Tensor[],
    next: readonly (Edge | null)[],
  ) {
    super(next, outputs.length);
    this.name = typeof formula.name === "string" ? formula.name : formula.name(call);
    const needs = next.map((e) => e !== null);
    const which = formula.save?.(needs, call) ?? {};
    for (const i of which.inputs ?? []) this.savedIn.set(i, this.saved.add(new SavedTensor(call.inputs[i], false)));
    for (const i of which.outputs ?? []) this.savedOut.set(i, this.saved.add(new SavedTensor(outputs[i], true, i)));
    this.inputInfos = call.inputs.map((t) => ({ shape: t.shape, dtype: t.dtype }));
    const self = this;
    this.ctx = {
      attrs: call.attrs,
      inputs: call.inputs.map(infoOf),
      outputs: outputs.map(infoOf),
      needs,
      input(i) {
        const s = self.savedIn.get(i);
        if (!s) throw new Error(`${self.name}: input ${i} was not saved for backward (a bug in @tsorch/autograd's formula).`);
        return s.unpack(self);
      },
      output(i) {
        const s = self.savedOut.get(i);
        if (!s) throw new Error(`${self.name}: output ${i} was not saved for backward (a bug in @tsorch/autograd's formula).`);
        return s.unpack(self);
      },
    };
  }

  apply(grads: (Tensor | null)[], _ctx: ApplyContext): (Tensor | null | undefined)[] {
    const g = grads[0];
    if (!g) return [];
    return [...this.formula.backward(g, this.ctx)];
  }
}
