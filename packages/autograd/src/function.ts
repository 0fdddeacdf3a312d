// Custom autograd functions: user-defined forward and backward, as torch.autograd.Function (class and defineFunction forms).

import { Tensor, zeros } from "@tsorch/tensor";
import { isGradEnabled, noGrad } from "./grad-mode.js";
import { metaOf } from "./internal/meta.js";
import { Node } from "./internal/node.js";
import type { ApplyContext, Edge } from "./internal/node.js";
import { SavedTensor } from "./internal/saved.js";
import { edgeOf } from "./internal/edge.js";

/** The `ctx` a custom function's forward and backward share; extra properties may be stored on it. */
export interface FunctionCtx {
  /** Saves tensors for backward (checked against in-place changes, freed after backward). */
  saveForBackward(...tensors: Tensor[]): void;
  /** The saved tensors (in backward). */
  readonly savedTensors: Tensor[];
  /** For each forward argument: whether its gradient is needed. */
  readonly needsInputGrad: readonly boolean[];
  /** Outputs that get no gradient (indices, masks). */
  markNonDifferentiable(...tensors: Tensor[]): void;
  /** Whether missing output gradients are given to backward as zeros (default) or as null. */
  setMaterializeGrads(value: boolean): void;
  [key: string]: unknown;
}

type Grads = Tensor | null | undefined | readonly (Tensor | null | undefined)[];

/** A custom op as `defineFunction` takes it. */
export interface FunctionDefinition<A extends unknown[], R extends Tensor | Tensor[]> {
  /** Used for the gradFn name (`${name}Backward`). */
  name?: string;
  forward(ctx: FunctionCtx, ...args: A): R;
  /** One gradient per forward argument (null for non-tensors or inputs that need none). */
  backward(ctx: FunctionCtx, ...grads: (Tensor | null)[]): Grads;
}

class Ctx implements FunctionCtx {
  [key: string]: unknown;
  toSave: Tensor[] = [];
  saved: SavedTensor[] | null = null;
  node: Node | null = null;
  nonDiff = new Set<Tensor>();
  materialize = true;
  constructor(readonly needsInputGrad: readonly boolean[]) {}
  saveForBackward(...tensors: Tensor[]): void {
    this.toSave = tensors;
  }
  get savedTensors(): Tensor[] {
    if (!this.saved || !this.node) return [...this.toSave];
    return this.saved.map((s) => s.unpack(this.node!));
  }
  markNonDifferentiable(...tensors: Tensor[]): void {
    for (const t of tensors) this.nonDiff.add(t);
  }
  setMaterializeGrads(value: boolean): void {
    this.materialize = value;
  }
}

class CustomNode extends Node {
  constructor(
    readonly name: string,
    next: (Edge | null)[],
    private readonly outInfos: { shape: readonly number[]; dtype: Tensor["dtype"]; device: string }[],
    private readonly ctx: Ctx,
    private readonly fn: FunctionDefinition<unknown[], Tensor | Tensor[]>["backward"],
  ) {
    super(next, outInfos.length);
  }

  apply(grads: (Tensor | null)[], _c: ApplyContext): (Tensor | null | undefined)[] {
    const gs = grads.map((g, i) => (g || !this.ctx.materialize ? g : zeros(this.outInfos[i].shape, { dtype: this.outInfos[i].dtype, device: this.outInfos[i].device })));
    const r = this.fn(this.ctx, ...gs);
    const list = r instanceof Tensor || r === null || r === undefined ? [r] : [...r];
    if (list.length !== this.next.length)
      throw new Error(`${this.name}: function backward returned an incorrect number of gradients (expected ${this.next.length}, got ${list.length}); return one per forward argument, null for non-tensors.`);
    return list.map((g) => g ?? null);
  }
}

/** Runs a custom function: forward without recording, then one node for the whole op. */
export function applyFunction<A extends unknown[], R extends Tensor | Tensor[]>(def: FunctionDefinition<A, R>, args: A): R {
  const recording = isGradEnabled();
  const edges = args.map((a) => (recording && a instanceof Tensor ? edgeOf(a) : null));
  const ctx = new Ctx(edges.map((e) => e !== null));
  const raw = noGrad(() => def.forward(ctx, ...args));
  if (!edges.some((e) => e !== null)) return raw;
  const single = raw instanceof Tensor;
  // An input returned as-is becomes a new alias, so its own history is not overwritten.
  const outs = (single ? [raw] : [...(raw as Tensor[])]).map((o) => (args.includes(o) ? new Tensor(o.storage, o.shape, o.strides, o.offset) : o));
  const name = `${def.name ?? "Custom"}Backward`;
  const node = new CustomNode(
    name,
    edges,
    outs.map((o) => ({ shape: o.shape, dtype: o.dtype, device: o.device })),
    ctx,
    def.backward as FunctionDefinition<unknown[], Tensor | Tensor[]>["backward"],
  );
  node.inputInfos = args.map((a) => (a instanceof Tensor ? { shape: a.shape, dtype: a.dtype } : { shape: [], dtype: "" }));
  outs.forEach((o, i) => {
    if (!o.isFloatingPoint || ctx.nonDiff.has(o) || ctx.nonDiff.has((single ? [raw] : (raw as Tensor[]))[i])) return;
    o.setRequiresGradUnchecked(true);
    o.gradFn = node;
    metaOf(o).outputNr = i;
  });
  ctx.saved = ctx.toSave.map((t) => {
    const k = outs.indexOf(t);
    return node.saved.add(k >= 0 && t.gradFn === node ? new SavedTensor(t, true, k) : new SavedTensor(t, false));
  });
  ctx.node = node;
  ctx.toSave = [];
  return (single ? outs[0] : outs) as R;
}

/**
 * Defines a differentiable op from a forward and a backward, as a `torch.autograd.Function` subclass does;
 * returns a function to call like any op.
 * @example
 * const myExp = defineFunction({
 *   name: "MyExp",
 *   forward(ctx, x: Tensor) { const y = x.exp(); ctx.saveForBackward(y); return y; },
 *   backward(ctx, g) { const [y] = ctx.savedTensors; return g!.mul(y); },
 * });
 * myExp(x).sum().backward();
 */
export function defineFunction<A extends unknown[], R extends Tensor | Tensor[]>(def: FunctionDefinition<A, R>): (...args: A) => R {
  return (...args: A) => applyFunction(def, args);
}

type ForwardArgs<T> = T extends { forward(ctx: FunctionCtx, ...args: infer A): unknown } ? A : never;
type ForwardResult<T> = T extends { forward(...args: never[]): infer R } ? R : never;

/**
 * Base class of custom functions in PyTorch's style: static `forward(ctx, ...)` and `backward(ctx, ...grads)`,
 * called through `MyOp.apply(...)`. (Named `Function` as in PyTorch; import it under another name if you need the
 * global `Function` in the same file.)
 * @example
 * class Square extends Function {
 *   static forward(ctx: FunctionCtx, x: Tensor) { ctx.saveForBackward(x); return x.mul(x); }
 *   static backward(ctx: FunctionCtx, g: Tensor | null) { const [x] = ctx.savedTensors; return g!.mul(x).mul(2); }
 * }
 * const y = Square.apply(x);
 */
export class Function {
  static forward(_ctx: FunctionCtx, ..._args: unknown[]): Tensor | Tensor[] {
    throw new Error("Function.forward: subclasses must implement a static forward(ctx, ...args).");
  }

  static backward(_ctx: FunctionCtx, ..._grads: (Tensor | null)[]): Grads {
    throw new Error("Function.backward: subclasses must implement a static backward(ctx, ...grads).");
  }

  static apply<T extends typeof Function>(this: T, ...args: ForwardArgs<T>): ForwardResult<T> {
    const cls = this;
    return applyFunction(
      { name: cls.name, forward: (ctx, ...a: unknown[]) => cls.forward(ctx, ...a), backward: (ctx, ...g) => cls.backward(ctx, ...g) },
      args as unknown[],
    ) as ForwardResult<T>;
  }
}

