// Graph nodes (PyTorch's torch.autograd.graph.Node): edges to the inputs' nodes, tensor hooks, retained grads, saved tensors.

import type { GradFn, Tensor } from "@tsorch/tensor";
import type { GradHook } from "./meta.js";
import { SavedSet } from "./saved.js";

/** Where a gradient goes: input `nr` of `node`. */
export interface Edge {
  readonly node: Node;
  readonly nr: number;
}

/** What the engine tells a node while it runs. */
export interface ApplyContext {
  readonly createGraph: boolean;
  /** Keeps a tensor the node hands out (a leaf's `.grad`) out of the engine's clean-up. */
  adopt(t: Tensor): void;
  /** True when the engine made `t` and nothing else references it, so it can be stored without a copy. */
  canSteal(t: Tensor): boolean;
}

let sequence = 0;

/** A recorded op: gradients of its outputs in, gradients of its inputs out (one per edge). */
export abstract class Node implements GradFn {
  /** Creation order: later nodes run first, as PyTorch's sequence numbers. */
  readonly seq = sequence++;
  abstract readonly name: string;
  readonly saved = new SavedSet();
  /** Hooks registered on the non-leaf tensors this node made, per output. */
  private tensorHooks: Map<number, Map<number, GradHook>> | undefined;
  /** Non-leaf outputs that asked for `.grad` (retainGrad). */
  retained: Map<number, Tensor> | undefined;
  /** Set once backward ran without retainGraph and the node had saved tensors. */
  released = false;
  /** Shape and dtype of each input, to check the gradients `apply` returns. */
  inputInfos: readonly { readonly shape: readonly number[]; readonly dtype: string }[] = [];

  constructor(
    readonly next: readonly (Edge | null)[],
    readonly numOutputs: number,
  ) {}

  /** Computes input gradients from output gradients (null = zero). Runs inside a scope. */
  abstract apply(grads: (Tensor | null)[], ctx: ApplyContext): (Tensor | null | undefined)[];

  /** Hooks to run on the gradient of output `nr` before it is used. */
  hooksFor(nr: number): Iterable<GradHook> {
    return this.tensorHooks?.get(nr)?.values() ?? [];
  }

  addHook(nr: number, id: number, hook: GradHook): () => void {
    this.tensorHooks ??= new Map();
    let m = this.tensorHooks.get(nr);
    if (!m) this.tensorHooks.set(nr, (m = new Map()));
    m.set(id, hook);
    return () => m!.delete(id);
  }

  /** Frees saved tensors. */
  release(): void {
    if (this.saved.items.length) this.released = true;
    this.saved.release();
  }
}
