// Saved tensors: what a node keeps for its backward, as its own reference to the storage, checked against in-place writes.

import { Tensor } from "@tsorch/tensor";
import type { GradFn } from "@tsorch/tensor";
import type { Storage } from "@tsorch/tensor/dispatch";
import { fmtShape } from "@tsorch/tensor/backend";
import { metaOf, peekMeta } from "./meta.js";

/** The message PyTorch gives for a second backward through a freed graph, with this API's names. */
export function freedGraphMessage(op: string): string {
  return (
    `${op}: trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ` +
    "Saved intermediate values of the graph are freed when you call backward() or grad(). " +
    "Pass { retainGraph: true } if you need to backward through the graph a second time or to access saved tensors after calling backward."
  );
}

/**
 * One tensor saved for backward. Holds its own reference on the storage (not a Tensor), so neither an op's
 * `dispose()` of its temporaries nor a scope can free it; records the version counter to refuse stale values.
 */
export class SavedTensor {
  private storage: Storage | null;
  private shape: readonly number[];
  private strides: readonly number[];
  private offset: number;
  private version: number;
  private readonly requiresGrad: boolean;
  private readonly gradFn: GradFn | null;
  private readonly outputNr: number;
  /** For a leaf that requires grad: the leaf, so an unpacked copy routes gradients to the same accumulator. */
  private readonly leaf: Tensor | null;

  /** `outputNr`: for an output of the saving node, which one (it is not attached to the node yet). */
  constructor(
    t: Tensor,
    private readonly isOutput: boolean,
    outputNr?: number,
  ) {
    t.assertAlive("autograd (saving a tensor for backward)");
    this.storage = t.storage;
    t.storage.retain();
    this.shape = t.shape;
    this.strides = t.strides;
    this.offset = t.offset;
    this.version = t.storage.version;
    this.requiresGrad = isOutput ? t.isFloatingPoint : t.requiresGrad;
    // An output's gradFn is the saving node itself: it is passed at unpack time instead, to keep no cycle here.
    this.gradFn = isOutput ? null : t.gradFn;
    this.outputNr = outputNr ?? peekMeta(t)?.outputNr ?? 0;
    this.leaf = !isOutput && t.requiresGrad && t.gradFn === null ? t : null;
  }

  /** A fresh tensor over the saved values, wired into the graph as the original was (for higher-order gradients). */
  unpack(owner: GradFn): Tensor {
    const s = this.storage;
    if (!s) throw new Error(freedGraphMessage(owner.name));
    if (s.version !== this.version) {
      const which = this.isOutput || this.gradFn ? `, which is output ${this.outputNr} of ${this.isOutput ? owner.name : this.gradFn!.name},` : "";
      throw new Error(
        `${owner.name}: one of the variables needed for gradient computation has been modified by an inplace operation: ` +
          `[${s.dtype} ${fmtShape(this.shape)}]${which} is at version ${s.version}; expected version ${this.version} instead. ` +
          `Hint: an in-place op (add_, mul_, copy_, …) changed a tensor after ${owner.name}'s forward saved it; ` +
          "use the out-of-place op (or clone() the tensor before modifying it) so backward sees the values the forward used.",
      );
    }
    const t = new Tensor(s, this.shape, this.strides, this.offset);
    unpacked.add(t);
    if (this.requiresGrad) {
      t.setRequiresGradUnchecked(true);
      t.gradFn = this.isOutput ? owner : this.gradFn;
      const m = metaOf(t);
      m.outputNr = this.outputNr;
      // An unpacked tensor saved again still reaches the original leaf.
      if (this.leaf) m.accumulatesInto = peekMeta(this.leaf)?.accumulatesInto ?? this.leaf;
    }
    return t;
  }

  /** True when this saved tensor reads `storage` (an in-place write into it is coming). */
  aliases(storage: Storage): boolean {
    return this.storage === storage;
  }

  /** Points this saved tensor at `copy` (same values, own storage), so a coming in-place write cannot change it. */
  rebind(copy: Tensor): void {
    copy.storage.retain();
    this.storage?.release();
    this.storage = copy.storage;
    this.shape = copy.shape;
    this.strides = copy.strides;
    this.offset = copy.offset;
    this.version = copy.storage.version;
  }

  /** The saved values as a plain tensor (no graph), for copying. */
  peek(): Tensor | null {
    return this.storage ? new Tensor(this.storage, this.shape, this.strides, this.offset) : null;
  }

  /** Drops the storage reference (after backward, unless the graph is retained). */
  release(): void {
    if (!this.storage) return;
    const s = this.storage;
    this.storage = null;
    s.release();
  }

  get released(): boolean {
    return this.storage === null;
  }
}

/** Tensors made by `unpack`: they share a storage with a forward tensor, so the engine never stores them as `.grad`. */
export const unpacked = new WeakSet<Tensor>();

/** A node's saved tensors; freed together, and by the GC when the graph is dropped without backward. */
export class SavedSet {
  readonly items: SavedTensor[] = [];
  add(s: SavedTensor): SavedTensor {
    this.items.push(s);
    if (this.items.length === 1) registry?.register(this, this.items, this);
    return s;
  }
  release(): void {
    for (const s of this.items) s.release();
    registry?.unregister(this);
  }
}

// The held value is the item list (not the set) so that the set itself can be collected.
const registry =
  typeof FinalizationRegistry !== "undefined"
    ? new FinalizationRegistry<SavedTensor[]>((items) => {
        for (const s of items) s.release();
      })
    : undefined;
