// NFD/NFKD/NFC/NFKC with per-char change markers, reproducing the `unicode-normalization-alignments` crate on top of String.prototype.normalize.
import type { NormalizedString } from "./normalized-string.js";

type Form = "NFD" | "NFKD" | "NFC" | "NFKC";

const decompCache: Record<string, Map<number, number[]>> = { NFD: new Map(), NFKD: new Map() };

/** Full canonical or compatibility decomposition of one code point (cached). */
export function decompose(cp: number, form: "NFD" | "NFKD"): number[] {
  const cache = decompCache[form];
  let d = cache.get(cp);
  if (d === undefined) {
    d = [];
    for (const ch of String.fromCodePoint(cp).normalize(form)) d.push(ch.codePointAt(0)!);
    cache.set(cp, d);
  }
  return d;
}

const cccBmp = new Uint8Array(0x10000);

/**
 * Whether a fully decomposed char has a non-zero canonical combining class (only such chars are reordered by NFD).
 * Read off String.prototype.normalize: U+0345 (class 240) before it swaps iff 0 < class < 240, U+0334 (class 1)
 * after it swaps iff class > 1.
 */
export function hasCombiningClass(cp: number): boolean {
  const v = cp < 0x10000 ? cccBmp[cp] : 0;
  if (v !== 0) return v === 2;
  const c = String.fromCodePoint(cp);
  const r = ("\u0345" + c).normalize("NFD") !== "\u0345" + c || (c + "\u0334").normalize("NFD") !== c + "\u0334";
  if (cp < 0x10000) cccBmp[cp] = r ? 2 : 1;
  return r;
}

function toCps(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    out.push(cp);
    i += cp >= 0x10000 ? 2 : 1;
  }
  return out;
}

/**
 * Decomposition with changes: each char's decomposition gives its first char change 0 and the others +1; canonical
 * reordering then permutes them. The reordering is stable per combining class, so the k-th occurrence of a code point
 * in the output is the k-th occurrence before reordering: matching occurrences recovers the permutation.
 */
function decomposeWithChanges(s: string, form: "NFD" | "NFKD"): { cps: number[]; changes: number[] } {
  const preCps: number[] = [];
  const preChanges: number[] = [];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    i += cp >= 0x10000 ? 2 : 1;
    const d = decompose(cp, form);
    for (let k = 0; k < d.length; k++) {
      preCps.push(d[k]);
      preChanges.push(k === 0 ? 0 : 1);
    }
  }
  const outCps = toCps(s.normalize(form));
  let same = outCps.length === preCps.length;
  if (same) for (let k = 0; k < outCps.length && same; k++) same = outCps[k] === preCps[k];
  if (same) return { cps: preCps, changes: preChanges };
  const queues = new Map<number, number[]>();
  for (let k = 0; k < preCps.length; k++) {
    let q = queues.get(preCps[k]);
    if (!q) queues.set(preCps[k], (q = []));
    q.push(k);
  }
  const heads = new Map<number, number>();
  const changes: number[] = [];
  for (const cp of outCps) {
    const q = queues.get(cp);
    const h = heads.get(cp) ?? 0;
    heads.set(cp, h + 1);
    changes.push(q && h < q.length ? preChanges[q[h]] : 0);
  }
  return { cps: outCps, changes };
}

/** Canonical composition over a decomposed sequence: composed chars get the sum of their parts' changes minus merges. */
function composeWithChanges(s: string, dec: { cps: number[]; changes: number[] }, form: "NFC" | "NFKC"): { cps: number[]; changes: number[] } {
  const out = toCps(s.normalize(form));
  const D = dec.cps;
  const C = dec.changes;
  const absorbed = new Uint8Array(D.length);
  const cps: number[] = [];
  const changes: number[] = [];
  let i = 0;
  for (const o of out) {
    while (i < D.length && absorbed[i]) i++;
    if (i >= D.length) {
      cps.push(o);
      changes.push(1);
      continue;
    }
    if (D[i] === o) {
      cps.push(o);
      changes.push(C[i]);
      i++;
      continue;
    }
    const parts = decompose(o, "NFD");
    let change = C[i];
    let j = i + 1;
    for (let p = 1; p < parts.length; p++) {
      while (j < D.length && (absorbed[j] || D[j] !== parts[p])) j++;
      if (j < D.length) {
        absorbed[j] = 1;
        change += C[j] - 1;
        j++;
      }
    }
    cps.push(o);
    changes.push(change);
    i++;
  }
  return { cps, changes };
}

/** Applies a Unicode normalization form to `ns`, with the Rust crate's alignment bookkeeping. */
export function normalizeUnicode(ns: NormalizedString, form: Form): void {
  const s = ns.normalized;
  if (s.normalize(form) === s) return;
  const dec = decomposeWithChanges(s, form === "NFC" || form === "NFD" ? "NFD" : "NFKD");
  const res = form === "NFD" || form === "NFKD" ? dec : composeWithChanges(s, dec, form);
  ns.transform(res.cps, res.changes, res.cps.length, 0);
}
