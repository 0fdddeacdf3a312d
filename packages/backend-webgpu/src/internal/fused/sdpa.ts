// Fused scaled-dot-product attention, forward (online softmax over key tiles, one workgroup per query row) and backward (probabilities recomputed from q, k and per-row statistics; dq per query row, dk and dv per key row).

import type { FusedAttrs } from "@tsorch/tensor/backend";
import type { GpuRuntime } from "../runtime.js";
import { META_DECL } from "../strided.js";
import { WGSL_COMMON } from "../wgsl-dtype.js";
import { WGSL_MATH } from "../wgsl-math.js";
import { type Buf, type KT, f32Bindings, f32bits, launchBindings, mainPerGroup, reductions } from "./common.js";

/** Threads per workgroup, and keys (or queries) per tile. */
const T = 64;
type Attrs = FusedAttrs["sdpa"];
type Pass = "fwd" | "bwdQ" | "bwdKV";

// Meta slots of the operands: word 9 + 5·slot holds the offset, then the strides over [B, H, row, col].
const SLOT = { q: 0, k: 1, v: 2, mk: 3, o: 4, gout: 5, dq: 6, dk: 7, dv: 8 } as const;
type Name = keyof typeof SLOT;

// Strides of `t` read as [B, H, rows, cols]: dims it lacks (leading) or holds with size 1 are broadcast (stride 0).
function strides4(t: KT): number[] {
  const nd = t.shape.length;
  return [0, 1, 2, 3].map((d) => {
    const k = d - (4 - nd);
    return k < 0 || t.shape[k] === 1 ? 0 : t.strides[k];
  });
}

function meta(items: number, q: KT, k: KT, v: KT, a: Attrs, ops: Partial<Record<Name, KT | null>>): number[] {
  const [B, H, L, E] = q.shape;
  const m = [items, B, H, L, k.shape[2], E, v.shape[3], f32bits(a.scale), a.isCausal ? 1 : 0];
  for (const name of Object.keys(SLOT) as Name[]) {
    const t = ops[name];
    m.push(...(t ? [t.offset, ...strides4(t)] : [0, 0, 0, 0, 0]).map((x) => x >>> 0));
  }
  return m;
}

function source(pass: Pass, bufs: readonly Buf[], mask: Attrs["mask"], has: { dq?: boolean; dk?: boolean; dv?: boolean }): string {
  const maskCode =
    mask === "bool" ? "if (ld_mk(ix(3u, b, h, l, s)) == 0) { sc = -f_inf(); }" : mask === "additive" ? "sc += ld_mk(ix(3u, b, h, l, s));" : "";
  const common = /* wgsl */ `
var<workgroup> pt: array<f32, ${T}>;
var<workgroup> qt: array<f32, ${T}>;
fn ix(t: u32, b: u32, h: u32, r: u32, c: u32) -> i32 {
  let a = 9u + 5u * t;
  return mi(a) + i32(b) * mi(a + 1u) + i32(h) * mi(a + 2u) + i32(r) * mi(a + 3u) + i32(c) * mi(a + 4u);
}
fn masked(b: u32, h: u32, l: u32, s: u32) -> bool {
  if (mu(8u) == 1u && s > l) { return true; }
  ${mask === "bool" ? "if (ld_mk(ix(3u, b, h, l, s)) == 0) { return true; }" : ""}
  return false;
}
fn score(b: u32, h: u32, l: u32, s: u32) -> f32 {
  let qi = ix(0u, b, h, l, 0u); let qs = mi(13u);
  let ki = ix(1u, b, h, s, 0u); let ks = mi(18u);
  var d = 0.0;
  for (var e = 0; e < i32(mu(5u)); e++) { d += ld_q(qi + e * qs) * ld_k(ki + e * ks); }
  var sc = d * mf(7u);
  if (mu(8u) == 1u && s > l) { sc = -f_inf(); }
  ${maskCode}
  return sc;
}`;
  const head = `${mainPerGroup(T)}
  let B = mu(1u); let H = mu(2u); let L = mu(3u); let S = mu(4u); let E = mu(5u); let Ev = mu(6u); let scale = mf(7u);`;
  let body: string;
  if (pass === "fwd")
    body = /* wgsl */ `
  let l = g % L; let h = (g / L) % H; let b = g / (L * H);
  var m = -f_inf(); var den = 0.0;
  for (var t0 = 0u; t0 < S; t0 += ${T}u) {
    let s = t0 + li;
    var sc = -f_inf();
    if (s < S) { sc = score(b, h, l, s); }
    let nm = f_max(m, wmax(sc, li));
    let dead = is_ninf(nm);
    let alpha = select(m_exp(m - nm), 1.0, dead);
    let p = select(m_exp(sc - nm), 0.0, dead || s >= S);
    pt[li] = p;
    den = den * alpha + wsum(p, li);
    let n = min(${T}u, S - t0);
    if (valid) {
      for (var e = li; e < Ev; e += ${T}u) {
        var acc = 0.0;
        for (var t = 0u; t < n; t++) { acc += pt[t] * ld_v(ix(2u, b, h, t0 + t, e)); }
        let oi = ix(4u, b, h, l, e);
        st_o(oi, select(ld_o(oi) * alpha, 0.0, t0 == 0u) + acc);
      }
    }
    m = nm;
    workgroupBarrier();
  }
  if (valid) {
    for (var e = li; e < Ev; e += ${T}u) {
      let oi = ix(4u, b, h, l, e);
      // All keys masked: softmax of all -inf is NaN, as the composite; no keys at all: zeros.
      st_o(oi, select(select(ld_o(oi) / den, f_nan(), is_ninf(m)), 0.0, S == 0u));
    }
  }`;
  else if (pass === "bwdQ")
    body = /* wgsl */ `
  let l = g % L; let h = (g / L) % H; let b = g / (L * H);
  var mx = -f_inf();
  for (var s = li; s < S; s += ${T}u) { mx = f_max(mx, score(b, h, l, s)); }
  mx = wmax(mx, li);
  var se = 0.0;
  for (var s = li; s < S; s += ${T}u) { se += m_exp(score(b, h, l, s) - mx); }
  se = wsum(se, li);
  var dd = 0.0;
  for (var e = li; e < Ev; e += ${T}u) { dd += ld_gout(ix(5u, b, h, l, e)) * ld_o(ix(4u, b, h, l, e)); }
  dd = wsum(dd, li);
  if (valid && li == 0u) { st_st(3 * i32(g), mx); st_st(3 * i32(g) + 1, se); st_st(3 * i32(g) + 2, dd); }
  ${
    has.dq
      ? `for (var t0 = 0u; t0 < S; t0 += ${T}u) {
    let s = t0 + li;
    var ds = 0.0;
    if (s < S) {
      let p = m_exp(score(b, h, l, s) - mx) / se;
      var dp = 0.0;
      for (var e = 0u; e < Ev; e++) { dp += ld_gout(ix(5u, b, h, l, e)) * ld_v(ix(2u, b, h, s, e)); }
      ds = select(p * (dp - dd), 0.0, masked(b, h, l, s));
    }
    pt[li] = ds;
    workgroupBarrier();
    let n = min(${T}u, S - t0);
    if (valid) {
      for (var e = li; e < E; e += ${T}u) {
        var acc = 0.0;
        for (var t = 0u; t < n; t++) { acc += pt[t] * ld_k(ix(1u, b, h, t0 + t, e)); }
        let qi = ix(6u, b, h, l, e);
        st_dq(qi, select(ld_dq(qi), 0.0, t0 == 0u) + acc * scale);
      }
    }
    workgroupBarrier();
  }
  if (valid && S == 0u) { for (var e = li; e < E; e += ${T}u) { st_dq(ix(6u, b, h, l, e), 0.0); } }`
      : ""
  }`;
  else
    body = /* wgsl */ `
  let s = g % S; let h = (g / S) % H; let b = g / (S * H);
  for (var t0 = 0u; t0 < L; t0 += ${T}u) {
    let l = t0 + li;
    var p = 0.0; var ds = 0.0;
    if (l < L) {
      let r = 3 * i32((b * H + h) * L + l);
      p = m_exp(score(b, h, l, s) - ld_st(r)) / ld_st(r + 1);
      var dp = 0.0;
      for (var e = 0u; e < Ev; e++) { dp += ld_gout(ix(5u, b, h, l, e)) * ld_v(ix(2u, b, h, s, e)); }
      ds = select(p * (dp - ld_st(r + 2)), 0.0, masked(b, h, l, s));
    }
    pt[li] = p;
    qt[li] = ds;
    workgroupBarrier();
    let n = min(${T}u, L - t0);
    if (valid) {
      ${
        has.dv
          ? `for (var e = li; e < Ev; e += ${T}u) {
        var acc = 0.0;
        for (var t = 0u; t < n; t++) { acc += pt[t] * ld_gout(ix(5u, b, h, t0 + t, e)); }
        let vi = ix(8u, b, h, s, e);
        st_dv(vi, select(ld_dv(vi), 0.0, t0 == 0u) + acc);
      }`
          : ""
      }
      ${
        has.dk
          ? `for (var e = li; e < E; e += ${T}u) {
        var acc = 0.0;
        for (var t = 0u; t < n; t++) { acc += qt[t] * ld_q(ix(0u, b, h, t0 + t, e)); }
        let ki = ix(7u, b, h, s, e);
        st_dk(ki, select(ld_dk(ki), 0.0, t0 == 0u) + acc * scale);
      }`
          : ""
      }
    }
    workgroupBarrier();
  }
  if (valid && L == 0u) {
    ${has.dv ? `for (var e = li; e < Ev; e += ${T}u) { st_dv(ix(8u, b, h, s, e), 0.0); }` : ""}
    ${has.dk ? `for (var e = li; e < E; e += ${T}u) { st_dk(ix(7u, b, h, s, e), 0.0); }` : ""}
  }`;
  return [WGSL_COMMON, WGSL_MATH, META_DECL, f32Bindings(bufs), reductions(T), common, head, body, "}"].join("\n");
}

function launch(rt: GpuRuntime, pass: Pass, items: number, bufs: Buf[], a: Attrs, q: KT, k: KT, v: KT, has: { dq?: boolean; dk?: boolean; dv?: boolean } = {}): void {
  if (items === 0) return;
  const ops: Partial<Record<Name, KT | null>> = {};
  for (const b of bufs) if (b.name in SLOT) ops[b.name as Name] = b.t;
  const mk = bufs.find((b) => b.name === "mk")?.t.dtype ?? "-";
  rt.launch({
    key: `sdpa|${pass}|${a.mask}|${mk}|${bufs.map((b) => b.name).join(",")}`,
    code: () => source(pass, bufs, a.mask, has),
    bindings: launchBindings(bufs),
    meta: meta(items, q, k, v, a, ops),
    groups: items,
  });
}

/** Output spec: [B, H, L, Ev]. */
export function sdpaOutputs(ins: readonly KT[]): { dtype: "float32"; shape: number[] }[] {
  const [q, , v] = ins;
  return [{ dtype: "float32", shape: [q.shape[0], q.shape[1], q.shape[2], v.shape[3]] }];
}

/** softmax(q kᵀ · scale + mask) v, one workgroup per (batch, head, query row), keys in tiles of 64 with an online softmax. */
export function sdpaForward(rt: GpuRuntime, ins: readonly KT[], out: KT, a: Attrs): void {
  const [q, k, v] = ins;
  const bufs: Buf[] = [{ name: "q", t: q }, { name: "k", t: k }, { name: "v", t: v }];
  if (a.mask !== "none") bufs.push({ name: "mk", t: ins[3] });
  bufs.push({ name: "o", t: out, write: true });
  launch(rt, "fwd", q.shape[0] * q.shape[1] * q.shape[2], bufs, a, q, k, v);
}

/** dq, dk, dv of attention from the saved inputs and output: per-row max, sum and Σ dO·O first, then the gradients. */
export function sdpaBackward(rt: GpuRuntime, ins: readonly KT[], out: KT, dOut: KT, grads: readonly (KT | null)[], a: Attrs): void {
  const [q, k, v] = ins;
  const [dq, dk, dv] = grads;
  if (!dq && !dk && !dv) return;
  const rows = q.shape[0] * q.shape[1] * q.shape[2];
  const stBuf = rt.pool.alloc(Math.max(rows * 3, 1) * 4, "attention statistics");
  const st: KT = { buffer: stBuf, dtype: "float32", shape: [rows * 3], strides: [1], offset: 0 };
  const base: Buf[] = [{ name: "q", t: q }, { name: "k", t: k }, { name: "v", t: v }, ...(a.mask !== "none" ? [{ name: "mk", t: ins[3] }] : [])];
  const qBufs: Buf[] = [...base, { name: "o", t: out }, { name: "gout", t: dOut }, { name: "st", t: st, write: true }];
  if (dq) qBufs.push({ name: "dq", t: dq, write: true });
  launch(rt, "bwdQ", rows, qBufs, a, q, k, v, { dq: !!dq });
  if (dk || dv) {
    const kvBufs: Buf[] = [...base, { name: "gout", t: dOut }, { name: "st", t: st }];
    if (dk) kvBufs.push({ name: "dk", t: dk, write: true });
    if (dv) kvBufs.push({ name: "dv", t: dv, write: true });
    launch(rt, "bwdKV", k.shape[0] * k.shape[1] * k.shape[2], kvBufs, a, q, k, v, { dk: !!dk, dv: !!dv });
  }
  rt.pool.release(stBuf);
}
