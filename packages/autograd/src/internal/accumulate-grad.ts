// AccumulateGrad (PyTorch's leaf gradient sink): one per leaf, accumulating into `.grad` as PyTorch does.

import type { Tensor } from "@tsorch/tensor";
import type { GradHook } from "./meta.js";
import { peekMeta } from "./meta.js";
import { Node } from "./node.js";
import type { ApplyContext } from "./node.js";

/** The gradient sink of a leaf: runs the leaf's hooks, accumulates into `.grad`, then the post-accumulate hooks. */
export class AccumulateGrad extends Node {
  readonly name = "AccumulateGrad";
  constructor(readonly variable: Tensor) {
    super([], 1);
  }

  override hooksFor(): Iterable<GradHook> {
    return peekMeta(this.variable)?.hooks?.values() ?? [];
  }

  apply(grads: (Tensor | null)[], ctx: ApplyContext): (Tensor | null)[] {
    const g = grads[0];
    const v = this.variable;
    if (!g || v.isDisposed) return [];
    accumulateInto(v, g, ctx);
    for (const h of peekMeta(v)?.postAccumulateHooks?.values() ?? []) h(v);
    return [];
  }
}

/** Adds `g` to `t.grad` as PyTorch does: steals or clones the first gradient, adds in place afterwards. */
export function accumulateInto(t: Tensor, g: Tensor, ctx: ApplyContext): void {
  const old = t.grad;
  if (old === null || old.isDisposed) {
    const owned = ctx.canSteal(g) && g.isContiguous() && g.dtype === t.dtype ? g : g.dtype !== t.dtype ? g.to(t.dtype) : g.clone();
    t.grad = owned;
    ctx.adopt(owned);
    return;
  }
  if (ctx.createGraph || old.requiresGrad) {
    const sum = old.add(g);
    t.grad = sum;
    ctx.adopt(sum);
    return;
  }
  old.add_(g);
}

// One accumulator per leaf, created on first use; weak, so a dropped leaf takes its accumulator with it.
const accumulators = new WeakMap<Tensor, AccumulateGrad>();

/** The accumulator of a leaf that requires grad (a tensor unpacked from a saved leaf reaches that leaf's). */
export function accumulatorOf(t: Tensor): Node {
  const leaf = peekMeta(t)?.accumulatesInto ?? t;
  let acc = accumulators.get(leaf);
  if (!acc) accumulators.set(leaf, (acc = new AccumulateGrad(leaf)));
  return acc;
}

/** Forgets a tensor's accumulator (detach_ makes it a fresh leaf). */
export function dropAccumulator(t: Tensor): void {
  accumulators.delete(t);
  const m = peekMeta(t);
  if (m) m.accumulatesInto = undefined;
}
