// SQuAD-style extractive QA: answers to start/end token positions over overflowing windows (HF's prepare_train_features) and back from logits to answer text (postprocess_qa_predictions).
import { flattenOverflowing, type EncodingLike } from "./encoding-like.js";

/** A SQuAD example: answers by text and start (in code points of `context`, as the datasets store them). */
export interface QaExample {
  id?: string;
  question?: string;
  context: string;
  answers?: { text: readonly string[]; answerStart: readonly number[] };
}

/** A training window: the encoding's columns plus the answer span in tokens (the CLS index when the answer is not inside). */
export interface QaTrainFeature {
  inputIds: number[];
  attentionMask: number[];
  tokenTypeIds: number[];
  startPositions: number;
  endPositions: number;
  /** Index of the example this window belongs to (`overflow_to_sample_mapping`). */
  exampleIndex: number;
}

/** An evaluation window: offsets only for context tokens (null elsewhere), as HF's prepare_validation_features. */
export interface QaEvalFeature {
  inputIds: number[];
  attentionMask: number[];
  tokenTypeIds: number[];
  offsetMapping: Array<[number, number] | null>;
  exampleIndex: number;
}

/** Shared options: which sequence is the context (1 when the question comes first, HF's `pad_on_right`), the CLS id. */
export interface QaFeatureOptions {
  contextSequence?: 0 | 1;
  /** Id of the CLS token (the "no answer" position is its first occurrence; default: position 0). */
  clsTokenId?: number;
  /** The encodings are already the flattened windows and this names each one's example (BatchEncoding's `overflowToSampleMapping`). */
  overflowToSampleMapping?: readonly number[];
}

function need<T>(v: T | undefined, what: string, i: number): T {
  if (v === undefined) throw new TypeError(`question answering: window ${i} has no ${what}; encode with offsets (the Encoding of @tsorch/tokenizers has them).`);
  return v;
}

function columns(e: EncodingLike): { inputIds: number[]; attentionMask: number[]; tokenTypeIds: number[] } {
  return { inputIds: [...e.ids], attentionMask: e.attentionMask ? [...e.attentionMask] : e.ids.map(() => 1), tokenTypeIds: e.typeIds ? [...e.typeIds] : e.ids.map(() => 0) };
}

/**
 * Training windows with `startPositions` / `endPositions`, as HF's `prepare_train_features`: encode
 * (question, context) with truncation "only_second", `maxLength`, `stride: docStride` so long contexts overflow
 * into windows; pass the encodings here with their examples. Per window: no answer → CLS index for both; answer
 * not fully inside the window's context tokens → CLS; otherwise the first and last tokens covering it.
 * @example
 * ```ts
 * tokenizer.setTruncation({ maxLength: 384, stride: 128, strategy: "only_second" });
 * const encs = examples.map((ex) => tokenizer.encode(ex.question!, ex.context));
 * const features = prepareQaTrainFeatures(examples, encs, { clsTokenId: 101 });
 * ```
 */
export function prepareQaTrainFeatures(examples: readonly QaExample[], encodings: readonly EncodingLike[], opts: QaFeatureOptions = {}): QaTrainFeature[] {
  if (!opts.overflowToSampleMapping && examples.length !== encodings.length) {
    throw new RangeError(`prepareQaTrainFeatures: ${examples.length} examples but ${encodings.length} encodings; encode each example once (its windows are its overflowing).`);
  }
  const ctxSeq = opts.contextSequence ?? 1;
  return flattenOverflowing(encodings, opts.overflowToSampleMapping).map(({ encoding: e, sampleIndex }, i) => {
    if (!examples[sampleIndex]) throw new RangeError(`prepareQaTrainFeatures: window ${i} belongs to example ${sampleIndex}, beyond the ${examples.length} examples.`);
    const cls = opts.clsTokenId === undefined ? 0 : Math.max(0, e.ids.indexOf(opts.clsTokenId));
    const base = { ...columns(e), exampleIndex: sampleIndex };
    const answers = examples[sampleIndex].answers;
    if (!answers || answers.answerStart.length === 0) return { ...base, startPositions: cls, endPositions: cls };
    const startChar = answers.answerStart[0];
    const endChar = startChar + [...answers.text[0]].length;
    const offsets = need(e.offsets, "offsets", i);
    const seq = need(e.sequenceIds, "sequenceIds", i);
    let tokStart = 0;
    while (tokStart < seq.length && seq[tokStart] !== ctxSeq) tokStart++;
    let tokEnd = seq.length - 1;
    while (tokEnd >= 0 && seq[tokEnd] !== ctxSeq) tokEnd--;
    if (tokStart > tokEnd || !(offsets[tokStart][0] <= startChar && offsets[tokEnd][1] >= endChar)) {
      return { ...base, startPositions: cls, endPositions: cls };
    }
    while (tokStart < offsets.length && offsets[tokStart][0] <= startChar) tokStart++;
    while (offsets[tokEnd][1] >= endChar) tokEnd--;
    return { ...base, startPositions: tokStart - 1, endPositions: tokEnd + 1 };
  });
}

/**
 * Evaluation windows, as HF's `prepare_validation_features`: the encoding's columns, the example index, and the
 * offsets with every non-context token set to null so post-processing only picks context spans.
 * @example
 * ```ts
 * const features = prepareQaEvalFeatures(encs);
 * ```
 */
export function prepareQaEvalFeatures(encodings: readonly EncodingLike[], opts: QaFeatureOptions = {}): QaEvalFeature[] {
  const ctxSeq = opts.contextSequence ?? 1;
  return flattenOverflowing(encodings, opts.overflowToSampleMapping).map(({ encoding: e, sampleIndex }, i) => {
    const offsets = need(e.offsets, "offsets", i);
    const seq = need(e.sequenceIds, "sequenceIds", i);
    return { ...columns(e), exampleIndex: sampleIndex, offsetMapping: offsets.map((o, k) => (seq[k] === ctxSeq ? [o[0], o[1]] as [number, number] : null)) };
  });
}

/** Options of `postprocessQaPredictions` (HF's defaults). */
export interface QaPostprocessOptions {
  /** Candidates per window end (default 20). */
  nBestSize?: number;
  /** Longest answer in tokens (default 30). */
  maxAnswerLength?: number;
  /** SQuAD 2.0: predict "" when the null score beats the best span by more than `nullScoreDiffThreshold`. */
  versionWithNegative?: boolean;
  nullScoreDiffThreshold?: number;
}

/** One answer candidate: text, logit score, code-point offsets in the context. */
export interface QaCandidate {
  text: string;
  score: number;
  start: number;
  end: number;
}

function topIndices(xs: ArrayLike<number>, n: number): number[] {
  return Array.from({ length: xs.length }, (_, i) => i)
    .sort((a, b) => xs[b] - xs[a] || a - b)
    .slice(0, n);
}

/**
 * Answer text per example from start/end logits of its windows, as HF's `postprocess_qa_predictions`: over every
 * window, the `nBestSize` best starts × ends with both in the context, `start <= end`, length ≤ `maxAnswerLength`,
 * scored by start + end logit; the best span's offsets cut the answer from the context (code points).
 * @example
 * ```ts
 * const { predictions } = postprocessQaPredictions(examples, features, startLogits, endLogits);
 * predictions[0]; // "Denver Broncos"
 * ```
 */
export function postprocessQaPredictions(
  examples: readonly QaExample[],
  features: readonly QaEvalFeature[],
  startLogits: ReadonlyArray<ArrayLike<number>>,
  endLogits: ReadonlyArray<ArrayLike<number>>,
  opts: QaPostprocessOptions = {},
): { predictions: string[]; nBest: QaCandidate[][] } {
  if (startLogits.length !== features.length || endLogits.length !== features.length) {
    throw new RangeError(`postprocessQaPredictions: ${features.length} features but ${startLogits.length} start and ${endLogits.length} end logit rows; pass one row per feature (window).`);
  }
  const nBestSize = opts.nBestSize ?? 20;
  const maxLen = opts.maxAnswerLength ?? 30;
  const byExample = examples.map(() => [] as number[]);
  features.forEach((f, i) => {
    if (!byExample[f.exampleIndex]) throw new RangeError(`postprocessQaPredictions: feature ${i} points at example ${f.exampleIndex}, beyond the ${examples.length} examples.`);
    byExample[f.exampleIndex].push(i);
  });
  const predictions: string[] = [];
  const nBest: QaCandidate[][] = [];
  examples.forEach((ex, exIdx) => {
    const chars = [...ex.context];
    let minNull: number | null = null;
    const cands: QaCandidate[] = [];
    for (const fi of byExample[exIdx]) {
      const s = startLogits[fi];
      const e = endLogits[fi];
      const off = features[fi].offsetMapping;
      const nullScore = s[0] + e[0];
      if (minNull === null || nullScore < minNull) minNull = nullScore;
      for (const a of topIndices(s, nBestSize)) {
        for (const b of topIndices(e, nBestSize)) {
          if (a >= off.length || b >= off.length || !off[a] || !off[b]) continue;
          if (b < a || b - a + 1 > maxLen) continue;
          const start = off[a]![0];
          const end = off[b]![1];
          cands.push({ text: chars.slice(start, end).join(""), score: s[a] + e[b], start, end });
        }
      }
    }
    cands.sort((x, y) => y.score - x.score);
    const best = cands.slice(0, nBestSize);
    if (opts.versionWithNegative && minNull !== null) {
      best.push({ text: "", score: minNull, start: 0, end: 0 });
      best.sort((x, y) => y.score - x.score);
    }
    nBest.push(best);
    if (best.length === 0) predictions.push("");
    else if (!opts.versionWithNegative) predictions.push(best[0].text);
    else {
      const top = best.find((c) => c.text !== "");
      const diff = (minNull ?? -Infinity) - (top ? top.score : -Infinity);
      predictions.push(top && diff <= (opts.nullScoreDiffThreshold ?? 0) ? top.text : "");
    }
  });
  return { predictions, nBest };
}
