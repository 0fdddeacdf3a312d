// `using` for a group of tensors a helper returned (a record of intermediates): the one memory idiom of ops/*.ts, docs/contributing.md.

import type { Tensor } from "../tensor.js";

/**
 * Makes a record or list of tensors disposable as one, so `using parts = disposing(helper(x))` frees every tensor in
 * it when the block ends (the unused outputs of a multi-output op, a helper's intermediates).
 */
export function disposing<T extends Record<string, Tensor> | readonly Tensor[]>(parts: T): T & Disposable {
  return Object.assign(parts, {
    [Symbol.dispose](): void {
      for (const t of Object.values(parts)) t.dispose();
    },
  });
}
