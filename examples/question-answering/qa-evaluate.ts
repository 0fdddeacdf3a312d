// The QA example's evaluation: start/end logits of every window, n-best span post-processing (HF's postprocess_qa_predictions) and official SQuAD v1.1 EM / F1.
import { noGrad, scope, tensor, type Tensor } from "tsorch";
import { postprocessQaPredictions, squadScores, type QaEvalFeature, type QaExample } from "@tsorch/trainer";
import type { Module } from "@tsorch/nn";

/** Options of `evaluateQa`: HF run_qa.py's post-processing knobs, the batch size and the pad id. */
export interface QaEvalOptions {
  batchSize: number;
  padTokenId: number;
  nBestSize: number;
  maxAnswerLength: number;
  /** Whether the model takes `tokenTypeIds` (BERT does, DistilBERT does not). */
  withTokenTypes: boolean;
}

/**
 * Runs `model` (a `…ForQuestionAnswering`) over the evaluation windows without gradients, maps the best span of each
 * question back to its context and scores it against the gold answers: `{ exactMatch, f1 }` on 0..100 (the best over
 * each question's gold answers, as the official script), `f1Chars` with every Han character a token and punctuation
 * dropped (MLQA's rule for Chinese, where the v1.1 rules compare whole answers), plus the predicted texts.
 * @example const { exactMatch, f1 } = evaluateQa(model, examples, features, { batchSize: 64, padTokenId: 0, nBestSize: 20, maxAnswerLength: 30, withTokenTypes: true });
 */
export function evaluateQa(
  model: Module,
  examples: readonly (QaExample & { answers: { text: readonly string[] } })[],
  features: readonly QaEvalFeature[],
  opts: QaEvalOptions,
): { exactMatch: number; f1: number; f1Chars: number; predictions: string[] } {
  const wasTraining = model.training;
  model.eval();
  const starts: Float32Array[] = [];
  const ends: Float32Array[] = [];
  const forward = model.forward as (inputs: Record<string, Tensor>) => { startLogits: Tensor; endLogits: Tensor };
  try {
    for (let i = 0; i < features.length; i += opts.batchSize) {
      const chunk = features.slice(i, i + opts.batchSize);
      const width = Math.max(...chunk.map((f) => f.inputIds.length));
      const pad = (rows: number[][], v: number) => rows.map((r) => [...r, ...new Array<number>(width - r.length).fill(v)]);
      noGrad(() =>
        scope(() => {
          const out = forward.call(model, {
            inputIds: tensor(pad(chunk.map((f) => f.inputIds), opts.padTokenId), { dtype: "int64" }), // [b, width]
            attentionMask: tensor(pad(chunk.map((f) => f.attentionMask), 0), { dtype: "int64" }), // [b, width]
            ...(opts.withTokenTypes ? { tokenTypeIds: tensor(pad(chunk.map((f) => f.tokenTypeIds), 0), { dtype: "int64" }) } : {}), // [b, width]
          });
          const s = out.startLogits.to("float32").dataSync() as Float32Array; // [b * width]
          const e = out.endLogits.to("float32").dataSync() as Float32Array; // [b * width]
          for (let r = 0; r < chunk.length; r++) {
            starts.push(s.slice(r * width, (r + 1) * width));
            ends.push(e.slice(r * width, (r + 1) * width));
          }
        }),
      );
    }
  } finally {
    model.train(wasTraining);
  }
  const { predictions } = postprocessQaPredictions(examples, features, starts, ends, { nBestSize: opts.nBestSize, maxAnswerLength: opts.maxAnswerLength });
  const golds = examples.map((ex) => ex.answers.text);
  const { exactMatch, f1 } = squadScores(predictions, golds);
  // Chinese has no spaces, so the v1.1 rules compare whole answers; MLQA / XQuAD score it with characters as tokens.
  const chars = (t: string) => t.replace(/\p{P}/gu, " ").replace(/\p{Script=Han}/gu, " $& ");
  const f1Chars = squadScores(predictions.map(chars), golds.map((g) => g.map(chars))).f1;
  return { exactMatch, f1, f1Chars, predictions };
}
