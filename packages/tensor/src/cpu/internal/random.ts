// The Philox random fills (randUniform, randNormal) on the CPU, as backend/philox.ts defines the stream.

import { numel, philoxFill, type PhiloxAttrs } from "../../backend/index.js";
import type { AnyKernel } from "./half-wrap.js";
import { f32ToHalf } from "./half-convert.js";
import type { CachingAllocator } from "./pool.js";

// Elements generated per pass for float32 and half outputs (a multiple of 4: one Philox block is 4 elements).
const CHUNK = 1 << 16;

/** randUniform / randNormal from the shared Philox stream; every float dtype gets the same values (rounded). */
export function randKernel(pool: CachingAllocator, kind: "uniform" | "normal"): AnyKernel {
  return (_ins, outs, attrs: PhiloxAttrs) => {
    const out = outs[0];
    const n = numel(out.shape);
    if (n === 0) return;
    const d = out.dtype;
    if (d === "float64") {
      philoxFill((out.buffer as Float64Array).subarray(out.offset, out.offset + n), attrs.key, attrs.offset, kind);
      return;
    }
    if (d === "float32" || d === "float16" || d === "bfloat16") {
      // Values are produced in double and rounded once, a chunk at a time: a full-size float64 temporary would be
      // twice the tensor (the embedding table of a model built from a config).
      const chunk = Math.min(n, CHUNK);
      const tmp = pool.alloc("float64", chunk) as Float64Array;
      const f = d === "float32" ? null : (pool.alloc("float32", chunk) as Float32Array);
      for (let s = 0; s < n; s += CHUNK) {
        const len = Math.min(CHUNK, n - s);
        const part = len === chunk ? tmp : tmp.subarray(0, len);
        // Chunks start on block boundaries (CHUNK is a multiple of 4), so element s uses block offset + s / 4.
        philoxFill(part, attrs.key, attrs.offset + s / 4, kind);
        if (f === null) (out.buffer as Float32Array).set(part, out.offset + s);
        else {
          f.set(part);
          f32ToHalf(d === "bfloat16", f, 0, out.buffer as Uint16Array, out.offset + s, len);
        }
      }
      pool.free(tmp);
      if (f !== null) pool.free(f);
      return;
    }
    throw new TypeError(`rand${kind === "uniform" ? "Uniform" : "Normal"}: output dtype ${d} is not a float dtype; generate float32 and cast.`);
  };
}
