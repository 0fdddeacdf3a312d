// The Philox random fills (randUniform, randNormal) on the CPU, as backend/philox.ts defines the stream.

import { numel, philoxFill, type PhiloxAttrs } from "../../backend/index.js";
import type { AnyKernel } from "./half-wrap.js";
import { f32ToHalf } from "./half-convert.js";
import type { CachingAllocator } from "./pool.js";

/** randUniform / randNormal from the shared Philox stream; every float dtype gets the same values (rounded). */
export function randKernel(pool: CachingAllocator, kind: "uniform" | "normal"): AnyKernel {
  return (_ins, outs, attrs: PhiloxAttrs) => {
    const out = outs[0];
    const n = numel(out.shape);
    if (n === 0) return;
    const d = out.dtype;
    if (d === "float32" || d === "float64") {
      const view = (out.buffer as Float32Array | Float64Array).subarray(out.offset, out.offset + n);
      if (d === "float32") {
        // Values are produced in double, then rounded once to float32.
        const tmp = pool.alloc("float64", n) as Float64Array;
        philoxFill(tmp, attrs.key, attrs.offset, kind);
        view.set(tmp);
        pool.free(tmp);
      } else philoxFill(view, attrs.key, attrs.offset, kind);
      return;
    }
    if (d === "float16" || d === "bfloat16") {
      const tmp = pool.alloc("float64", n) as Float64Array;
      const f = pool.alloc("float32", n) as Float32Array;
      philoxFill(tmp, attrs.key, attrs.offset, kind);
      f.set(tmp);
      f32ToHalf(d === "bfloat16", f, 0, out.buffer as Uint16Array, out.offset, n);
      pool.free(tmp);
      pool.free(f);
      return;
    }
    throw new TypeError(`rand${kind === "uniform" ? "Uniform" : "Normal"}: output dtype ${d} is not a float dtype; generate float32 and cast.`);
  };
}
