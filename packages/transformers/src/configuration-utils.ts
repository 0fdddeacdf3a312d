// PretrainedConfig: a model family's hyper-parameters, read from and written to config.json as Hugging Face's PretrainedConfig.

/** snake_case → camelCase (`n_embd` → `nEmbd`); the inverse of `toSnake` for every key HF writes. */
export function toCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** camelCase → snake_case (`layerNormEps` → `layer_norm_eps`). */
export function toSnake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A JSON value as config.json holds it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/** The keys every config shares, camelCased, with HF's defaults (`PretrainedConfig.__init__`). */
export interface PretrainedConfigInit {
  architectures?: string[] | null;
  id2label?: Record<number, string> | null;
  label2id?: Record<string, number> | null;
  numLabels?: number;
  problemType?: "regression" | "single_label_classification" | "multi_label_classification" | null;
  padTokenId?: number | null;
  bosTokenId?: number | null;
  eosTokenId?: number | number[] | null;
  sepTokenId?: number | null;
  decoderStartTokenId?: number | null;
  tieWordEmbeddings?: boolean;
  isEncoderDecoder?: boolean;
  isDecoder?: boolean;
  addCrossAttention?: boolean;
  torchDtype?: string | null;
  outputHiddenStates?: boolean;
  outputAttentions?: boolean;
  useReturnDict?: boolean;
  [key: string]: unknown;
}

/** Base defaults: a base key is written to config.json only when it differs from these (HF's `to_diff_dict`). */
const BASE_DEFAULTS: Record<string, JsonValue> = {
  architectures: null,
  problem_type: null,
  pad_token_id: null,
  bos_token_id: null,
  eos_token_id: null,
  sep_token_id: null,
  decoder_start_token_id: null,
  tie_word_embeddings: true,
  is_encoder_decoder: false,
  is_decoder: false,
  add_cross_attention: false,
  torch_dtype: null,
  output_hidden_states: false,
  output_attentions: false,
};

/** Properties of the config object that are not config keys. */
const NOT_KEYS = new Set(["numLabels", "useReturnDict"]);

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Labels a classification head may have: past this, building id2label alone would exhaust memory. */
const MAX_LABELS = 10_000_000;

function checkNumLabels(n: unknown, where: string): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_LABELS)
    throw new RangeError(`${where}: numLabels must be a positive integer up to ${MAX_LABELS} (got ${typeof n === "string" ? JSON.stringify(n) : String(n)}).`);
  return n;
}

/**
 * The configuration of a model, as `transformers.PretrainedConfig`: camelCase properties (`config.hiddenSize`), HF's
 * snake_case keys in config.json. Keys a class does not know are kept, so a file read and written again is the same.
 * @example
 * const cfg = BertConfig.fromDict(JSON.parse(readFileSync("config.json", "utf8")));
 * cfg.numLabels; cfg.id2label[0]; JSON.stringify(cfg.toDict());
 */
export class PretrainedConfig {
  /** HF's `model_type` (`"bert"`, `"gpt2"`, …); empty for the base class. */
  static modelType = "";
  /** Aliases as HF's `attribute_map` (`hiddenSize` → `nEmbd` for GPT-2): reading the alias reads the target. */
  static attributeMap: Record<string, string> = {};

  architectures: string[] | null;
  id2label: Record<number, string>;
  label2id: Record<string, number>;
  problemType: PretrainedConfigInit["problemType"];
  padTokenId: number | null;
  bosTokenId: number | null;
  eosTokenId: number | number[] | null;
  sepTokenId: number | null;
  decoderStartTokenId: number | null;
  tieWordEmbeddings: boolean;
  isEncoderDecoder: boolean;
  isDecoder: boolean;
  addCrossAttention: boolean;
  torchDtype: string | null;
  outputHiddenStates: boolean;
  outputAttentions: boolean;
  /** Keys of the file this class does not model, kept verbatim (snake_case) for writing back. */
  readonly #extra: Record<string, JsonValue> = {};

  constructor(init: PretrainedConfigInit = {}) {
    this.architectures = init.architectures ?? null;
    this.problemType = init.problemType ?? null;
    this.padTokenId = init.padTokenId ?? null;
    this.bosTokenId = init.bosTokenId ?? null;
    this.eosTokenId = init.eosTokenId ?? null;
    this.sepTokenId = init.sepTokenId ?? null;
    this.decoderStartTokenId = init.decoderStartTokenId ?? null;
    this.tieWordEmbeddings = init.tieWordEmbeddings ?? true;
    this.isEncoderDecoder = init.isEncoderDecoder ?? false;
    this.isDecoder = init.isDecoder ?? false;
    this.addCrossAttention = init.addCrossAttention ?? false;
    this.torchDtype = init.torchDtype ?? null;
    this.outputHiddenStates = init.outputHiddenStates ?? false;
    this.outputAttentions = init.outputAttentions ?? false;
    if (init.id2label) {
      this.id2label = Object.fromEntries(Object.entries(init.id2label).map(([k, v]) => [Number(k), String(v)]));
      this.label2id = init.label2id ? { ...init.label2id } : Object.fromEntries(Object.entries(this.id2label).map(([k, v]) => [v, Number(k)]));
    } else {
      const n = checkNumLabels(init.numLabels ?? 2, new.target.name);
      this.id2label = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, `LABEL_${i}`]));
      this.label2id = Object.fromEntries(Array.from({ length: n }, (_, i) => [`LABEL_${i}`, i]));
    }
    if (init.numLabels !== undefined && init.id2label && Object.keys(init.id2label).length !== init.numLabels)
      throw new RangeError(`${new.target.name}: numLabels ${init.numLabels} disagrees with id2label (${Object.keys(init.id2label).length} labels); give one of them.`);
  }

  /** The number of labels of a classification head, as `config.num_labels` (the size of `id2label`). */
  get numLabels(): number {
    return Object.keys(this.id2label).length;
  }

  set numLabels(n: number) {
    if (n === this.numLabels) return;
    checkNumLabels(n, this.constructor.name);
    this.id2label = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, `LABEL_${i}`]));
    this.label2id = Object.fromEntries(Array.from({ length: n }, (_, i) => [`LABEL_${i}`, i]));
  }

  /** HF's `model_type` of this config. @example new BertConfig().modelType // "bert" */
  get modelType(): string {
    return (this.constructor as typeof PretrainedConfig).modelType;
  }

  /**
   * Builds a config from config.json's object (snake_case keys), as `Config.from_dict`.
   * @example const cfg = GPT2Config.fromDict({ n_embd: 48, n_layer: 2 });
   */
  static fromDict<C extends PretrainedConfig>(this: new (init?: Record<string, unknown>) => C, json: Record<string, unknown>): C {
    if (json === null || typeof json !== "object" || Array.isArray(json))
      throw new TypeError(`${this.name}.fromDict: expected the object of a config.json, got ${Array.isArray(json) ? "an array" : typeof json}.`);
    const init: Record<string, unknown> = {};
    const extra: Record<string, JsonValue> = {};
    const probe = new this();
    for (const [k, v] of Object.entries(json)) {
      const camel = toCamel(k);
      const modelled = !k.startsWith("_") && toSnake(camel) === k && camel in probe && !NOT_KEYS.has(camel) && k !== "model_type";
      if (modelled) init[camel] = v;
      else if (k === "num_labels") init.numLabels = v;
      else if (k !== "model_type") extra[k] = v as JsonValue;
    }
    const cfg = new this(init);
    Object.assign(cfg.#extra, extra);
    return cfg;
  }

  /**
   * config.json's object: HF's snake_case keys, sorted, with `model_type`; base keys only where they differ from
   * HF's defaults (as `to_diff_dict`), every family key, and every unknown key that was read.
   * @example writeFileSync("config.json", JSON.stringify(cfg.toDict(), null, 2));
   */
  toDict(): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = { ...this.#extra };
    for (const [camel, value] of Object.entries(this)) {
      if (NOT_KEYS.has(camel) || value === undefined || typeof value === "function") continue;
      const snake = toSnake(camel);
      if (snake === "id2label" || snake === "label2id") continue;
      if (snake in BASE_DEFAULTS && sameJson(BASE_DEFAULTS[snake], value)) continue;
      out[snake] = value as JsonValue;
    }
    const defaultLabels = Object.entries(this.id2label).every(([k, v]) => v === `LABEL_${k}`) && this.numLabels === 2;
    if (!defaultLabels) {
      out.id2label = Object.fromEntries(Object.entries(this.id2label).map(([k, v]) => [String(k), v]));
      out.label2id = { ...this.label2id };
    }
    const mt = this.modelType;
    if (mt) out.model_type = mt;
    return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
  }

  /** config.json's text, as `to_json_string` (2-space indent, sorted keys, final newline). @example cfg.toJsonString() */
  toJsonString(): string {
    return `${JSON.stringify(this.toDict(), null, 2)}\n`;
  }

  /** A key this class does not model, as read from the file (snake_case). @example cfg.getExtra("transformers_version") */
  getExtra(key: string): JsonValue | undefined {
    return this.#extra[key];
  }

  /** Sets a key this class does not model; it is written back to config.json. @example cfg.setExtra("transformers_version", "4.37.2") */
  setExtra(key: string, value: JsonValue): void {
    this.#extra[key] = value;
  }
}
