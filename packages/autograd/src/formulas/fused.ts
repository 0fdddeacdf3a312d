// Gradients of fused ops: the backend's fused backward kernel when it has one, else the composite re-run on the saved inputs.

import type { FusedOp } from "@tsorch/tensor/backend";
import { Tensor } from "@tsorch/tensor";
import { FUSED_COMPOSITES, kernelView as view } from "@tsorch/tensor/dispatch";
import { getBackend } from "@tsorch/tensor/backend";
import type { FormulaContext, GradFormula } from "../internal/formula.js";
import { enableGrad, isGradEnabled } from "../grad-mode.js";
import { grad } from "../backward.js";

type Differentiable = Exclude<FusedOp, "adamwStep">;

/** PyTorch's gradFn names for what each fused op stands for. */
const NAMES: { [K in Differentiable]: string } = {
  softmax: "SoftmaxBackward0",
  logSoftmax: "LogSoftmaxBackward0",
  layerNorm: "NativeLayerNormBackward0",
  rmsNorm: "RmsNormBackward0",
  gelu: "GeluBackward0",
  sdpa: "ScaledDotProductAttentionBackward0",
  crossEntropy: "CrossEntropyLossBackward0",
};

/** Runs the backend's fused backward kernel (first-order gradients only). */
function kernelBackward<K extends Differentiable>(op: K, g: Tensor, ctx: FormulaContext<K>): (Tensor | null)[] {
  const ins = ctx.inputs.map((_, i) => ctx.input(i));
  const outs = ctx.outputs.map((_, i) => ctx.output(i));
  const device = g.device;
  const gradInputs = ins.map((x, i) => (ctx.needs[i] && x.isFloatingPoint ? Tensor.empty(x.shape, x.dtype, device) : null));
  const kernel = getBackend(device).fused![op]!;
  const gc = g.isContiguous() ? g : g.contiguous();
  kernel.backward!(ins.map(view), outs.map(view), view(gc), gradInputs.map((t) => (t ? view(t) : null)), ctx.attrs as never);
  if (gc !== g) gc.dispose();
  for (const t of [...ins, ...outs]) t.dispose();
  return gradInputs;
}

/** Re-runs the composite on the saved inputs and differentiates it (higher-order gradients work through it). */
function recomputeBackward<K extends Differentiable>(op: K, g: Tensor, ctx: FormulaContext<K>): (Tensor | null)[] {
  const saved = ctx.inputs.map((_, i) => ctx.input(i));
  const createGraph = isGradEnabled();
  // First order: detached leaves keep the re-run graph separate from the one being walked.
  const leaves = createGraph ? saved : saved.map((x, i) => (ctx.needs[i] && x.isFloatingPoint ? x.detach().requiresGrad_() : x.detach()));
  const wanted = leaves.map((_, i) => i).filter((i) => ctx.needs[i] && leaves[i].isFloatingPoint && leaves[i].requiresGrad);
  const grads = enableGrad(() => {
    const [y, ...rest] = FUSED_COMPOSITES[op](leaves, ctx.attrs as never);
    for (const r of rest) r.dispose();
    return wanted.length ? grad([y], wanted.map((i) => leaves[i]), [g], { createGraph, allowUnused: true }) : [];
  });
  const out: (Tensor | null)[] = ctx.inputs.map(() => null);
  wanted.forEach((i, k) => (out[i] = grads[k]));
  if (!createGraph) for (const t of [...leaves, ...saved]) t.dispose();
  return out;
}

/** Indices of the outputs a fused op makes (layer norm: y, mean, rstd; RMS norm: y, rstd; others: y). */
function outputsOf(op: Differentiable): number[] {
  return op === "layerNorm" ? [0, 1, 2] : op === "rmsNorm" ? [0, 1] : [0];
}

function fusedFormula<K extends Differentiable>(op: K): GradFormula<K> {
  return {
    name: NAMES[op],
    // Outputs are only needed by a backend backward kernel (layer norm's mean and rstd, softmax's y).
    save: (_needs, call) => ({
      inputs: call.inputs.map((_, i) => i),
      outputs: getBackend(call.inputs[0].device).fused?.[op]?.backward ? outputsOf(op) : [],
    }),
    backward: (g, ctx) => {
      const kernel = getBackend(g.device).fused?.[op];
      // Backward kernels give no gradient for an attention mask (FusedKernel.backward leaves it null): a mask that
      // requires grad takes the composite, which differentiates the additive mask.
      const maskGrad = op === "sdpa" && ctx.needs[3] === true;
      return kernel?.backward && !isGradEnabled() && !maskGrad ? kernelBackward(op, g, ctx) : recomputeBackward(op, g, ctx);
    },
  };
}

/** Formulas of the fused ops; an optimizer step (adamwStep) is not differentiable. */
export const FUSED_FORMULAS: { [K in FusedOp]: GradFormula<K> | "nondifferentiable" } = {
  softmax: fusedFormula("softmax"),
  logSoftmax: fusedFormula("logSoftmax"),
  layerNorm: fusedFormula("layerNorm"),
  rmsNorm: fusedFormula("rmsNorm"),
  gelu: fusedFormula("gelu"),
  sdpa: fusedFormula("sdpa"),
  crossEntropy: fusedFormula("crossEntropy"),
  adamwStep: "nondifferentiable",
};
