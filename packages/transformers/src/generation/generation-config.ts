// GenerationConfig: decoding settings with HF's defaults, read from and written to generation_config.json (camelCase ↔ snake_case).
import { toCamel, toSnake, type JsonValue } from "../configuration-utils.js";

/** The options of `generate()`, HF's `GenerationConfig` fields camelCased. */
export interface GenerationOptions {
  maxLength?: number;
  maxNewTokens?: number | null;
  minLength?: number;
  minNewTokens?: number | null;
  doSample?: boolean;
  numBeams?: number;
  numReturnSequences?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  typicalP?: number;
  repetitionPenalty?: number;
  noRepeatNgramSize?: number;
  lengthPenalty?: number;
  earlyStopping?: boolean | "never";
  badWordsIds?: number[][] | null;
  forcedBosTokenId?: number | null;
  forcedEosTokenId?: number | number[] | null;
  eosTokenId?: number | number[] | null;
  padTokenId?: number | null;
  bosTokenId?: number | null;
  decoderStartTokenId?: number | null;
  suppressTokens?: number[] | null;
  outputScores?: boolean;
  returnDictInGenerate?: boolean;
  useCache?: boolean;
}

const DEFAULTS: Required<Omit<GenerationOptions, never>> = {
  maxLength: 20,
  maxNewTokens: null,
  minLength: 0,
  minNewTokens: null,
  doSample: false,
  numBeams: 1,
  numReturnSequences: 1,
  temperature: 1,
  topK: 50,
  topP: 1,
  typicalP: 1,
  repetitionPenalty: 1,
  noRepeatNgramSize: 0,
  lengthPenalty: 1,
  earlyStopping: false,
  badWordsIds: null,
  forcedBosTokenId: null,
  forcedEosTokenId: null,
  eosTokenId: null,
  padTokenId: null,
  bosTokenId: null,
  decoderStartTokenId: null,
  suppressTokens: null,
  outputScores: false,
  returnDictInGenerate: false,
  useCache: true,
};

/**
 * Decoding settings as HF's `GenerationConfig`: defaults, then generation_config.json, then call options.
 * @example const gc = GenerationConfig.fromDict({ max_new_tokens: 20, num_beams: 4 }); gc.numBeams // 4
 */
export class GenerationConfig {
  readonly values: Required<GenerationOptions>;
  readonly #extra: Record<string, JsonValue> = {};

  constructor(opts: GenerationOptions = {}) {
    this.values = { ...DEFAULTS };
    for (const [k, v] of Object.entries(opts)) if (v !== undefined) (this.values as Record<string, unknown>)[k] = v;
  }

  /** From generation_config.json's object; unknown keys are kept for writing back. */
  static fromDict(json: Record<string, unknown>): GenerationConfig {
    const gc = new GenerationConfig();
    for (const [k, v] of Object.entries(json)) {
      const camel = toCamel(k);
      if (camel in DEFAULTS && toSnake(camel) === k) (gc.values as Record<string, unknown>)[camel] = v;
      else gc.#extra[k] = v as JsonValue;
    }
    return gc;
  }

  /** A copy with call options applied (undefined leaves the value). */
  merged(opts: GenerationOptions): GenerationConfig {
    const gc = new GenerationConfig({ ...this.values, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) });
    Object.assign(gc.#extra, this.#extra);
    return gc;
  }

  /** generation_config.json's object: the values that differ from HF's defaults, plus kept keys. */
  toDict(): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = { ...this.#extra };
    for (const [k, v] of Object.entries(this.values)) if (JSON.stringify(v) !== JSON.stringify((DEFAULTS as Record<string, unknown>)[k])) out[toSnake(k)] = v as JsonValue;
    return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
  }

  /** The end-of-sequence ids as a list (one or several). */
  get eosIds(): number[] {
    const e = this.values.eosTokenId;
    return e === null || e === undefined ? [] : Array.isArray(e) ? e : [e];
  }
}
