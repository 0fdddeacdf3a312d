// The graph edge a tensor's gradient flows along: its gradFn output, its leaf accumulator, or a regenerated view node.

import type { Tensor } from "@tsorch/tensor";
import type { OpCall } from "@tsorch/tensor/dispatch";
import { AS_STRIDED_FORMULA } from "../formulas/shape.js";
import { accumulatorOf } from "./accumulate-grad.js";
import { OpNode } from "./formula.js";
import { metaOf, peekMeta } from "./meta.js";
import type { Edge, Node } from "./node.js";

/** The edge a gradient for `t` flows along, or null when `t` does not require grad. */
export function edgeOf(t: Tensor): Edge | null {
  if (!t.requiresGrad) return null;
  refreshView(t);
  if (t.gradFn) return { node: t.gradFn as Node, nr: peekMeta(t)?.outputNr ?? 0 };
  return { node: accumulatorOf(t), nr: 0 };
}

/**
 * A view whose base had its history rewritten by an in-place write through another view gets a fresh gradFn
 * (an asStrided of the base), as PyTorch regenerates view grad_fns.
 */
export function refreshView(t: Tensor): void {
  const base = t.base;
  if (!base || !base.requiresGrad) return;
  const bm = peekMeta(base);
  const gen = bm?.generation ?? 0;
  const m = peekMeta(t);
  if ((m?.baseGeneration ?? 0) === gen) return;
  const view = viewNode(base, t);
  t.gradFn = view;
  t.setRequiresGradUnchecked(true);
  const tm = metaOf(t);
  tm.outputNr = 0;
  tm.baseGeneration = gen;
}

function viewNode(base: Tensor, view: Tensor): Node {
  const call: OpCall<"asStrided"> = {
    op: "asStrided",
    inputs: [base],
    attrs: { shape: view.shape, strides: view.strides, offset: view.offset - base.offset },
  };
  return new OpNode(AS_STRIDED_FORMULA, call, [view], [edgeOf(base)]);
}
