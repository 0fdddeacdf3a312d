// Classification metrics: accuracy and precision / recall / F-beta with scikit-learn 1.2's averaging and zero_division rules.

/** A class label: numbers or strings, compared with `===`. */
export type Label = number | string;

/** How per-class scores are combined, as scikit-learn's `average` (`null` returns one score per label). */
export type Average = "binary" | "micro" | "macro" | "weighted" | null;

/** Options shared by `precisionScore`, `recallScore`, `f1Score` and `precisionRecallFscoreSupport`. */
export interface PrfOptions {
  /** Default "binary", as scikit-learn. */
  average?: Average;
  /** The positive class for `average: "binary"` (default 1). */
  posLabel?: Label;
  /** Labels to score, in order (default: the sorted union of both arrays). */
  labels?: Label[];
  /** Value for 0/0: "warn" acts as 0 (scikit-learn also warns; this returns quietly). */
  zeroDivision?: "warn" | 0 | 1;
  /** F-beta weight (default 1). */
  beta?: number;
}

/** Per-label or averaged scores; `support` is null when averaged, as scikit-learn. */
export interface PrfResult<T> {
  precision: T;
  recall: T;
  fscore: T;
  support: number[] | null;
}

function checkLengths(op: string, yTrue: readonly Label[], yPred: readonly Label[]): void {
  if (yTrue.length !== yPred.length) {
    throw new RangeError(`${op}: yTrue has ${yTrue.length} labels but yPred has ${yPred.length}; pass one prediction per example.`);
  }
}

function sortedLabels(yTrue: readonly Label[], yPred: readonly Label[]): Label[] {
  const set = [...new Set([...yTrue, ...yPred])];
  const numeric = set.every((v) => typeof v === "number");
  const mixed = !numeric && set.some((v) => typeof v === "number");
  if (mixed) throw new TypeError("classification metrics: labels mix numbers and strings; use one type, as scikit-learn requires.");
  return numeric ? (set as number[]).sort((a, b) => a - b) : (set as string[]).sort();
}

/**
 * Fraction of exact matches, as `sklearn.metrics.accuracy_score` (`normalize: false` returns the count).
 * @example
 * ```ts
 * accuracy([0, 1, 2, 3], [0, 2, 1, 3]); // 0.5
 * ```
 */
export function accuracy(yTrue: readonly Label[], yPred: readonly Label[], opts: { normalize?: boolean } = {}): number {
  checkLengths("accuracy", yTrue, yPred);
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  if (opts.normalize === false) return hit;
  if (yTrue.length === 0) throw new RangeError("accuracy: no predictions to score; pass at least one example.");
  return hit / yTrue.length;
}

function divide(num: number[], den: number[], zero: number): number[] {
  return num.map((n, i) => (den[i] === 0 ? zero : n / den[i]));
}

function mean(xs: number[], w: number[] | null): number {
  if (w === null) return xs.reduce((a, b) => a + b, 0) / xs.length;
  let s = 0;
  let ws = 0;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i] * w[i];
    ws += w[i];
  }
  return s / ws;
}

/**
 * Precision, recall, F-beta and support, as `sklearn.metrics.precision_recall_fscore_support` (1.2): per label
 * with `average: null`, otherwise averaged. Binary averaging needs at most two labels and scores `posLabel`.
 * @example
 * ```ts
 * precisionRecallFscoreSupport(["cat", "dog", "pig"], ["cat", "pig", "dog"], { average: "macro" });
 * // { precision: 0.333…, recall: 0.333…, fscore: 0.333…, support: null }
 * ```
 */
export function precisionRecallFscoreSupport(
  yTrue: readonly Label[],
  yPred: readonly Label[],
  opts: PrfOptions & { average: null },
): PrfResult<number[]>;
export function precisionRecallFscoreSupport(yTrue: readonly Label[], yPred: readonly Label[], opts?: PrfOptions): PrfResult<number>;
export function precisionRecallFscoreSupport(
  yTrue: readonly Label[],
  yPred: readonly Label[],
  opts: PrfOptions = {},
): PrfResult<number> | PrfResult<number[]> {
  checkLengths("precisionRecallFscoreSupport", yTrue, yPred);
  const average = opts.average === undefined ? "binary" : opts.average;
  const beta = opts.beta ?? 1;
  if (!(beta >= 0)) throw new RangeError(`precisionRecallFscoreSupport: beta must be >= 0, got ${beta}.`);
  const zero = opts.zeroDivision === 1 ? 1 : 0;
  const present = sortedLabels(yTrue, yPred);
  let labels = opts.labels ?? present;
  if (average === "binary") {
    const pos = opts.posLabel ?? 1;
    if (present.length > 2) {
      throw new RangeError(
        `precisionRecallFscoreSupport: average "binary" needs two classes but the targets hold ${present.length} (${present.join(", ")}); choose average "micro", "macro" or "weighted".`,
      );
    }
    if (present.length > 0 && !present.includes(pos)) {
      throw new RangeError(`precisionRecallFscoreSupport: posLabel ${String(pos)} is not a present label (${present.join(", ")}); set posLabel.`);
    }
    labels = [pos];
  }
  const index = new Map<Label, number>(labels.map((l, i) => [l, i]));
  let tp = new Array<number>(labels.length).fill(0);
  let predSum = tp.slice();
  let trueSum = tp.slice();
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]);
    const p = index.get(yPred[i]);
    if (t !== undefined) trueSum[t]++;
    if (p !== undefined) predSum[p]++;
    if (t !== undefined && yTrue[i] === yPred[i]) tp[t]++;
  }
  if (average === "micro") {
    const sum = (a: number[]) => [a.reduce((x, y) => x + y, 0)];
    tp = sum(tp);
    predSum = sum(predSum);
    trueSum = sum(trueSum);
  }
  const precision = divide(tp, predSum, zero);
  const recall = divide(tp, trueSum, zero);
  const b2 = beta * beta;
  const fscore = precision.map((p, i) => {
    if (beta === Infinity) return recall[i];
    const den = b2 * p + recall[i];
    return den === 0 ? 0 : ((1 + b2) * p * recall[i]) / den;
  });
  if (average === null) return { precision, recall, fscore, support: trueSum };
  let weights: number[] | null = null;
  if (average === "weighted") {
    weights = trueSum;
    if (trueSum.reduce((a, b) => a + b, 0) === 0) {
      const allNegative = predSum.reduce((a, b) => a + b, 0) === 0;
      return allNegative
        ? { precision: zero, recall: zero, fscore: zero, support: null }
        : { precision: 0, recall: zero, fscore: 0, support: null };
    }
  }
  return { precision: mean(precision, weights), recall: mean(recall, weights), fscore: mean(fscore, weights), support: null };
}

/**
 * Precision, as `sklearn.metrics.precision_score`.
 * @example
 * ```ts
 * precisionScore([0, 1, 1, 0], [1, 1, 0, 0]); // 0.5
 * ```
 */
export function precisionScore(yTrue: readonly Label[], yPred: readonly Label[], opts: PrfOptions = {}): number {
  return precisionRecallFscoreSupport(yTrue, yPred, { ...opts, average: opts.average ?? "binary" }).precision;
}

/**
 * Recall, as `sklearn.metrics.recall_score`.
 * @example
 * ```ts
 * recallScore([0, 1, 2, 0], [0, 2, 1, 0], { average: "macro" }); // 0.333…
 * ```
 */
export function recallScore(yTrue: readonly Label[], yPred: readonly Label[], opts: PrfOptions = {}): number {
  return precisionRecallFscoreSupport(yTrue, yPred, { ...opts, average: opts.average ?? "binary" }).recall;
}

/**
 * F1 (or F-beta with `beta`), as `sklearn.metrics.f1_score`.
 * @example
 * ```ts
 * f1Score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { average: "weighted" }); // 0.2666…
 * ```
 */
export function f1Score(yTrue: readonly Label[], yPred: readonly Label[], opts: PrfOptions = {}): number {
  return precisionRecallFscoreSupport(yTrue, yPred, { ...opts, average: opts.average ?? "binary" }).fscore;
}
