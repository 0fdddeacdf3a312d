// Shared pieces of the fused kernels: float32 buffer bindings, workgroup reductions, meta words and workgroup indexing.

import type { KernelTensor } from "@tsorch/tensor/backend";
import type { GpuBuffer } from "../pool.js";
import type { Binding } from "../runtime.js";
import { loadFn } from "../wgsl-dtype.js";

export type KT = KernelTensor<GpuBuffer>;

/** The bits of `x` as a float32, for meta words. */
export function f32bits(x: number): number {
  return new Uint32Array(new Float32Array([x]).buffer)[0];
}

/** One buffer of a fused kernel: a name for its WGSL accessors, and whether the kernel writes it. */
export interface Buf {
  readonly name: string;
  readonly t: KT;
  readonly write?: boolean;
}

/**
 * WGSL bindings 1.. (binding 0 is the meta words): `ld_<name>(i: i32)` reading the dtype's compute value (f32,
 * i32, or int64 as vec2<u32> low/high words) and, for written float32 ones, `st_<name>(i: i32, v: f32)`.
 */
export function f32Bindings(bufs: readonly Buf[]): string {
  return bufs
    .map((b, k) => {
      const decl = `@group(0) @binding(${k + 1}) var<storage, ${b.write ? "read_write" : "read"}> ${b.name}: array<u32>;`;
      if (b.t.dtype !== "float32") return `${decl}\n${loadFn(b.name, b.t.dtype)}`;
      const ld = `fn ld_${b.name}(i: i32) -> f32 { return bitcast<f32>(${b.name}[i]); }`;
      const st = b.write ? `\nfn st_${b.name}(i: i32, val: f32) { ${b.name}[i] = bitcast<u32>(val); }` : "";
      return `${decl}\n${ld}${st}`;
    })
    .join("\n");
}

/** The runtime bindings of `bufs`, in declaration order. */
export function launchBindings(bufs: readonly Buf[]): Binding[] {
  return bufs.map((b) => ({ buf: b.t.buffer.buffer, write: !!b.write }));
}

/** WGSL: meta accessors and workgroup sum / max over `n` threads (every thread of the workgroup must call them). */
export function reductions(n: number): string {
  return /* wgsl */ `
fn mu(i: u32) -> u32 { return md[i]; }
fn mi(i: u32) -> i32 { return bitcast<i32>(md[i]); }
fn mf(i: u32) -> f32 { return bitcast<f32>(md[i]); }
fn is_ninf(x: f32) -> bool { return bitcast<u32>(x) == 0xff800000u; }
var<workgroup> red: array<f32, ${n}>;
fn wred(v: f32, li: u32, isMax: bool) -> f32 {
  red[li] = v;
  workgroupBarrier();
  for (var s = ${n / 2}u; s > 0u; s = s >> 1u) {
    if (li < s) { red[li] = select(red[li] + red[li + s], f_max(red[li], red[li + s]), isMax); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
fn wsum(v: f32, li: u32) -> f32 { return wred(v, li, false); }
fn wmax(v: f32, li: u32) -> f32 { return wred(v, li, true); }`;
}

/**
 * WGSL entry header of a kernel with one workgroup per item (md[0] items): `g` is the item (clamped, so every
 * workgroup reaches the barriers), `valid` says whether this workgroup owns a real one.
 */
export function mainPerGroup(n: number): string {
  return /* wgsl */ `@compute @workgroup_size(${n})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let g0 = wid.y * nwg.x + wid.x;
  let valid = g0 < md[0];
  let g = min(g0, md[0] - 1u);`;
}
