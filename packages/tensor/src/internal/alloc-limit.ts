// Allocation limits of every new tensor (creation ops and op results): refuses shapes past 2^53 elements and turns the device's allocation failures into errors naming op, shape, bytes and device.

import type { DType } from "../backend/dtype.js";
import { itemSize } from "../backend/dtype.js";
import { fmtShape } from "../backend/layout.js";

/** What a backend or the engine says when memory is refused: V8's typed-array limits, a GPU's buffer-size limits. */
const REFUSED = /typed array length|array buffer|allocation failed|out of memory|maxBufferSize|maxStorageBufferBindingSize/i;

/** The error of a refused allocation; its details let an enclosing creation op (zeros) re-word it under its own name. */
class AllocationError extends RangeError {
  constructor(
    op: string,
    readonly details: { shape: readonly number[]; dtype: DType; device: string; n: number; bytes: number; reason: string },
    cause: unknown,
  ) {
    const { shape, dtype, device, n, bytes, reason } = details;
    super(
      `${op}: cannot allocate a ${dtype} tensor of shape ${fmtShape(shape)} (${n} elements, ${bytes} bytes) on device "${device}": ` +
        `${reason}. Use a smaller shape or a device with more memory.`,
      { cause },
    );
    this.name = "RangeError";
  }
}

/**
 * Runs `alloc` for a new tensor of `shape`, with a clear error when the shape is too large or memory is refused.
 * Nested calls (a creation op whose result is allocated by the dispatcher) report the outermost op's name.
 */
export function withAllocLimit<T>(op: string, shape: readonly number[], dtype: DType, device: string, alloc: () => T): T {
  let n = 1;
  for (const d of shape) n *= d;
  const bytes = n * itemSize(dtype);
  if (n > Number.MAX_SAFE_INTEGER)
    throw new RangeError(
      `${op}: shape ${fmtShape(shape)} has about ${n.toExponential(3)} elements, more than 2^53; no device can hold it. Use a smaller shape.`,
    );
  try {
    return alloc();
  } catch (e) {
    if (e instanceof AllocationError) throw new AllocationError(op, e.details, e.cause);
    if (e instanceof RangeError && REFUSED.test(e.message))
      throw new AllocationError(op, { shape, dtype, device, n, bytes, reason: e.message.replace(/\.$/, "") }, e);
    throw e;
  }
}
