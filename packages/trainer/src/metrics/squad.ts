// SQuAD exact match and F1 with the official evaluation script's answer normalisation (v1.1; v2's no-answer rule on request).

/**
 * The official SQuAD normalisation: lower case, drop ASCII punctuation, drop the articles a/an/the, collapse spaces.
 * @example
 * ```ts
 * normalizeAnswer("The  Eiffel-Tower!"); // "eiffeltower"
 * ```
 */
export function normalizeAnswer(s: string): string {
  let t = s.toLowerCase();
  t = [...t].filter((c) => !PUNCT.has(c)).join("");
  t = t.replace(/(?<![\p{L}\p{N}_])(a|an|the)(?![\p{L}\p{N}_])/gu, " ");
  return t.split(/\s+/u).filter((w) => w.length > 0).join(" ");
}
const PUNCT = new Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");

function tokens(s: string): string[] {
  const n = normalizeAnswer(s);
  return n === "" ? [] : n.split(" ");
}

/**
 * 1 when the normalised answers are equal, else 0.
 * @example
 * ```ts
 * squadExactMatch("the Denver Broncos", "Denver Broncos"); // 1
 * ```
 */
export function squadExactMatch(prediction: string, groundTruth: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(groundTruth) ? 1 : 0;
}

/**
 * Token-overlap F1 of normalised answers (`v2: true` scores two empty answers 1, one empty 0, as SQuAD 2.0's script).
 * @example
 * ```ts
 * squadF1("Denver Broncos won", "Denver Broncos"); // 0.8
 * ```
 */
export function squadF1(prediction: string, groundTruth: string, opts: { v2?: boolean } = {}): number {
  const p = tokens(prediction);
  const g = tokens(groundTruth);
  if (opts.v2 && (p.length === 0 || g.length === 0)) return p.length === g.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const w of g) counts.set(w, (counts.get(w) ?? 0) + 1);
  let same = 0;
  for (const w of p) {
    const c = counts.get(w) ?? 0;
    if (c > 0) {
      same++;
      counts.set(w, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / p.length;
  const recall = same / g.length;
  return (2 * precision * recall) / (precision + recall);
}

/**
 * Corpus SQuAD scores on a 0..100 scale, best over each question's gold answers, as the official script and the
 * `squad` metric (`predictions[i]` answers `references[i]`). `v2: true` treats an empty gold list as "no answer".
 * @example
 * ```ts
 * squadScores(["Denver Broncos"], [["Denver Broncos", "The Broncos"]]); // { exactMatch: 100, f1: 100 }
 * ```
 */
export function squadScores(
  predictions: readonly string[],
  references: readonly (readonly string[])[],
  opts: { v2?: boolean } = {},
): { exactMatch: number; f1: number } {
  if (predictions.length !== references.length) {
    throw new RangeError(`squadScores: ${predictions.length} predictions for ${references.length} questions; give one prediction per question.`);
  }
  if (predictions.length === 0) throw new RangeError("squadScores: no predictions; pass at least one question.");
  let em = 0;
  let f1 = 0;
  predictions.forEach((pred, i) => {
    let golds = references[i];
    if (golds.length === 0) {
      if (!opts.v2) throw new RangeError(`squadScores: question ${i} has no gold answers; pass v2: true for SQuAD 2.0's unanswerable questions.`);
      golds = [""];
    }
    em += Math.max(...golds.map((g) => squadExactMatch(pred, g)));
    f1 += Math.max(...golds.map((g) => squadF1(pred, g, opts)));
  });
  return { exactMatch: (100 * em) / predictions.length, f1: (100 * f1) / predictions.length };
}
