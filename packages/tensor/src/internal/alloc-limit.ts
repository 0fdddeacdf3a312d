// Allocation limits of creation ops: refuses shapes past 2^53 elements and turns the engine's allocation failures into errors naming op, shape, bytes and device.

import type { DType } from "../backend/dtype.js";
import { itemSize } from "../backend/dtype.js";
import { fmtShape } from "../backend/layout.js";

/** Runs `alloc` for a new tensor of `shape`, with a clear error when the shape is too large or memory is refused. */
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
    if (e instanceof RangeError && /typed array length|array buffer|allocation failed|out of memory|maxBufferSize/i.test(e.message))
      throw new RangeError(
        `${op}: cannot allocate a ${dtype} tensor of shape ${fmtShape(shape)} (${n} elements, ${bytes} bytes) on device "${device}": ` +
          `${e.message}. Use a smaller shape or a device with more memory.`,
        { cause: e },
      );
    throw e;
  }
}
