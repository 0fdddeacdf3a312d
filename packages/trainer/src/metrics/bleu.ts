// Corpus BLEU as sacreBLEU 2.x: the 13a (mteval-v13a) tokenizer, clipped n-gram counts over reference streams, closest reference length, exp/floor/add-k smoothing.

/** Options of `corpusBleu`; defaults are sacreBLEU's `BLEU()` defaults. */
export interface BleuOptions {
  /** "13a" (default, sacreBLEU's default tokenizer) or "none" (split on whitespace only). */
  tokenize?: "13a" | "none";
  lowercase?: boolean;
  /** "exp" (default), "floor", "add-k" or "none". */
  smoothMethod?: "exp" | "floor" | "add-k" | "none";
  /** Value for floor (default 0.1) and add-k (default 1). */
  smoothValue?: number;
  /** Stop averaging at the highest n-gram order with any n-grams (for sentence-level BLEU). Default false. */
  effectiveOrder?: boolean;
  /** Default 4. */
  maxNgramOrder?: number;
}

/** BLEU on a 0..100 scale with its statistics, as sacreBLEU's `BLEUScore`. */
export interface BleuScore {
  score: number;
  /** Clipped n-gram matches per order. */
  counts: number[];
  /** Hypothesis n-grams per order. */
  totals: number[];
  /** Per-order precisions (0..100). */
  precisions: number[];
  bp: number;
  sysLen: number;
  refLen: number;
}

/**
 * sacreBLEU's 13a tokenizer (mteval-v13a): unescapes a few entities, splits punctuation and symbols, keeps periods
 * and commas inside numbers, splits a dash after a digit.
 * @example
 * ```ts
 * tokenize13a('It wasn\'t 3.5-fold, "really".'); // 'It wasn\'t 3.5 - fold , " really " .'
 * ```
 */
export function tokenize13a(line: string): string {
  let s = line.replaceAll("<skipped>", "").replaceAll("-\n", "").replaceAll("\n", " ");
  if (s.includes("&")) s = s.replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">");
  s = ` ${s} `;
  s = s.replace(/([{-~[-` -&(-+:-@/])/g, " $1 ");
  s = s.replace(/([^0-9])([.,])/g, "$1 $2 ");
  s = s.replace(/([.,])([^0-9])/g, " $1 $2");
  s = s.replace(/([0-9])(-)/g, "$1 $2 ");
  return splitWs(s).join(" ");
}

/** Python's `str.split()`: runs of whitespace, no empty pieces. */
export function splitWs(s: string): string[] {
  return s.split(/[\s\u001c-\u001f\u0085]+/u).filter((w) => w.length > 0);
}

function ngrams(tokens: string[], maxOrder: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let n = 1; n <= maxOrder; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      const k = `${n}\u0000${tokens.slice(i, i + n).join("\u0001")}`;
      m.set(k, (m.get(k) ?? 0) + 1);
    }
  }
  return m;
}

/**
 * BLEU from accumulated statistics, as sacreBLEU's `BLEU.compute_bleu`.
 * @example
 * ```ts
 * computeBleu([9, 7, 5, 3], [10, 8, 6, 4], 11, 11).score; // 83.759…
 * ```
 */
export function computeBleu(correct: number[], total: number[], sysLen: number, refLen: number, opts: BleuOptions = {}): BleuScore {
  const method = opts.smoothMethod ?? "exp";
  const value = opts.smoothValue ?? (method === "floor" ? 0.1 : 1);
  const order = opts.maxNgramOrder ?? 4;
  correct = correct.slice();
  total = total.slice();
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(order).fill(0);
  const result = (score: number): BleuScore => ({ score, counts: correct, totals: total, precisions, bp, sysLen, refLen });
  if (!correct.some((c) => c > 0)) return result(0);
  let smoothMteval = 1;
  let effOrder = order;
  for (let n = 1; n <= order; n++) {
    if (method === "add-k" && n > 1) {
      correct[n - 1] += value;
      total[n - 1] += value;
    }
    if (total[n - 1] === 0) break;
    if (opts.effectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      if (method === "exp") {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]);
      } else if (method === "floor") precisions[n - 1] = (100 * value) / total[n - 1];
    } else precisions[n - 1] = (100 * correct[n - 1]) / total[n - 1];
  }
  const logs = precisions.slice(0, effOrder).map((p) => (p === 0 ? -9999999999 : Math.log(p)));
  return result(bp * Math.exp(logs.reduce((a, b) => a + b, 0) / effOrder));
}

/**
 * Corpus BLEU, as `sacrebleu.corpus_bleu(hypotheses, references)`: `references` is a list of reference streams,
 * each with one reference per hypothesis (`references[k][i]` is the k-th reference of hypothesis i).
 * @example
 * ```ts
 * corpusBleu(["The dog bit the man."], [["The dog bit the man."]]).score; // 100
 * ```
 */
export function corpusBleu(hypotheses: readonly string[], references: readonly (readonly string[])[], opts: BleuOptions = {}): BleuScore {
  if (references.length === 0) throw new RangeError("corpusBleu: no reference streams; pass references as [[ref1 of each hypothesis], ...].");
  references.forEach((stream, k) => {
    if (stream.length !== hypotheses.length) {
      throw new RangeError(
        `corpusBleu: reference stream ${k} has ${stream.length} segments but there are ${hypotheses.length} hypotheses; each stream holds one reference per hypothesis.`,
      );
    }
  });
  const order = opts.maxNgramOrder ?? 4;
  const prep = (s: string) => {
    const t = opts.lowercase ? s.toLowerCase() : s;
    return splitWs(opts.tokenize === "none" ? t : tokenize13a(t));
  };
  const correct = new Array<number>(order).fill(0);
  const total = new Array<number>(order).fill(0);
  let sysLen = 0;
  let refLen = 0;
  hypotheses.forEach((hyp, i) => {
    const h = prep(hyp);
    const refMax = new Map<string, number>();
    let closestDiff = -1;
    let closestLen = -1;
    for (const stream of references) {
      const r = prep(stream[i]);
      const diff = Math.abs(h.length - r.length);
      if (closestDiff === -1 || diff < closestDiff) {
        closestDiff = diff;
        closestLen = r.length;
      } else if (diff === closestDiff && r.length < closestLen) closestLen = r.length;
      for (const [k, c] of ngrams(r, order)) refMax.set(k, Math.max(refMax.get(k) ?? 0, c));
    }
    sysLen += h.length;
    refLen += closestLen;
    for (const [k, c] of ngrams(h, order)) {
      const n = Number(k.slice(0, k.indexOf("\u0000")));
      total[n - 1] += c;
      correct[n - 1] += Math.min(c, refMax.get(k) ?? 0);
    }
  });
  return computeBleu(correct, total, sysLen, refLen, opts);
}
