// randUniform / randNormal in WGSL: the Philox4x32-10 stream of backend/philox.ts bit for bit (mulhi from 16-bit halves), a thread per 4-word block.

import { numel, type PhiloxAttrs } from "@tsorch/tensor/backend";
import { gbuf, type GpuKernel } from "./kernel.js";
import type { GpuRuntime } from "./runtime.js";
import { WGSL_MATH } from "./wgsl-math.js";
import { MAIN_1D, META_DECL, groupsFor } from "./strided.js";
import { WGSL_COMMON, bindingDecl, familyOf, isSubWord, storeFn } from "./wgsl-dtype.js";
import type { DType } from "@tsorch/tensor/backend";

function source(out: DType, kind: "uniform" | "normal"): string {
  const emit =
    kind === "uniform"
      ? "for (var j = 0u; j < 4u; j++) { if (e + j < n) { st_y(at + i32(e + j), unitf(w[j])); } }"
      : `for (var j = 0u; j < 4u; j += 2u) {
      let u1 = 1.0 - unitf(w[j]); let u2 = unitf(w[j + 1u]);
      let r = sqrt(-2.0 * m_log(u1));
      let th = 6.283185307179586 * u2;
      if (e + j < n) { st_y(at + i32(e + j), r * m_cos(th)); }
      if (e + j + 1u < n) { st_y(at + i32(e + j + 1u), r * m_sin(th)); }
    }`;
  return [
    WGSL_COMMON,
    WGSL_MATH,
    META_DECL,
    bindingDecl(1, "y", true, isSubWord(out)),
    storeFn("y", out),
    /* wgsl */ `
fn unitf(u: u32) -> f32 { return f32(u >> 8u) * 5.9604644775390625e-8; }
fn philox(c: vec4<u32>, k: vec2<u32>) -> array<u32, 4> {
  var c0 = c.x; var c1 = c.y; var c2 = c.z; var c3 = c.w; var k0 = k.x; var k1 = k.y;
  for (var r = 0; r < 10; r++) {
    let hi0 = mulhi32(0xd2511f53u, c0); let lo0 = 0xd2511f53u * c0;
    let hi1 = mulhi32(0xcd9e8d57u, c2); let lo1 = 0xcd9e8d57u * c2;
    c0 = hi1 ^ c1 ^ k0; c1 = lo1; c2 = hi0 ^ c3 ^ k1; c3 = lo0;
    k0 = k0 + 0x9e3779b9u; k1 = k1 + 0xbb67ae85u;
  }
  return array<u32, 4>(c0, c1, c2, c3);
}`,
    MAIN_1D,
    "  let n = md[0]; let e = i * 4u; if (e >= n) { return; }",
    "  let lo = md[1] + i; let hi = md[2] + select(0u, 1u, lo < i);",
    "  let w = philox(vec4<u32>(lo, hi, 0u, 0u), vec2<u32>(md[3], md[4]));",
    "  let at = bitcast<i32>(md[5]);",
    "  " + emit,
    "}",
  ].join("\n");
}

/** randUniform / randNormal from the shared Philox stream into a contiguous float output. */
export function randKernel(rt: GpuRuntime, kind: "uniform" | "normal"): GpuKernel {
  return (_ins, outs, attrs: PhiloxAttrs) => {
    const out = outs[0];
    const n = numel(out.shape);
    if (n === 0) return;
    if (familyOf(out.dtype) !== "F")
      throw new TypeError(`rand${kind === "uniform" ? "Uniform" : "Normal"}: output dtype ${out.dtype} is not a float dtype${out.dtype === "float64" ? " the webgpu device holds (no float64 on WebGPU)" : ""}; generate float32 and cast.`);
    const off = attrs.offset;
    const meta = [n, off >>> 0, Math.floor(off / 4294967296) >>> 0, attrs.key[0] >>> 0, attrs.key[1] >>> 0, out.offset >>> 0];
    rt.launch({ key: `rand|${kind}|${out.dtype}`, code: () => source(out.dtype, kind), bindings: [{ buf: gbuf(out), write: true }], meta, groups: groupsFor(Math.ceil(n / 4)) });
  };
}
