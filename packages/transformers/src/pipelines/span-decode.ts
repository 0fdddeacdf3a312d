// Question-answering span search as HF 4.37's QuestionAnsweringPipeline: masked softmax, best start ≤ end spans within maxAnswerLen.

/** One window's candidate spans, best first. */
export interface Span {
  start: number;
  end: number;
  score: number;
}

/** Softmax of logits where `allowed[i]`, with every other position at -10000 first (HF's masking). */
export function maskedSoftmax(logits: ArrayLike<number>, allowed: boolean[]): Float64Array {
  const x = Float64Array.from({ length: logits.length }, (_, i) => (allowed[i] ? logits[i] : -10000));
  let m = -Infinity;
  for (const v of x) m = Math.max(m, v);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] = Math.exp(x[i] - m);
  for (let i = 0; i < x.length; i++) x[i] /= sum;
  return x;
}

/**
 * The `topK` best spans by p(start)·p(end) with start ≤ end < start + maxAnswerLen, both inside the context
 * (`allowed`), as HF's `decode` (candidates from the upper band of the outer product, then filtered).
 */
export function bestSpans(start: Float64Array, end: Float64Array, topK: number, maxAnswerLen: number, allowed: boolean[]): Span[] {
  const all: Span[] = [];
  const n = start.length;
  for (let s = 0; s < n; s++) for (let e = s; e < Math.min(n, s + maxAnswerLen); e++) all.push({ start: s, end: e, score: start[s] * end[e] });
  // HF sorts the whole band (zeros included) and keeps topK before dropping spans outside the context.
  all.sort((a, b) => b.score - a.score || a.start * n + a.end - (b.start * n + b.end));
  return all.slice(0, topK).filter((sp) => allowed[sp.start] && allowed[sp.end]);
}
