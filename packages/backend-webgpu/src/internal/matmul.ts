// Batched matmul in WGSL: 64x64 output blocks per workgroup, 4x4 per thread, K in tiles of 16 through workgroup memory; any operand strides (transposes and broadcast batches are free).

import { gbuf, unsupported, type GpuKernel } from "./kernel.js";
import type { GpuRuntime } from "./runtime.js";
import { META_DECL } from "./strided.js";
import { WGSL_COMMON, bindingDecl, familyOf, isSubWord, loadFn, storeFn, wgslType, zeroOf, type Family } from "./wgsl-dtype.js";
import type { DType } from "@tsorch/tensor/backend";

const BM = 64;
const BN = 64;
const BK = 16;

// The 4x4 register tile, unrolled into scalars: dynamic indexing of private arrays spills on some drivers.
const R4 = [0, 1, 2, 3];
const accDecl = (zero: string) => R4.map((r) => R4.map((c) => `var c${r}${c} = ${zero};`).join(" ")).map((l) => "  " + l).join("\n");
// Multiply-add per family: floats fuse, int32 wraps (as PyTorch's fixed-width ints), int64 in 32-bit pieces.
const MAD: Record<Family, (a: string, b: string, c: string) => string> = {
  F: (a, b, c) => `fma(${a}, ${b}, ${c})`,
  I: (a, b, c) => `${c} + ${a} * ${b}`,
  L: (a, b, c) => `l_add(${c}, l_mul(${a}, ${b}))`,
};
const inner = (f: Family) => [
  `    for (var kk = 0u; kk < ${BK}u; kk++) {`,
  ...R4.map((r) => `      let a${r} = ta[(lid.y + ${16 * r}u) * ${BK}u + kk];`),
  ...R4.map((c) => `      let b${c} = tb[kk * ${BN}u + lid.x + ${16 * c}u];`),
  ...R4.flatMap((r) => R4.map((c) => `      c${r}${c} = ${MAD[f](`a${r}`, `b${c}`, `c${r}${c}`)};`)),
  "    }",
].join("\n");
const STORE = R4.flatMap((r) => [
  `  { let gr = row0 + lid.y + ${16 * r}u;`,
  ...R4.map((c) => `    { let gc = col0 + lid.x + ${16 * c}u; if (gr < M && gc < N) { st_y(oBase + i32(gr) * osm + i32(gc) * osn, c${r}${c}); } }`),
  "  }",
]).join("\n");

function source(a: DType, b: DType, out: DType): string {
  const f = familyOf(a);
  const T = wgslType(f);
  const zero = zeroOf(f);
  return [
    WGSL_COMMON,
    META_DECL,
    bindingDecl(1, "xa", false, false),
    bindingDecl(2, "xb", false, false),
    bindingDecl(3, "y", true, isSubWord(out)),
    loadFn("xa", a),
    loadFn("xb", b),
    storeFn("y", out),
    `var<workgroup> ta: array<${T}, ${BM * BK}>;`,
    `var<workgroup> tb: array<${T}, ${BK * BN}>;`,
    /* wgsl */ `
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = md[1]; let N = md[2]; let K = md[3];
  let bt = wid.z;
  let aBase = bitcast<i32>(md[4]) + i32(bt) * bitcast<i32>(md[5]);
  let sam = bitcast<i32>(md[6]); let ask = bitcast<i32>(md[7]);
  let bBase = bitcast<i32>(md[8]) + i32(bt) * bitcast<i32>(md[9]);
  let bsk = bitcast<i32>(md[10]); let bsn = bitcast<i32>(md[11]);
  let oBase = bitcast<i32>(md[12]) + i32(bt) * bitcast<i32>(md[13]);
  let osm = bitcast<i32>(md[14]); let osn = bitcast<i32>(md[15]);
  let row0 = wid.y * ${BM}u;
  let col0 = wid.x * ${BN}u;
  let t = lid.y * 16u + lid.x;
${accDecl(zero)}
  for (var k0 = 0u; k0 < K; k0 += ${BK}u) {
    for (var q = 0u; q < 4u; q++) {
      let e = t + q * 256u;
      // A tile: 64 rows x 16 k; B tile: 16 k x 64 cols.
      let ar = e / ${BK}u; let ak = e % ${BK}u;
      let gr = row0 + ar; let gk = k0 + ak;
      var va: ${T} = ${zero};
      if (gr < M && gk < K) { va = ld_xa(aBase + i32(gr) * sam + i32(gk) * ask); }
      ta[ar * ${BK}u + ak] = va;
      let bk = e / ${BN}u; let bc = e % ${BN}u;
      let gk2 = k0 + bk; let gc = col0 + bc;
      var vb: ${T} = ${zero};
      if (gk2 < K && gc < N) { vb = ld_xb(bBase + i32(gk2) * bsk + i32(gc) * bsn); }
      tb[bk * ${BN}u + bc] = vb;
    }
    workgroupBarrier();
${inner(f)}
    workgroupBarrier();
  }
${STORE}
}`,
  ].join("\n");
}

/** [B, M, K] @ [B, K, N] -> [B, M, N]: floats (float16 / bfloat16 accumulate in float32), and integers wrapping as PyTorch's. */
export function matmulKernel(rt: GpuRuntime): GpuKernel {
  return (ins, outs) => {
    const [x, w] = ins;
    const out = outs[0];
    if (x.dtype === "float64" || w.dtype === "float64") unsupported("matmul", "float64");
    if (familyOf(x.dtype) !== familyOf(w.dtype) || familyOf(x.dtype) !== familyOf(out.dtype))
      throw new TypeError(`matmul: operands ${x.dtype} and ${w.dtype} (output ${out.dtype}) must share a dtype on the webgpu backend.`);
    const [B, M, K] = x.shape;
    const N = w.shape[2];
    if (B * M * N === 0) return;
    const meta = [B, M, N, K, x.offset, x.strides[0], x.strides[1], x.strides[2], w.offset, w.strides[0], w.strides[1], w.strides[2], out.offset, out.strides[0], out.strides[1], out.strides[2]].map((v) => v >>> 0);
    rt.launch({
      key: `matmul|${x.dtype}|${w.dtype}|${out.dtype}`,
      code: () => source(x.dtype, w.dtype, out.dtype),
      bindings: [{ buf: gbuf(x) }, { buf: gbuf(w) }, { buf: gbuf(out), write: true }],
      meta,
      groups: 0,
      grid: [Math.ceil(N / BN), Math.ceil(M / BM), B],
    });
  };
}
