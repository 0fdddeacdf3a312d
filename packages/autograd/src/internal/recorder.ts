// The autograd dispatcher layer: records a node for every differentiable op whose inputs require grad (and in-place writes).

import { untracked } from "@tsorch/tensor";
import { dispatch } from "@tsorch/tensor/dispatch";
import type { Tensor } from "@tsorch/tensor";
import type { DispatchOp, OpCall } from "@tsorch/tensor/dispatch";
import { isFloatingPoint, fmtShape } from "@tsorch/tensor/backend";
import { isGradEnabled, noGrad } from "../grad-mode.js";
import { GRAD_TABLE } from "../formulas/table.js";
import { zeroRegion } from "../formulas/shape.js";
import type { GradFormula } from "./formula.js";
import { OpNode } from "./formula.js";
import { metaOf, peekMeta } from "./meta.js";
import { moveRetain } from "./retain.js";
import { Node } from "./node.js";
import { edgeOf, refreshView } from "./edge.js";
import type { ApplyContext, Edge } from "./node.js";

/** Marks `outs` as outputs of `node`. */
function attach(node: Node, outs: readonly Tensor[]): void {
  outs.forEach((o, i) => {
    if (!isFloatingPoint(o.dtype)) return;
    const before = o.gradFn as Node | null;
    o.setRequiresGradUnchecked(true);
    o.gradFn = node;
    const m = metaOf(o);
    m.outputNr = i;
    if (o.base) m.baseGeneration = peekMeta(o.base)?.generation ?? 0;
    if (o.retainsGrad) moveRetain(o, before);
  });
}

/** The interceptor: runs the op, then records what backward needs. */
export function recordOp(call: OpCall, next: (c: OpCall) => Tensor[]): Tensor[] {
  if (call.op === "assign") return recordAssign(call as OpCall<"assign">, next);
  if (!isGradEnabled()) return next(call);
  let any = false;
  for (const t of call.inputs) if (t.requiresGrad) any = true;
  if (!any) return next(call);
  const formula = GRAD_TABLE[call.op];
  if (formula === "nondifferentiable") return next(call);
  const edges = call.inputs.map(edgeOf);
  const outs = next(call);
  // Casts to integer dtypes and the like: nothing differentiable comes out, so nothing is recorded or saved.
  if (!outs.some((o) => isFloatingPoint(o.dtype))) return outs;
  const node = new OpNode(formula as GradFormula<DispatchOp>, call, outs, edges);
  attach(node, outs);
  return outs;
}

function leafInplaceError(t: Tensor, isView: boolean): Error {
  return new Error(
    `${isView ? "a view of a leaf tensor" : "a leaf tensor"} that requires grad (shape ${fmtShape(t.shape)}) is being used in an in-place operation. ` +
      "Wrap the update in noGrad(() => ...) (as optimizers do), or work on a clone: x.clone().add_(...).",
  );
}

/**
 * `x.op_(…)` runs as `x.copy_(op(x, …))`: the op may have saved `x` itself, which the write is about to change.
 * Those saved values are moved to a copy first (PyTorch's `original_self`), so the in-place form differentiates as
 * the out-of-place one. Anything else that saved `x` still fails at backward, as in PyTorch.
 */
function preserveProducerSaves(dst: Tensor, src: Tensor): void {
  let node = src.gradFn as Node | null;
  for (let depth = 0; node && depth < 3; depth++) {
    for (const s of node.saved.items) {
      if (!s.aliases(dst.storage)) continue;
      const view = s.peek();
      if (!view) continue;
      const copy = untracked(() => noGrad(() => view.clone()));
      s.rebind(copy);
      copy.dispose();
      view.dispose();
    }
    if (!/^(Expand|View|Permute)Backward|^CloneBackward/.test(node.name)) break;
    node = node.next[0]?.node ?? null;
  }
}

/** In-place write `dst.copy_(src)`: rewires dst's history (and its base's, when dst is a view). */
function recordAssign(call: OpCall<"assign">, next: (c: OpCall) => Tensor[]): Tensor[] {
  const [dst, src] = call.inputs;
  if (!isGradEnabled() || !(dst.requiresGrad || src.requiresGrad || dst.base?.requiresGrad)) return next(call);
  preserveProducerSaves(dst, src);
  const base = dst.base;
  if (!base) {
    if (dst.requiresGrad && dst.isLeaf) throw leafInplaceError(dst, false);
    const edges = [edgeOf(dst), edgeOf(src)];
    const outs = next(call);
    attach(new OpNode(GRAD_TABLE.assign as GradFormula<"assign">, call, [dst], edges), [dst]);
    return outs;
  }
  if (base.requiresGrad && base.isLeaf) throw leafInplaceError(dst, true);
  const contiguous = base.isContiguous();
  if (!contiguous)
    throw new Error(
      `in-place write into a view: autograd needs the view's base to be contiguous (base ${fmtShape(base.shape)}, strides ${fmtShape(base.strides)}). ` +
        "Write into a contiguous tensor, or use out-of-place ops.",
    );
  const region = { shape: dst.shape, strides: dst.strides, offset: dst.offset - base.offset };
  const edges = [edgeOf(base), edgeOf(src)];
  const outs = next(call);
  const node = new CopySlices(edges, region, base, src);
  attach(node, [base]);
  const bm = metaOf(base);
  bm.generation = (bm.generation ?? 0) + 1;
  refreshView(dst);
  return outs;
}

/** The node of an in-place write through a view: the base's gradient outside the view, the source's inside it. */
class CopySlices extends Node {
  readonly name = "CopySlices";
  private readonly srcDtype: string;
  constructor(
    next: (Edge | null)[],
    private readonly region: { shape: readonly number[]; strides: readonly number[]; offset: number },
    base: Tensor,
    src: Tensor,
  ) {
    super(next, 1);
    this.srcDtype = src.dtype;
    this.inputInfos = [base, src].map((t) => ({ shape: t.shape, dtype: t.dtype }));
  }

  apply(grads: (Tensor | null)[], _ctx: ApplyContext): (Tensor | null)[] {
    const g = grads[0];
    if (!g) return [];
    const r = this.region;
    const gBase = this.next[0] ? zeroRegion(g, r) : null;
    let gSrc: Tensor | null = null;
    if (this.next[1]) {
      const c = g.contiguous();
      gSrc = dispatch({ op: "asStrided", inputs: [c], attrs: { shape: r.shape, strides: r.strides, offset: r.offset } })[0];
      if (gSrc.dtype !== this.srcDtype) gSrc = gSrc.to(this.srcDtype as Tensor["dtype"]);
    }
    return [gBase, gSrc];
  }
}
