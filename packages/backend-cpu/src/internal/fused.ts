// The native fused kernels (FusedAttrs of @tsorch/tensor/backend): float32 softmax, log-softmax, layer / RMS norm,
// GELU, attention, cross-entropy and the AdamW step on the addon; float64 keeps the TypeScript fused kernels.

import type { FusedAttrs, FusedKernel, FusedKernelTable, FusedOp, KernelTensor, StorageArray } from "@tsorch/tensor/backend";
import type { NativeAddon } from "./addon.js";
import { metaPush, metaStart, numelOf } from "./meta.js";

type KT = KernelTensor<StorageArray>;
const f32 = (t: KT): Float32Array => t.buffer as Float32Array;
const opt = (t: KT | null | undefined): Float32Array | null => (t ? (t.buffer as Float32Array) : null);
const isF32 = (t: KT): boolean => t.dtype === "float32" && t.buffer instanceof Float32Array;

/** Class of each row (-1 where ignored) and the rows counted; a target that is neither a class nor ignored throws. */
function classesOf(t: KT, n: number, c: number, a: FusedAttrs["crossEntropy"]): { cls: Int32Array; count: number } {
  const cls = new Int32Array(n);
  const src = t.buffer as BigInt64Array | Int32Array;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = Number(src[t.offset + i]);
    if (v === a.ignoreIndex) {
      cls[i] = -1;
      continue;
    }
    if (v < 0 || v >= c)
      throw new RangeError(
        `crossEntropy: target ${v} at row ${i} is out of bounds for ${c} classes (and is not ignoreIndex ${a.ignoreIndex}). Targets must be class indices in [0, ${c - 1}] or ignoreIndex.`,
      );
    cls[i] = v;
    count++;
  }
  return { cls, count };
}

function rows(x: KT): [number, number] {
  const n = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
  return [n === 0 ? 0 : numelOf(x.shape) / n, n];
}

/** `base` with forward / backward replaced where the first input is float32 (the base kernel handles the rest). */
function over<K extends FusedOp>(
  base: FusedKernel<K, StorageArray>,
  forward: FusedKernel<K, StorageArray>["forward"],
  backward?: NonNullable<FusedKernel<K, StorageArray>["backward"]>,
): FusedKernel<K, StorageArray> {
  return {
    dtypes: base.dtypes ?? ["float32"],
    outputs: base.outputs,
    forward: (ins, outs, a) => (isF32(ins[0]) ? forward(ins, outs, a) : base.forward(ins, outs, a)),
    ...(base.backward
      ? {
          backward: (ins, outs, g, grads, a) =>
            backward && isF32(ins[0]) ? backward(ins, outs, g, grads, a) : base.backward!(ins, outs, g, grads, a),
        }
      : {}),
  };
}

/**
 * The fused table: native where it pays, the TypeScript one otherwise.
 * @example const fused = nativeFused(addon, getBackend("cpu-ts").fused!);
 */
export function nativeFused(addon: NativeAddon, base: FusedKernelTable<StorageArray>): FusedKernelTable<StorageArray> {
  const t: Record<string, unknown> = { ...base };
  if (base.sdpa) {
    const sdpa = base.sdpa;
    // The mask as [B, H, L, S] strides (0 where it is broadcast), pushed after the fixed fields.
    const sdpaMeta = (ins: readonly KT[], out: KT, a: FusedAttrs["sdpa"]): Float64Array | null => {
      const [q, k, v] = ins;
      const m = a.mask === "none" ? null : ins[3];
      if (m && (m.shape.length > 4 || (a.mask === "additive" ? !isF32(m) : !(m.buffer instanceof Uint8Array)))) return null;
      const meta = metaStart();
      metaPush(q.shape[0], q.shape[1], q.shape[2], k.shape[2], q.shape[3], v.shape[3], a.scale, a.isCausal ? 1 : 0);
      metaPush(a.mask === "none" ? 0 : a.mask === "bool" ? 1 : 2, q.offset, k.offset, v.offset, out.offset, m?.offset ?? 0);
      for (let d = 0; d < 4; d++) {
        const j = d - (4 - (m?.shape.length ?? 4));
        metaPush(!m || j < 0 || m.shape[j] === 1 ? 0 : m.strides[j]);
      }
      return meta;
    };
    const maskArr = (ins: readonly KT[], a: FusedAttrs["sdpa"]) => (a.mask === "none" ? null : (ins[3].buffer as Float32Array | Uint8Array));
    t.sdpa = over<"sdpa">(
      sdpa,
      (ins, outs, a) => {
        const meta = sdpaMeta(ins, outs[0], a);
        if (!meta) return sdpa.forward(ins, outs, a);
        addon.sdpa(f32(ins[0]), f32(ins[1]), f32(ins[2]), maskArr(ins, a), f32(outs[0]), meta);
      },
      (ins, outs, g, grads, a) => {
        const meta = sdpaMeta(ins, outs[0], a);
        if (!meta) return sdpa.backward!(ins, outs, g, grads, a);
        const [dq, dk, dv] = grads;
        metaPush(g.offset, dq?.offset ?? 0, dk?.offset ?? 0, dv?.offset ?? 0);
        addon.sdpaBwd(f32(ins[0]), f32(ins[1]), f32(ins[2]), maskArr(ins, a), f32(outs[0]), f32(g), opt(dq), opt(dk), opt(dv), meta);
      },
    );
  }
  for (const log of [false, true]) {
    const b = (log ? base.logSoftmax : base.softmax) as FusedKernel<"softmax", StorageArray> | undefined;
    if (!b) continue;
    t[log ? "logSoftmax" : "softmax"] = over<"softmax">(
      b,
      (ins, outs) => {
        const [r, n] = rows(ins[0]);
        const m = metaStart();
        metaPush(r, n, ins[0].offset, outs[0].offset);
        addon.softmax(log, f32(ins[0]), f32(outs[0]), m);
      },
      (_ins, outs, g, grads) => {
        const dx = grads[0];
        if (!dx) return;
        const [r, n] = rows(outs[0]);
        const m = metaStart();
        metaPush(r, n, outs[0].offset, g.offset, dx.offset);
        addon.softmaxBwd(log, f32(outs[0]), f32(g), f32(dx), m);
      },
    );
  }
  if (base.layerNorm)
    t.layerNorm = over<"layerNorm">(
      base.layerNorm,
      (ins, outs, a) => {
        const x = ins[0];
        const w = a.hasWeight ? ins[1] : null;
        const b = a.hasBias ? ins[a.hasWeight ? 2 : 1] : null;
        const [y, mean, rstd] = outs;
        const [r, n] = rows(x);
        const m = metaStart();
        metaPush(r, n, a.eps, x.offset, w?.offset ?? 0, b?.offset ?? 0, y.offset, mean.offset, rstd.offset);
        addon.layerNorm(false, f32(x), opt(w), opt(b), f32(y), f32(mean), f32(rstd), m);
      },
      (ins, _outs, g, grads, a) => {
        const x = ins[0];
        const w = a.hasWeight ? ins[1] : null;
        const dx = grads[0];
        const dw = a.hasWeight ? grads[1] : null;
        const db = a.hasBias ? grads[a.hasWeight ? 2 : 1] : null;
        const [r, n] = rows(x);
        const m = metaStart();
        metaPush(r, n, a.eps, x.offset, w?.offset ?? 0, g.offset, dx?.offset ?? 0, dw?.offset ?? 0, db?.offset ?? 0);
        addon.layerNormBwd(false, f32(x), opt(w), f32(g), opt(dx), opt(dw), opt(db), m);
      },
    );
  if (base.rmsNorm)
    t.rmsNorm = over<"rmsNorm">(
      base.rmsNorm,
      (ins, outs, a) => {
        const x = ins[0];
        const w = a.hasWeight ? ins[1] : null;
        const [y, rstd] = outs;
        const [r, n] = rows(x);
        const m = metaStart();
        metaPush(r, n, a.eps, x.offset, w?.offset ?? 0, 0, y.offset, 0, rstd.offset);
        addon.layerNorm(true, f32(x), opt(w), null, f32(y), null, f32(rstd), m);
      },
      (ins, _outs, g, grads, a) => {
        const x = ins[0];
        const w = a.hasWeight ? ins[1] : null;
        const dx = grads[0];
        const dw = a.hasWeight ? grads[1] : null;
        const [r, n] = rows(x);
        const m = metaStart();
        metaPush(r, n, a.eps, x.offset, w?.offset ?? 0, g.offset, dx?.offset ?? 0, dw?.offset ?? 0, 0);
        addon.layerNormBwd(true, f32(x), opt(w), f32(g), opt(dx), opt(dw), null, m);
      },
    );
  if (base.gelu)
    t.gelu = over<"gelu">(
      base.gelu,
      (ins, outs, a) => {
        const m = metaStart();
        metaPush(numelOf(ins[0].shape), ins[0].offset, outs[0].offset);
        addon.gelu(a.approximate === "tanh", f32(ins[0]), f32(outs[0]), m);
      },
      (ins, outs, g, grads, a) => {
        const dx = grads[0];
        if (!dx) return;
        const m = metaStart();
        metaPush(numelOf(ins[0].shape), ins[0].offset, outs[0].offset, g.offset, dx.offset);
        addon.geluBwd(a.approximate === "tanh", f32(ins[0]), f32(outs[0]), f32(g), f32(dx), m);
      },
    );
  if (base.crossEntropy) {
    const ce = base.crossEntropy;
    t.crossEntropy = over<"crossEntropy">(
      ce,
      (ins, outs, a) => {
        const [x, tg] = ins;
        const out = outs[0];
        const [n, c] = x.shape;
        const { cls, count } = classesOf(tg, n, c, a);
        const loss = new Float64Array(n);
        const m = metaStart();
        metaPush(n, c, x.offset, a.labelSmoothing);
        addon.ceRows(f32(x), cls, loss, m);
        const o = f32(out);
        if (a.reduction === "none") for (let i = 0; i < n; i++) o[out.offset + i] = loss[i];
        else {
          let total = 0;
          for (let i = 0; i < n; i++) total += loss[i];
          o[out.offset] = a.reduction === "sum" ? total : total / count;
        }
      },
      (ins, _outs, g, grads, a) => {
        const dx = grads[0];
        if (!dx) return;
        const [x, tg] = ins;
        const [n, c] = x.shape;
        const { cls, count } = classesOf(tg, n, c, a);
        const ga = f32(g);
        const scalar = a.reduction === "none" ? 0 : a.reduction === "sum" ? ga[g.offset] : ga[g.offset] / count;
        const coef = new Float64Array(n);
        // coef · 0 on ignored rows keeps the composite's NaN when a mean has no rows (∞ · 0).
        for (let i = 0; i < n; i++) coef[i] = (a.reduction === "none" ? ga[g.offset + i] : scalar) * (cls[i] >= 0 ? 1 : 0);
        const m = metaStart();
        metaPush(n, c, x.offset, dx.offset, a.labelSmoothing);
        addon.ceBwd(f32(x), cls, coef, f32(dx), m);
      },
    );
  }
  if (base.adamwStep)
    t.adamwStep = over<"adamwStep">(base.adamwStep, (ins, _outs, a) => {
      const [p, g, mo, v] = ins;
      if (![g, mo, v].every(isF32)) return base.adamwStep!.forward(ins, _outs, a);
      const m = metaStart();
      metaPush(numelOf(p.shape), p.offset, g.offset, mo.offset, v.offset, a.lr, a.beta1, a.beta2, a.eps, a.weightDecay, a.step, a.maximize ? 1 : 0);
      addon.adamw(f32(p), f32(g), f32(mo), f32(v), m);
    });
  return t as FusedKernelTable<StorageArray>;
}
