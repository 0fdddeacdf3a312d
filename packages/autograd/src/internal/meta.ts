// Autograd's per-tensor metadata (the tensor's `autogradMeta` slot): output index, leaf accumulator, hooks, view generation.

import type { Tensor } from "@tsorch/tensor";

/** A hook on a tensor's gradient: may return a replacement gradient. */
export type GradHook = (grad: Tensor) => Tensor | void | undefined;
/** A hook run after a leaf's `.grad` was accumulated. */
export type PostAccumulateGradHook = (tensor: Tensor) => void;

/** What autograd keeps on a tensor. */
export interface TensorMeta {
  /** Which output of `gradFn` this tensor is. */
  outputNr: number;
  /** For a tensor unpacked from a saved leaf: that leaf, whose accumulator its gradients reach. */
  accumulatesInto?: Tensor;
  /** Hooks of a leaf (non-leaves keep theirs on their gradFn). */
  hooks?: Map<number, GradHook>;
  postAccumulateHooks?: Map<number, PostAccumulateGradHook>;
  /** Bumped when an in-place write through a view rewrites this base tensor's history. */
  generation?: number;
  /** For views: the base's generation when this view's gradFn was made. */
  baseGeneration?: number;
}

/** The tensor's metadata, created on demand. */
export function metaOf(t: Tensor): TensorMeta {
  let m = t.autogradMeta as TensorMeta | undefined;
  if (!m) {
    m = { outputNr: 0 };
    t.autogradMeta = m;
  }
  return m;
}

/** The metadata when present. */
export function peekMeta(t: Tensor): TensorMeta | undefined {
  return t.autogradMeta as TensorMeta | undefined;
}

let hookIds = 0;

/** A fresh id for hook maps (insertion order = registration order). */
export function nextHookId(): number {
  return hookIds++;
}
