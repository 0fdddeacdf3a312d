// fill and the Philox random fills (randUniform, randNormal) on the CPU.

import { philoxFill, type PhiloxAttrs } from "../../backend/index.js";
import type { AnyKernel } from "./half-wrap.js";
import { f32ToHalf } from "./half-convert.js";
import type { CachingAllocator } from "./pool.js";
import { toBig } from "./scalar-math.js";
import { toHalfBits } from "./half-convert.js";
import { sizeOf } from "./strides.js";

/** Writes one value to every element of the (contiguous) output, converted to its dtype. */
export function fillKernel(): AnyKernel {
  return (_ins, outs, attrs: { value: number | bigint | boolean }) => {
    const out = outs[0];
    const n = sizeOf(out.shape);
    const v = attrs.value;
    const num = typeof v === "boolean" ? (v ? 1 : 0) : typeof v === "bigint" ? Number(v) : v;
    let x: number | bigint;
    switch (out.dtype) {
      case "int64":
        x = typeof v === "bigint" ? BigInt.asIntN(64, v) : toBig(num);
        break;
      case "bool":
        x = num !== 0 ? 1 : 0;
        break;
      case "float16":
      case "bfloat16":
        x = toHalfBits(out.dtype === "bfloat16", num);
        break;
      default:
        x = num;
    }
    (out.buffer as Float64Array).fill(x as number, out.offset, out.offset + n);
  };
}

/** randUniform / randNormal from the shared Philox stream; every float dtype gets the same values (rounded). */
export function randKernel(pool: CachingAllocator, kind: "uniform" | "normal"): AnyKernel {
  return (_ins, outs, attrs: PhiloxAttrs) => {
    const out = outs[0];
    const n = sizeOf(out.shape);
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
