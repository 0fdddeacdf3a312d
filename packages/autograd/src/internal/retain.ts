// retainGrad bookkeeping: a non-leaf that retains its gradient is registered on the node that makes it.

import type { Tensor } from "@tsorch/tensor";
import { peekMeta } from "./meta.js";
import type { Node } from "./node.js";

/** Registers `t` on its gradFn so the engine stores its gradient in `t.grad` (no-op for leaves). */
export function retainOn(t: Tensor): void {
  const node = t.gradFn as Node | null;
  if (!node) return;
  (node.retained ??= new Map()).set(peekMeta(t)?.outputNr ?? 0, t);
}

/** Moves a retained gradient registration when an in-place op gives `t` a new gradFn. */
export function moveRetain(t: Tensor, from: Node | null): void {
  if (!t.retainsGrad) return;
  if (from?.retained) for (const [k, v] of from.retained) if (v === t) from.retained.delete(k);
  retainOn(t);
}
