// Logits processors and warpers as HF's generation/logits_process.py, applied in HF's order to one step's score rows.
import type { GenerationConfig } from "./generation-config.js";

/** One step of decoding: the running sequences (prompt and padding included) and their next-token scores. */
export interface StepState {
  /** Row i's token ids so far (decoder side for encoder-decoders). */
  sequences: number[][];
  /** Row i's next-token scores, modified in place. */
  scores: Float32Array[];
  /** The current length of every sequence (HF's `cur_len`). */
  curLen: number;
  /** Prompt length (decoder start for encoder-decoders), for `minNewTokens`. */
  promptLen: number;
  /** The total length decoding stops at. */
  maxLength: number;
}

const NEG_INF = -Infinity;

/** Repetition penalty (CTRL): a seen token's score is divided by the penalty when positive, multiplied when negative. */
function repetitionPenalty(s: StepState, penalty: number): void {
  s.scores.forEach((row, i) => {
    for (const id of new Set(s.sequences[i])) {
      if (id < 0 || id >= row.length) continue;
      const v = row[id];
      row[id] = Math.fround(v < 0 ? v * penalty : v / penalty);
    }
  });
}

/** No repeated n-grams: bans the tokens that would complete an n-gram already in the sequence. */
function noRepeatNgram(s: StepState, n: number): void {
  if (s.curLen + 1 < n) return;
  s.scores.forEach((row, i) => {
    const seq = s.sequences[i];
    const prefix = seq.slice(seq.length + 1 - n).join(",");
    for (let j = 0; j + n <= seq.length; j++) if (seq.slice(j, j + n - 1).join(",") === prefix) row[seq[j + n - 1]] = NEG_INF;
  });
}

/** Bad words: single tokens always, longer sequences when the sequence ends with all but their last token. */
function badWords(s: StepState, bad: number[][]): void {
  s.scores.forEach((row, i) => {
    const seq = s.sequences[i];
    for (const w of bad) {
      if (w.length === 0) continue;
      const head = w.slice(0, -1);
      if (head.length <= seq.length && head.every((t, k) => seq[seq.length - head.length + k] === t)) row[w[w.length - 1]] = NEG_INF;
    }
  });
}

/** Forces one of `ids`: every other score becomes -inf and theirs 0, as HF's forced BOS/EOS processors. */
function only(row: Float32Array, ids: number[]): void {
  row.fill(NEG_INF);
  ids.forEach((id) => (row[id] = 0));
}

/**
 * Applies HF's logits processors for `gc` in HF's order: repetition penalty, no-repeat n-grams, bad words, min length,
 * min new tokens, forced BOS, forced EOS, suppressed tokens.
 */
export function processLogits(s: StepState, gc: GenerationConfig): void {
  const v = gc.values;
  const eos = gc.eosIds;
  if (v.repetitionPenalty !== 1) repetitionPenalty(s, v.repetitionPenalty);
  if (v.noRepeatNgramSize > 0) noRepeatNgram(s, v.noRepeatNgramSize);
  if (v.badWordsIds?.length) badWords(s, v.badWordsIds);
  if (v.minLength > 0 && s.curLen < v.minLength && eos.length) for (const row of s.scores) for (const e of eos) row[e] = NEG_INF;
  if (v.minNewTokens && s.curLen - s.promptLen < v.minNewTokens && eos.length) for (const row of s.scores) for (const e of eos) row[e] = NEG_INF;
  if (v.forcedBosTokenId !== null && s.curLen === 1) for (const row of s.scores) only(row, [v.forcedBosTokenId]);
  const fe = v.forcedEosTokenId;
  if (fe !== null && s.curLen === s.maxLength - 1) for (const row of s.scores) only(row, Array.isArray(fe) ? fe : [fe]);
  if (v.suppressTokens?.length) for (const row of s.scores) for (const t of v.suppressTokens) row[t] = NEG_INF;
}

/** HF's warpers for sampling, in order: temperature, top-k, top-p, typical-p (each keeps at least one token). */
export function warpLogits(scores: Float32Array[], gc: GenerationConfig): void {
  const v = gc.values;
  for (const row of scores) {
    if (v.temperature !== 1) {
      if (!(v.temperature > 0)) throw new RangeError(`generate: temperature must be a positive number (got ${v.temperature}); use doSample: false for greedy decoding.`);
      for (let i = 0; i < row.length; i++) row[i] = Math.fround(row[i] / v.temperature);
    }
    if (v.topK > 0 && v.topK < row.length) {
      const kth = [...row].sort((a, b) => b - a)[v.topK - 1];
      for (let i = 0; i < row.length; i++) if (row[i] < kth) row[i] = NEG_INF;
    }
    if (v.topP < 1) {
      const order = [...row.keys()].sort((a, b) => row[a] - row[b]); // ascending, as HF
      const probs = softmax(row);
      let cum = 0;
      for (let j = 0; j < order.length - 1; j++) {
        cum += probs[order[j]];
        if (cum <= 1 - v.topP) row[order[j]] = NEG_INF;
      }
    }
    if (v.typicalP < 1) {
      const probs = softmax(row);
      let ent = 0;
      for (const p of probs) if (p > 0) ent -= p * Math.log(p);
      const order = [...row.keys()].sort((a, b) => Math.abs(-Math.log(probs[a]) - ent) - Math.abs(-Math.log(probs[b]) - ent));
      let cum = 0;
      let last = 0;
      for (let j = 0; j < order.length; j++) {
        cum += probs[order[j]];
        last = j;
        if (cum >= v.typicalP) break;
      }
      for (let j = last + 1; j < order.length; j++) row[order[j]] = NEG_INF;
    }
  }
}

/** A numerically stable softmax of one row, in float64. */
export function softmax(row: Float32Array): Float64Array {
  let m = -Infinity;
  for (const x of row) if (x > m) m = x;
  const out = new Float64Array(row.length);
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += out[i] = m === -Infinity ? 0 : Math.exp(row[i] - m);
  for (let i = 0; i < row.length; i++) out[i] /= sum;
  return out;
}

/** `log_softmax` of one row in float32 as torch computes it: x - max - log(Σ exp(x - max)). */
export function logSoftmax(row: Float32Array): Float32Array {
  let m = -Infinity;
  for (const x of row) if (x > m) m = x;
  let sum = 0;
  for (const x of row) sum += Math.exp(x - m);
  const lse = Math.log(sum);
  const out = new Float32Array(row.length);
  for (let i = 0; i < row.length; i++) out[i] = Math.fround(Math.fround(row[i] - m) - lse);
  return out;
}

/** The index of the largest score (the first one on ties, as torch.argmax). */
export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}
