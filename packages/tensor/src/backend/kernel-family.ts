// The family helper backends build their kernel tables with: one generic kernel per op family, typed per op (backend.ts contract).

import type { Kernel } from "./backend.js";
import type { PrimitiveOp } from "./ops.js";

/**
 * One kernel per op of a family, as an object typed op by op, so a backend can spread families into one
 * `KernelTable` literal and the compiler still checks the table key by key.
 * @example
 * const kernels: KernelTable<MyBuf> = {
 *   ...kernelFamily(UNARY_FLOAT_OPS, (op) => unaryKernel(op, MY_UNARY_EXPRS[op])),
 *   ...kernelFamily(REDUCE_OPS, (op) => reduceKernel(op)),
 *   copy: copyKernel(), // …every other primitive by name
 * };
 */
export function kernelFamily<O extends PrimitiveOp, Buf = unknown>(ops: readonly O[], make: (op: O) => Kernel<O, Buf>): { [K in O]: Kernel<K, Buf> } {
  const table: Partial<Record<O, Kernel<O, Buf>>> = {};
  for (const op of ops) table[op] = make(op);
  // Each entry was made for its own op; TypeScript cannot narrow `Kernel<O>` to `Kernel<K>` per key by itself.
  return table as { [K in O]: Kernel<K, Buf> };
}
