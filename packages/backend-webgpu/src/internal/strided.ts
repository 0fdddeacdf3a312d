// Strided indexing for kernels: host-side meta words (shape, per-operand offset and strides, dims merged where possible) and the WGSL that reads them.

/** One operand's view: element strides (may be 0 or negative) and element offset. */
export interface StridedView {
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Number of parameter words every strided meta block reserves before the shape (p0..p5; p5 takes the error id). */
export const PARAMS = 6;
/** Meta word where the shape starts: [n, ndim, p0..p5, shape..., per operand: offset, strides...]. */
export const SHAPE_AT = 2 + PARAMS;

/** Drops size-1 dims and merges neighbours that every operand walks contiguously (fewer divisions per element). */
export function collapse(shape: readonly number[], views: readonly StridedView[]): { shape: number[]; strides: number[][] } {
  const s: number[] = [];
  const st: number[][] = views.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = s.length - 1;
    if (last >= 0 && views.every((v, k) => st[k][last] === v.strides[d] * shape[d])) {
      s[last] *= shape[d];
      views.forEach((v, k) => (st[k][last] = v.strides[d]));
      continue;
    }
    s.push(shape[d]);
    views.forEach((v, k) => st[k].push(v.strides[d]));
  }
  return { shape: s, strides: st };
}

/** Meta words for an elementwise walk over `shape` with operands `views` (output first), plus up to 5 parameters. */
export function stridedMeta(shape: readonly number[], views: readonly StridedView[], params: readonly number[] = []): number[] {
  const c = collapse(shape, views);
  const n = shape.reduce((a, b) => a * b, 1);
  const nd = c.shape.length;
  const m = [n, nd, 0, 0, 0, 0, 0, 0, ...c.shape];
  for (let i = 0; i < params.length; i++) m[2 + i] = params[i] >>> 0;
  views.forEach((v, k) => {
    m.push(v.offset >>> 0);
    for (const x of c.strides[k]) m.push(x >>> 0);
  });
  return m;
}

/** WGSL `offsets(i)`: the element offsets of `k` operands for linear index i (row-major over the meta shape). */
export function offsetsFn(k: number): string {
  const init = Array.from({ length: k }, (_, j) => `r[${j}] = bitcast<i32>(md[b + ${j}u * (nd + 1u)]);`).join(" ");
  const step = Array.from({ length: k }, (_, j) => `r[${j}] += c * bitcast<i32>(md[b + ${j}u * (nd + 1u) + 1u + d]);`).join(" ");
  return /* wgsl */ `
fn offsets(i: u32) -> array<i32, ${k}> {
  let nd = md[1];
  let b = ${SHAPE_AT}u + nd;
  var r: array<i32, ${k}>;
  ${init}
  var rem = i;
  for (var dd = i32(nd) - 1; dd >= 0; dd--) {
    let d = u32(dd);
    let s = md[${SHAPE_AT}u + d];
    let c = i32(rem % s);
    rem = rem / s;
    ${step}
  }
  return r;
}`;
}

/** Workgroup size of the 1-D kernels. */
export const WG = 256;

/** The entry point header of a 1-D kernel: `i` is the global thread index. */
export const MAIN_1D = /* wgsl */ `@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let i = (wid.y * nwg.x + wid.x) * ${WG}u + li;`;

/** Workgroups for `n` threads of the 1-D kernels. */
export function groupsFor(n: number): number {
  return Math.ceil(n / WG);
}

/** The meta binding every kernel has at binding 0. */
export const META_DECL = "@group(0) @binding(0) var<storage, read> md: array<u32>;";

/** WGSL of the error binding at `b` and `raise(v)`, which records the first failing value and this launch's id. */
export function errDecl(b: number, idWord = 7): string {
  return `@group(0) @binding(${b}) var<storage, read_write> err: array<atomic<u32>, 4>;
fn raise(v: i32) { atomicMax(&err[0], md[${idWord}u]); atomicStore(&err[1], bitcast<u32>(v)); }`;
}
