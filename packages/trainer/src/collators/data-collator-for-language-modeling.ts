// DataCollatorForLanguageModeling as Hugging Face's: masked LM (15 % of non-special tokens; 80 % [MASK], 10 % random, 10 % kept) or causal LM labels.
import { Generator, defaultGenerator, rand, type Tensor } from "@tsorch/tensor";
import { padFeatures, toTensorBatch, type CollatorTokenizer, type Feature, type PadOptions, type TensorBatch } from "./collator-tokenizer.js";
import { DataCollator } from "./data-collator.js";

/** Options of `DataCollatorForLanguageModeling`. */
export interface LanguageModelingOptions extends PadOptions {
  tokenizer: CollatorTokenizer;
  /** Masked LM (default true); false gives causal-LM labels (the inputs, padding as -100). */
  mlm?: boolean;
  /** Share of tokens chosen for prediction (default 0.15). */
  mlmProbability?: number;
  /** Of the chosen: share replaced by the mask token (0.8) and by a random token (0.1); the rest stay. */
  maskReplaceProb?: number;
  randomReplaceProb?: number;
  /** Random source (default: `@tsorch/tensor`'s global generator, so `manualSeed(seed)` fixes the masks). */
  generator?: Generator;
}

function draws(shape: number[], g: Generator): Float64Array {
  const t: Tensor = rand(shape, { generator: g, dtype: "float64", device: "cpu" });
  const d = Float64Array.from(t.dataSync() as Float64Array);
  t.dispose();
  return d;
}

/**
 * Pads the examples and builds language-modeling labels. Masked LM follows HF's `torch_mask_tokens`: each token
 * that is not special (tokenizer `allSpecialIds`, the example's `specialTokensMask`, or padding) is chosen with
 * `mlmProbability`; chosen tokens get their id as label (others -100); of those, 80 % become `maskTokenId`, half of
 * the rest a uniform random id below `tokenizer.length`, the others are kept. Draws, in order: a uniform per
 * position for choosing, one for masking, one for random replacement, one for the random id — from the seeded
 * tensor-package generator, so runs repeat under the same seed. Causal LM: labels are the inputs with padding -100.
 * @example
 * ```ts
 * manualSeed(0);
 * const collator = new DataCollatorForLanguageModeling({ tokenizer, mlmProbability: 0.15 });
 * const { inputIds, labels } = collator(dataset.toList().slice(0, 8));
 * ```
 */
export class DataCollatorForLanguageModeling extends DataCollator {
  readonly tokenizer: CollatorTokenizer;
  readonly mlm: boolean;
  readonly mlmProbability: number;
  readonly maskReplaceProb: number;
  readonly randomReplaceProb: number;
  readonly padOptions: PadOptions;
  readonly generator: Generator | null;

  constructor(opts: LanguageModelingOptions) {
    super();
    this.tokenizer = opts.tokenizer;
    this.mlm = opts.mlm ?? true;
    this.mlmProbability = opts.mlmProbability ?? 0.15;
    this.maskReplaceProb = opts.maskReplaceProb ?? 0.8;
    this.randomReplaceProb = opts.randomReplaceProb ?? 0.1;
    this.padOptions = { padding: opts.padding ?? true, maxLength: opts.maxLength, padToMultipleOf: opts.padToMultipleOf };
    this.generator = opts.generator ?? null;
    if (this.mlm && (this.tokenizer.maskTokenId === null || this.tokenizer.maskTokenId === undefined)) {
      throw new RangeError("DataCollatorForLanguageModeling: masked LM needs tokenizer.maskTokenId; use a tokenizer with a mask token or pass mlm: false.");
    }
    if (!(this.mlmProbability >= 0 && this.mlmProbability <= 1) || this.maskReplaceProb + this.randomReplaceProb > 1) {
      throw new RangeError("DataCollatorForLanguageModeling: probabilities must be in [0, 1] and maskReplaceProb + randomReplaceProb <= 1.");
    }
  }

  collate(features: Feature[]): TensorBatch {
    const cols = padFeatures(features, this.tokenizer, this.padOptions);
    const ids = cols.inputIds as number[][] | undefined;
    if (!ids) throw new TypeError("DataCollatorForLanguageModeling: examples need inputIds (or input_ids).");
    const pad = this.tokenizer.padTokenId;
    const lens = new Set(ids.map((r) => r.length));
    if (lens.size > 1) throw new RangeError("DataCollatorForLanguageModeling: examples have different lengths after padding; enable padding.");
    if (!this.mlm) {
      cols.labels = ids.map((r) => r.map((t) => (pad !== null && t === pad ? -100 : t)));
      return toTensorBatch(cols, "DataCollatorForLanguageModeling");
    }
    const special = new Set(this.tokenizer.allSpecialIds ?? []);
    const stm = cols.specialTokensMask as number[][] | undefined;
    delete cols.specialTokensMask;
    const B = ids.length;
    const T = ids[0].length;
    const g = this.generator ?? defaultGenerator;
    const choose = draws([B, T], g); // [B, T]
    const toMask = draws([B, T], g); // [B, T]
    const toRandom = draws([B, T], g); // [B, T]
    const words = draws([B, T], g); // [B, T]
    const vocab = this.tokenizer.length;
    const randomShare = this.randomReplaceProb / (1 - this.maskReplaceProb || 1);
    const inputs = ids.map((r) => [...r]);
    const labels = ids.map((r) => r.map(() => -100));
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const id = ids[b][t];
        const isSpecial = stm ? stm[b][t] === 1 : special.has(id) || (pad !== null && id === pad);
        const k = b * T + t;
        if (isSpecial || !(choose[k] < this.mlmProbability)) continue;
        labels[b][t] = id;
        if (toMask[k] < this.maskReplaceProb) inputs[b][t] = this.tokenizer.maskTokenId!;
        else if (toRandom[k] < randomShare) {
          if (vocab === undefined) throw new RangeError("DataCollatorForLanguageModeling: random replacement needs tokenizer.length (the vocabulary size).");
          inputs[b][t] = Math.floor(words[k] * vocab);
        }
      }
    }
    cols.inputIds = inputs;
    cols.labels = labels;
    return toTensorBatch(cols, "DataCollatorForLanguageModeling");
  }
}
