// generate(): greedy, sampling and beam search over a model's key/value cache, as HF 4.37's GenerationMixin.
import { fromTypedArray, rand, scope, stack, tensor, type Tensor } from "@tsorch/tensor";
import { noGrad } from "@tsorch/autograd";
import type { PretrainedConfig } from "../configuration-utils.js";
import type { PastKeyValues } from "../modeling-outputs.js";
import { GenerationConfig, type GenerationOptions } from "./generation-config.js";
import { argmax, logSoftmax, processLogits, softmax, warpLogits } from "./logits-process.js";
import { BeamSearchScorer } from "./beam-search.js";
import { topCandidates } from "../internal/beam-top-k.js";

/** What generation needs of a model (PreTrainedModel satisfies it): its config, forward and generation defaults. */
export interface GenerativeModel {
  readonly config: PretrainedConfig;
  generationConfig(): Record<string, unknown> | null;
  generationConfigData: GenerationConfig | null;
}

/** A prompt batch: token ids `[B, L]` (left padded for decoder-only models) and their mask. */
export interface GenerateInputs {
  inputIds: Tensor;
  attentionMask?: Tensor | null;
}

/** Options of `generate`: HF's generation options plus streaming. */
export interface GenerateCallOptions extends GenerationOptions {
  /** Called with each step's new tokens (one per row) as they are chosen, for streaming. */
  onTokens?: (tokens: number[], step: number) => void | Promise<void>;
}

/** The result of `generate` with `returnDictInGenerate` (HF's GenerateOutput). */
export interface GenerateOutput {
  /** `[B·numReturnSequences, len]` int64. */
  sequences: Tensor;
  /** Per step, the processed scores `[B·beams, V]` (with `outputScores`). */
  scores?: Tensor[];
  /** Beam search: the final score of each returned sequence. */
  sequencesScores?: Tensor;
}

type Forward = (inputs: Record<string, unknown>) => { logits: Tensor; pastKeyValues?: PastKeyValues; encoderLastHiddenState?: Tensor };

const rows = (t: Tensor): number[][] => {
  const d = t.to("int64").contiguous().dataSync() as BigInt64Array;
  const [b, l] = t.shape;
  return Array.from({ length: b }, (_, i) => Array.from(d.subarray(i * l, (i + 1) * l), Number));
};
const ids2d = (r: number[][], device: string): Tensor => {
  const t = tensor(r, { dtype: "int64" });
  return device === "cpu" ? t : t.to(device);
};

/** Repeats each row `n` times (`repeat_interleave(n, 0)`). */
function expandRows<T>(r: T[], n: number): T[] {
  return r.flatMap((x) => Array.from({ length: n }, () => x));
}

function reorderCache(past: PastKeyValues, src: number[], device: string): PastKeyValues {
  const idx = ids2d([src], device).view(-1);
  return past.map((layer) => layer.map((t) => t.indexSelect(0, idx)));
}

/**
 * Generates token ids, as HF's `model.generate`: greedy search, multinomial sampling (`doSample`, temperature, top-k,
 * top-p, typical-p; reproducible from `manualSeed`) or beam search (`numBeams`), with HF's logits processors,
 * generation_config.json defaults, the key/value cache (encoder run once for encoder-decoders), stopping on any EOS
 * id per sequence and padding the finished ones.
 * @example
 * const out = await generate(model, { inputIds, attentionMask }, { maxNewTokens: 20 });
 * // decoder-only: prompt + new tokens; encoder-decoder: decoder start + new tokens
 */
export async function generate(model: GenerativeModel, inputs: GenerateInputs | Tensor, opts: GenerateCallOptions = {}): Promise<Tensor | GenerateOutput> {
  const inp: GenerateInputs = "inputIds" in (inputs as object) ? (inputs as GenerateInputs) : { inputIds: inputs as Tensor };
  const { onTokens, ...genOpts } = opts;
  const base = model.generationConfigData ?? GenerationConfig.fromDict(model.generationConfig() ?? {});
  const gc = base.merged(genOpts);
  const v = gc.values;
  const cfg = model.config;
  const encDec = cfg.isEncoderDecoder;
  const forward = (x: Record<string, unknown>) => (model as unknown as { forward: Forward }).forward(x);
  if (typeof (model as unknown as { forward?: unknown }).forward !== "function") throw new TypeError("generate: the model has no forward method.");
  const ids = inp.inputIds;
  if (!ids || ids.ndim !== 2) throw new RangeError(`generate: inputIds must be [batch, length] token ids${ids ? `, got [${ids.shape.join(", ")}]` : ""}.`);
  if (ids.dtype !== "int64" && ids.dtype !== "int32") throw new TypeError(`generate: inputIds must be int64 token ids, got ${ids.dtype}.`);
  const device = ids.device;
  const eos = gc.eosIds;
  let pad = v.padTokenId;
  if (pad === null) {
    if (!eos.length) pad = 0;
    else pad = eos[0];
  }
  const prompts = rows(ids);
  const batch = prompts.length;
  const promptLen = encDec ? 1 : prompts[0].length;
  if (!encDec && promptLen === 0) throw new RangeError("generate: the prompt is empty; give at least one token (e.g. the BOS token).");
  const maxLength = v.maxNewTokens !== null && v.maxNewTokens !== undefined ? promptLen + v.maxNewTokens : v.maxLength;
  if (maxLength <= promptLen) throw new RangeError(`generate: nothing to generate: maxLength ${maxLength} <= the prompt's ${promptLen} tokens; set maxNewTokens.`);
  let mask: number[][] = inp.attentionMask ? rows(inp.attentionMask) : prompts.map((r) => r.map((t) => (v.padTokenId !== null && t === v.padTokenId && !eos.includes(t) ? 0 : 1)));
  const numBeams = v.numBeams;
  const beamMode = numBeams > 1;
  if (beamMode && v.doSample) throw new RangeError("generate: beam sampling (numBeams > 1 with doSample) is not supported; use one of them.");
  if (v.numReturnSequences > (beamMode ? numBeams : v.doSample ? Infinity : 1))
    throw new RangeError(`generate: numReturnSequences ${v.numReturnSequences} needs ${beamMode ? `numBeams >= ${v.numReturnSequences}` : "doSample: true or numBeams > 1"}.`);
  const expand = beamMode ? numBeams : v.numReturnSequences;
  const start = v.decoderStartTokenId ?? cfg.decoderStartTokenId ?? v.bosTokenId ?? cfg.bosTokenId;
  if (encDec && start === null) throw new RangeError("generate: the model is an encoder-decoder but no decoderStartTokenId is set in its config or generation config.");

  let seqs: number[][] = encDec ? Array.from({ length: batch * expand }, () => [start!]) : expandRows(prompts, expand);
  mask = expandRows(mask, expand);
  const encIds = encDec ? ids2d(expandRows(prompts, expand), device) : null;
  const encMask = encDec ? ids2d(mask, device) : null;
  let past: PastKeyValues | null = null;
  let encoderState: Tensor | null = null;
  const scoresOut: Float32Array[][] = [];
  const n = seqs.length;
  let unfinished = new Array<boolean>(n).fill(true);
  let beamScores: number[] = beamMode ? Array.from({ length: n }, (_, i) => (i % numBeams === 0 ? 0 : -1e9)) : [];
  const scorer = beamMode ? new BeamSearchScorer(batch, numBeams, v.numReturnSequences, v.lengthPenalty, v.earlyStopping, maxLength) : null;

  try {
    for (let step = 0; ; step++) {
      const curLen = seqs[0].length;
      const useCache = v.useCache;
      // One forward over the new tokens only (the cache holds the rest); positions follow the mask as HF's prepare_inputs_for_generation.
      const { logitsRows, newPast, enc } = await noGrad(() =>
        scope(() => {
          const fresh = useCache && past ? seqs.map((s) => s.slice(-1)) : seqs;
          const x: Record<string, unknown> = { useCache };
          if (encDec) {
            x.decoderInputIds = ids2d(fresh, device);
            x.attentionMask = encMask;
            if (encoderState) x.encoderOutputs = { lastHiddenState: encoderState };
            else x.inputIds = encIds;
          } else {
            x.inputIds = ids2d(fresh, device);
            x.attentionMask = ids2d(mask, device);
            const pos = mask.map((m) => {
              let c = 0;
              return m.map((t) => (t ? c++ : 1)).map((p, j) => (m[j] ? p : 1));
            });
            x.positionIds = ids2d(pos.map((p) => p.slice(-fresh[0].length)), device);
          }
          if (useCache && past) x.pastKeyValues = past;
          const out = forward(x);
          const last = out.logits.select(1, out.logits.shape[1] - 1).to("float32"); // [N, V]
          return { logitsRows: last, newPast: useCache ? out.pastKeyValues ?? null : null, enc: encDec && !encoderState ? out.encoderLastHiddenState ?? null : null };
        }),
      );
      const flat = (await logitsRows.data()) as Float32Array;
      const V = logitsRows.shape[1];
      logitsRows.dispose();
      if (past && newPast !== past) for (const layer of past) for (const t of layer) if (!newPast?.some((l) => l.includes(t))) t.dispose();
      past = newPast;
      if (enc) encoderState = enc;
      let scores: Float32Array[] = Array.from({ length: n }, (_, i) => flat.slice(i * V, (i + 1) * V));
      if (beamMode) scores = scores.map((r) => logSoftmax(r));
      processLogits({ sequences: seqs, scores, curLen, promptLen, maxLength }, gc);
      if (v.outputScores) scoresOut.push(scores.map((r) => r.slice()));

      let next: number[];
      if (beamMode) {
        const k = Math.max(2, 1 + eos.length) * numBeams;
        const candidates = Array.from({ length: batch }, (_, b) =>
          topCandidates(scores.slice(b * numBeams, (b + 1) * numBeams), beamScores.slice(b * numBeams, (b + 1) * numBeams), k),
        );
        const r = scorer!.process(seqs, candidates, pad, eos, promptLen);
        beamScores = r.scores;
        seqs = r.sourceRows.map((src, i) => [...seqs[src], r.tokens[i]]);
        mask = r.sourceRows.map((src) => [...mask[src], 1]);
        if (past) {
          const old = past;
          past = reorderCache(past, r.sourceRows, device);
          for (const layer of old) for (const t of layer) t.dispose();
        }
        next = r.tokens;
        if (onTokens) await onTokens(next, step);
        if (scorer!.isDone || seqs[0].length >= maxLength) break;
      } else {
        if (v.doSample) {
          warpLogits(scores, gc);
          const u = (await rand([n]).data()) as Float32Array;
          next = scores.map((row, i) => {
            const p = softmax(row);
            let c = 0;
            for (let t = 0; t < p.length; t++) if ((c += p[t]) > u[i]) return t;
            return argmax(row);
          });
        } else next = scores.map((row) => argmax(row));
        next = next.map((t, i) => (unfinished[i] ? t : pad!));
        seqs = seqs.map((s, i) => [...s, next[i]]);
        mask = mask.map((m) => [...m, 1]);
        unfinished = unfinished.map((u, i) => u && !eos.includes(next[i]));
        if (onTokens) await onTokens(next, step);
        if (!unfinished.some(Boolean) || seqs[0].length >= maxLength) break;
      }
    }
  } finally {
    if (past) for (const layer of past) for (const t of layer) t.dispose();
    encoderState?.dispose();
    encIds?.dispose();
    encMask?.dispose();
  }

  let outSeqs = seqs;
  let seqScores: number[] | null = null;
  if (beamMode) {
    const f = scorer!.finalize(seqs, beamScores, pad, eos, maxLength, promptLen);
    outSeqs = f.sequences;
    seqScores = f.scores;
  }
  const sequences = ids2d(outSeqs, device);
  if (!v.returnDictInGenerate) return sequences;
  const res: GenerateOutput = { sequences };
  if (v.outputScores) res.scores = scoresOut.map((step) => stack(step.map((r) => fromTypedArray(r, [r.length]))));
  if (seqScores) res.sequencesScores = fromTypedArray(Float32Array.from(seqScores), [seqScores.length]);
  return res;
}

