// Corpus chrF as sacreBLEU 2.x (character n-grams up to order 6, beta 2, whitespace removed, best reference per segment, effective-order or eps smoothing).
import { splitWs } from "./bleu.js";

/** Options of `corpusChrf`; defaults are sacreBLEU's `CHRF()` defaults. */
export interface ChrfOptions {
  charOrder?: number;
  /** Word n-gram order: 0 is chrF (default), 2 is chrF++. */
  wordOrder?: number;
  beta?: number;
  lowercase?: boolean;
  /** Keep whitespace in character n-grams (sacreBLEU's `whitespace=True`, the `remove_whitespace=False` of older releases). */
  whitespace?: boolean;
  /** chrF++.py-style eps smoothing instead of sacreBLEU 2's effective order (default false). */
  epsSmoothing?: boolean;
}

const PUNCTS = new Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");

function count(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of items) m.set(it, (m.get(it) ?? 0) + 1);
  return m;
}

function charNgrams(line: string, maxOrder: number, whitespace: boolean): Array<Map<string, number>> {
  const chars = [...(whitespace ? line : splitWs(line).join(""))];
  const out: Array<Map<string, number>> = [];
  for (let n = 1; n <= maxOrder; n++) {
    const g: string[] = [];
    for (let i = 0; i + n <= chars.length; i++) g.push(chars.slice(i, i + n).join(""));
    out.push(count(g));
  }
  return out;
}

function words(sent: string): string[] {
  const out: string[] = [];
  for (const w of splitWs(sent)) {
    const cs = [...w];
    if (cs.length === 1) out.push(w);
    else if (PUNCTS.has(cs[cs.length - 1])) out.push(cs.slice(0, -1).join(""), cs[cs.length - 1]);
    else if (PUNCTS.has(cs[0])) out.push(cs[0], cs.slice(1).join(""));
    else out.push(w);
  }
  return out;
}

function allNgrams(sent: string, o: Required<ChrfOptions>): Array<Map<string, number>> {
  const grams = charNgrams(sent, o.charOrder, o.whitespace);
  if (o.wordOrder > 0) {
    const ws = words(sent);
    for (let n = 1; n <= o.wordOrder; n++) {
      const g: string[] = [];
      for (let i = 0; i + n <= ws.length; i++) g.push(ws.slice(i, i + n).join(" "));
      grams.push(count(g));
    }
  }
  return grams;
}

function fScore(stats: number[], o: Required<ChrfOptions>): number {
  const eps = 1e-16;
  const factor = o.beta ** 2;
  const order = o.charOrder + o.wordOrder;
  let score = 0;
  let eff = 0;
  let avgP = 0;
  let avgR = 0;
  for (let i = 0; i < order; i++) {
    const [nHyp, nRef, nMatch] = stats.slice(3 * i, 3 * i + 3);
    const p = nHyp > 0 ? nMatch / nHyp : eps;
    const r = nRef > 0 ? nMatch / nRef : eps;
    const den = factor * p + r;
    score += den > 0 ? ((1 + factor) * p * r) / den : eps;
    if (nHyp > 0 && nRef > 0) {
      avgP += p;
      avgR += r;
      eff++;
    }
  }
  if (o.epsSmoothing) return (100 * score) / order;
  if (eff === 0) return 0;
  avgP /= eff;
  avgR /= eff;
  if (avgP + avgR === 0) return 0;
  return (100 * (1 + factor) * avgP * avgR) / (factor * avgP + avgR);
}

/**
 * Corpus chrF (chrF++ with `wordOrder: 2`), as `sacrebleu.corpus_chrf(hypotheses, references)`: per segment the
 * reference with the best F is kept, statistics are summed over the corpus. Score on a 0..100 scale.
 * @example
 * ```ts
 * corpusChrf(["a b c"], [["a b c"]]).score; // 100
 * ```
 */
export function corpusChrf(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  opts: ChrfOptions = {},
): { score: number; stats: number[] } {
  const o: Required<ChrfOptions> = {
    charOrder: opts.charOrder ?? 6,
    wordOrder: opts.wordOrder ?? 0,
    beta: opts.beta ?? 2,
    lowercase: opts.lowercase ?? false,
    whitespace: opts.whitespace ?? false,
    epsSmoothing: opts.epsSmoothing ?? false,
  };
  references.forEach((stream, k) => {
    if (stream.length !== hypotheses.length) {
      throw new RangeError(`corpusChrf: reference stream ${k} has ${stream.length} segments for ${hypotheses.length} hypotheses; give one reference per hypothesis.`);
    }
  });
  const prep = (s: string) => (o.lowercase ? s.toLowerCase() : s);
  const total = new Array<number>(3 * (o.charOrder + o.wordOrder)).fill(0);
  hypotheses.forEach((hyp, i) => {
    const h = allNgrams(prep(hyp), o);
    let best: number[] = [];
    let bestF = -1;
    for (const stream of references) {
      const r = allNgrams(prep(stream[i]), o);
      const stats: number[] = [];
      h.forEach((hg, n) => {
        let match = 0;
        let hypCount = 0;
        for (const [g, c] of hg) {
          hypCount += c;
          const rc = r[n].get(g);
          if (rc !== undefined) match += Math.min(c, rc);
        }
        let refCount = 0;
        for (const c of r[n].values()) refCount += c;
        stats.push(r[n].size > 0 ? hypCount : 0, refCount, match);
      });
      const f = fScore(stats, o);
      if (f > bestF) {
        bestF = f;
        best = stats;
      }
    }
    best.forEach((v, j) => (total[j] += v));
  });
  return { score: fScore(total, o), stats: total };
}
