// PreTrainedModel: the base of every model, as HF's modeling_utils.PreTrainedModel (init, tied weights, from/save_pretrained).
//
// Contract for model families: a family's config extends PretrainedConfig; each model class extends PreTrainedModel,
// sets `static configClass` and `static baseModelPrefix` (HF's `base_model_prefix`: "bert", "transformer", "model"),
// registers modules under HF's names, overrides `initWeights(module)` with the family's `_init_weights`, lists tied
// parameters in `tiedWeights()` (target key → source key, the source being the one HF keeps in the file), and calls
// `this.postInit()` at the end of its constructor (initialise, then tie).
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Tensor, untracked, type DType } from "@tsorch/tensor";
import { saveFile, writeFileAtomic } from "@tsorch/tensor/node";
import { Module, init, uniqueStateDict } from "@tsorch/nn";
import { PretrainedConfig } from "./configuration-utils.js";
import { openModelSource, HubFileNotFoundError, type HubOptions, type ModelSource } from "./internal/hub.js";
import { openWeights } from "./internal/weights.js";
import { GenerationConfig } from "./generation/generation-config.js";
import { generate, type GenerateCallOptions, type GenerateInputs, type GenerateOutput } from "./generation/generate.js";

/** Options of `fromPretrained`. */
export interface FromPretrainedOptions extends HubOptions {
  /** Use this config instead of the folder's config.json. */
  config?: PretrainedConfig;
  /** Config keys to override, camelCased (as HF's `from_pretrained(..., num_labels=3)`). */
  configOverrides?: Record<string, unknown>;
  /** Parameter dtype (default float32, whatever the checkpoint holds; "float16"/"bfloat16" keep half weights). */
  dtype?: DType;
  /** Where the weights go (default the default device). */
  device?: string;
  /** Re-initialise, rather than refuse, weights whose shape differs from the checkpoint's (HF's flag). */
  ignoreMismatchedSizes?: boolean;
  /** Where HF's warnings go (missing/unexpected keys); default console.warn. */
  warn?: (message: string) => void;
}

/** What loading found, as HF's `output_loading_info=True`. */
export interface LoadingInfo {
  missingKeys: string[];
  unexpectedKeys: string[];
  mismatchedKeys: { key: string; checkpoint: number[]; model: number[] }[];
}

/** Options of `savePretrained`. */
export interface SavePretrainedOptions {
  /** Largest shard in bytes (or "5GB", "200MB"); above it the weights are sharded with an index (HF's default 5GB). */
  maxShardSize?: number | string;
}

interface ModelClass<M extends PreTrainedModel> {
  new (config: never): M;
  configClass: typeof PretrainedConfig;
}

function parseSize(size: number | string): number {
  if (typeof size === "number") return size;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KIB|MIB|GIB)?\s*$/i.exec(size);
  if (!m) throw new RangeError(`savePretrained: maxShardSize ${JSON.stringify(size)} is not a size such as 5GB, 200MB or a byte count.`);
  const unit = (m[2] ?? "B").toUpperCase();
  const mult: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3 };
  return Math.floor(Number(m[1]) * mult[unit]);
}

function writeAtomic(path: string, text: string): void {
  writeFileAtomic(path, text, "savePretrained");
}

/**
 * The base class of models: HF's PreTrainedModel. Subclasses build their modules from a config; `fromPretrained`
 * loads a checkpoint (folder, cache, Hub) and `savePretrained` writes one that Python's transformers loads.
 * @example
 * const model = await BertForSequenceClassification.fromPretrained("./my-bert", { configOverrides: { numLabels: 3 } });
 * await model.savePretrained("./out");
 */
export abstract class PreTrainedModel<C extends PretrainedConfig = PretrainedConfig> extends Module {
  /** The config class this model takes. */
  static configClass: typeof PretrainedConfig = PretrainedConfig;
  /** HF's `base_model_prefix`: the attribute under which a head model holds its base model. */
  static baseModelPrefix = "";
  /** HF's `main_input_name`. */
  static mainInputName = "inputIds";

  constructor(readonly config: C) {
    super();
    if (!(config instanceof PretrainedConfig)) throw new TypeError(`${new.target.name}: expected a config object (e.g. new ${(new.target as typeof PreTrainedModel).configClass.name}({...})), got ${typeof config}.`);
  }

  /** The family's `_init_weights` for one module; `postInit` applies it to every module. */
  protected initWeights(_module: Module): void {}

  /** State-dict keys HF never writes (`_keys_to_ignore_on_save`, e.g. Marian's sinusoidal tables): not saved, not missing. */
  keysNotSaved(): string[] {
    return [];
  }

  /** Tied parameters: state-dict key → the key HF keeps in the file (e.g. `lm_head.weight` → `transformer.wte.weight`). */
  tiedWeights(): Record<string, string> {
    return {};
  }

  /** Set while `fromPretrained` builds a model: weights about to be loaded are not initialised first (HF's fast init). */
  static #loading = 0;

  /** Initialises every module with `initWeights`, then ties weights, as HF's `post_init`. */
  protected postInit(): void {
    if (PreTrainedModel.#loading === 0)
      untracked(() => {
        for (const m of this.modules()) this.initWeights(m);
      });
    this.tieWeights();
  }

  /** Builds a model for loading: family initialisation is skipped, and applied afterwards to what the file lacks. */
  static buildForLoading<M>(make: () => M): M {
    PreTrainedModel.#loading++;
    try {
      return init.noInit(make);
    } finally {
      PreTrainedModel.#loading--;
    }
  }

  /** Initialises (HF's `_init_weights`) the modules that own the given state-dict keys, e.g. a new head. */
  protected initKeys(keys: string[]): void {
    const owners = new Set<Module>();
    for (const k of keys) {
      const cut = k.lastIndexOf(".");
      owners.add(cut < 0 ? this : this.getSubmodule(k.slice(0, cut)));
    }
    untracked(() => {
      for (const m of owners) this.initWeights(m);
    });
  }

  /** Makes every tied parameter the same tensor as its source (as HF's `tie_weights`). @example model.tieWeights() */
  tieWeights(): void {
    for (const [target, source] of Object.entries(this.tiedWeights())) {
      const src = this.getParameter(source);
      const cut = target.lastIndexOf(".");
      const owner = cut < 0 ? this : this.getSubmodule(target.slice(0, cut));
      const leaf = target.slice(cut + 1);
      owner.registerParameter(leaf, src);
      (owner as unknown as Record<string, unknown>)[leaf] = src;
    }
  }

  /** The HF model type of this model's config. @example model.modelType // "bert" */
  get modelType(): string {
    return this.config.modelType;
  }

  /**
   * Loads a model from a folder, the HF cache or the Hub, as `from_pretrained`: reads config.json (unless given),
   * builds the model, and copies in the weights, adding or removing the base-model prefix as needed. Missing
   * (newly initialised) and unused weights are reported as HF reports them. The model is returned in eval mode.
   * @example const model = await GPT2LMHeadModel.fromPretrained("./gpt2", { device: "webgpu" });
   */
  static async fromPretrained<M extends PreTrainedModel>(this: ModelClass<M>, nameOrPath: string, opts: FromPretrainedOptions = {}): Promise<M> {
    const source = openModelSource(nameOrPath, opts);
    const config = opts.config ?? (await loadConfig(source, this.configClass, opts.configOverrides));
    const model = PreTrainedModel.buildForLoading(() => new this(config as never) as M);
    await model.loadPretrainedWeights(source, opts);
    const gen = await source.file("generation_config.json");
    if (gen) {
      try {
        model.generationConfigData = GenerationConfig.fromDict(JSON.parse(readFileSync(gen, "utf8")) as Record<string, unknown>);
      } catch (e) {
        throw new Error(`fromPretrained: ${gen} is not valid JSON (${(e as Error).message}).`);
      }
    }
    return model;
  }

  /** Loads weights from a resolved source (see `fromPretrained`); returns what was missing or unused. */
  async loadPretrainedWeights(source: ModelSource, opts: FromPretrainedOptions = {}): Promise<LoadingInfo> {
    const warn = opts.warn ?? ((m: string) => console.warn(m));
    const reader = await openWeights(source);
    if (!reader) {
      const bin = await source.file("pytorch_model.bin");
      if (bin) return this.#loadBin(bin, source, opts);
      throw new HubFileNotFoundError(
        `fromPretrained: ${source.where} has no weights: looked for model.safetensors, model.safetensors.index.json and pytorch_model.bin. ` +
          `Save the model with savePretrained (or Python's save_pretrained) into that folder.`,
      );
    }
    try {
      if (opts.dtype) this.to(opts.dtype);
      const info = await this.#copyIn(reader.keys(), (k) => reader.shape(k), (k) => reader.read(k), opts, source.where);
      this.#report(info, source.where, warn);
      if (opts.device) this.to(opts.device);
      this.eval();
      return info;
    } finally {
      await reader.close();
    }
  }

  async #loadBin(path: string, source: ModelSource, opts: FromPretrainedOptions): Promise<LoadingInfo> {
    const { loadTorchCheckpoint } = await import("./internal/torch-pickle.js");
    const tensors = loadTorchCheckpoint(readFileSync(path), path);
    try {
      if (opts.dtype) this.to(opts.dtype);
      const info = await this.#copyIn(Object.keys(tensors), (k) => [...tensors[k].shape], async (k) => tensors[k].clone(), opts, source.where);
      this.#report(info, source.where, opts.warn ?? ((m: string) => console.warn(m)));
      if (opts.device) this.to(opts.device);
      this.eval();
      return info;
    } finally {
      for (const t of Object.values(tensors)) t.dispose();
    }
  }

  /** Maps checkpoint keys onto this model's keys (HF's prefix rules), checks shapes, copies tensor by tensor. */
  async #copyIn(fileKeys: string[], shapeOf: (k: string) => number[], read: (k: string) => Promise<Tensor>, opts: FromPretrainedOptions, where: string): Promise<LoadingInfo> {
    const own = this.stateDict();
    const prefix = (this.constructor as typeof PreTrainedModel).baseModelPrefix;
    const ownKeys = Object.keys(own);
    const hasPrefixModule = !!prefix && ownKeys.some((k) => k.startsWith(`${prefix}.`));
    const fileHasPrefix = !!prefix && fileKeys.some((k) => k.startsWith(`${prefix}.`));
    // A base checkpoint loads into a head model (add the prefix) and a head checkpoint into a base model (drop it).
    const toOwn = (k: string): string => {
      if (hasPrefixModule && !fileHasPrefix) return `${prefix}.${k}`;
      if (!hasPrefixModule && fileHasPrefix && k.startsWith(`${prefix}.`)) return k.slice(prefix.length + 1);
      return k;
    };
    const tied = this.tiedWeights();
    const loaded = new Set<string>();
    const unexpectedKeys: string[] = [];
    const mismatchedKeys: LoadingInfo["mismatchedKeys"] = [];
    const plan: [string, string][] = [];
    for (const fk of fileKeys) {
      const k = toOwn(fk);
      const t = own[k];
      if (!t) {
        unexpectedKeys.push(fk);
        continue;
      }
      const shape = shapeOf(fk);
      if (shape.length !== t.shape.length || shape.some((d, i) => d !== t.shape[i])) {
        if (opts.ignoreMismatchedSizes) {
          mismatchedKeys.push({ key: k, checkpoint: shape, model: [...t.shape] });
          continue;
        }
        throw new RangeError(
          `fromPretrained: size mismatch for ${k}: the checkpoint (${where}) has shape [${shape.join(", ")}], the model built from its config has [${t.shape.join(", ")}]. ` +
            `Fix the config, or pass { ignoreMismatchedSizes: true } to re-initialise that weight.`,
        );
      }
      plan.push([fk, k]);
    }
    for (const [fk, k] of plan) {
      const src = await read(fk);
      try {
        untracked(() => own[k].detach().copy_(src));
      } finally {
        src.dispose();
      }
      loaded.add(k);
    }
    const notSaved = new Set(this.keysNotSaved());
    const missingKeys = ownKeys.filter((k) => !loaded.has(k) && !notSaved.has(k) && !(tied[k] !== undefined && loaded.has(tied[k])) && !Object.entries(tied).some(([t, s]) => s === k && loaded.has(t)));
    // Weights the file lacks (a new head) or that did not fit get the family's initialisation, as HF does.
    const fresh = [...missingKeys, ...mismatchedKeys.map((m) => m.key)];
    if (fresh.length) this.initKeys(fresh);
    // A tie whose kept side came from the file but not the other: copy along, as HF ties after loading.
    this.tieWeights();
    return { missingKeys, unexpectedKeys, mismatchedKeys };
  }

  #report(info: LoadingInfo, where: string, warn: (m: string) => void): void {
    const name = this.constructor.name;
    if (info.unexpectedKeys.length)
      warn(
        `Some weights of the model checkpoint at ${where} were not used when initializing ${name}: [${info.unexpectedKeys.map((k) => `'${k}'`).join(", ")}]\n` +
          `- This IS expected if you are initializing ${name} from the checkpoint of a model trained on another task or with another architecture.`,
      );
    const fresh = [...info.missingKeys, ...info.mismatchedKeys.map((m) => m.key)];
    if (fresh.length)
      warn(
        `Some weights of ${name} were not initialized from the model checkpoint at ${where} and are newly initialized: [${fresh.map((k) => `'${k}'`).join(", ")}]\n` +
          `You should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.`,
      );
  }

  /**
   * Writes the model as HF's `save_pretrained`: config.json, generation_config.json (when the model has one) and
   * model.safetensors — tied weights once, under the key HF keeps — sharded with model.safetensors.index.json above
   * `maxShardSize`. Each file is written to a temporary name and renamed, so a crash leaves the previous files whole.
   * @example await model.savePretrained("out/my-model", { maxShardSize: "200MB" });
   */
  async savePretrained(dir: string, opts: SavePretrainedOptions = {}): Promise<void> {
    mkdirSync(dir, { recursive: true });
    const maxShard = parseSize(opts.maxShardSize ?? "5GB");
    const config = this.config;
    if (!config.architectures || config.architectures[0] !== this.constructor.name) config.architectures = [this.constructor.name];
    if (config.getExtra("transformers_version") === undefined) config.setExtra("transformers_version", "4.37.2");
    if (config.getExtra("torch_dtype") === undefined && config.torchDtype === null) config.torchDtype = this.parameters()[0]?.dtype ?? "float32";
    writeAtomic(join(dir, "config.json"), config.toJsonString());
    const gen = this.generationConfigData?.toDict() ?? this.generationConfig();
    if (gen) writeAtomic(join(dir, "generation_config.json"), `${JSON.stringify(gen, null, 2)}\n`);

    const tied = this.tiedWeights();
    const sd = this.stateDict();
    const tensors: [string, Tensor][] = [];
    const kept = uniqueStateDict(this).tensors;
    const notSaved = new Set(this.keysNotSaved());
    for (const [k, t] of Object.entries(sd)) if (!(k in tied) && k in kept && !notSaved.has(k)) tensors.push([k, t]);
    // Ties uniqueStateDict saw by identity but the model does not declare stay out too (the first key is kept).
    const bytes = (t: Tensor) => t.numel() * ({ float64: 8, int64: 8, float32: 4, int32: 4, float16: 2, bfloat16: 2, uint8: 1, bool: 1 } as Record<string, number>)[t.dtype];
    const shards: [string, Tensor][][] = [[]];
    let size = 0;
    for (const e of tensors) {
      const b = bytes(e[1]);
      if (size > 0 && size + b > maxShard) {
        shards.push([]);
        size = 0;
      }
      shards[shards.length - 1].push(e);
      size += b;
    }
    const stale = (name: string) => /^model(-\d{5}-of-\d{5})?\.safetensors$|^model\.safetensors\.index\.json$/.test(name);
    const before = readdirSync(dir).filter(stale);
    const written: string[] = [];
    if (shards.length === 1) {
      await saveFile(Object.fromEntries(shards[0]), join(dir, "model.safetensors"), { format: "pt" });
      written.push("model.safetensors");
    } else {
      const weightMap: Record<string, string> = {};
      let total = 0;
      for (let i = 0; i < shards.length; i++) {
        const name = `model-${String(i + 1).padStart(5, "0")}-of-${String(shards.length).padStart(5, "0")}.safetensors`;
        await saveFile(Object.fromEntries(shards[i]), join(dir, name), { format: "pt" });
        for (const [k, t] of shards[i]) ((weightMap[k] = name), (total += bytes(t)));
        written.push(name);
      }
      const sorted = Object.fromEntries(Object.keys(weightMap).sort().map((k) => [k, weightMap[k]]));
      writeAtomic(join(dir, "model.safetensors.index.json"), `${JSON.stringify({ metadata: { total_size: total }, weight_map: sorted }, null, 2)}\n`);
      written.push("model.safetensors.index.json");
    }
    // Only after the new files are whole: drop weights of the other layout that would shadow them on load.
    for (const name of before) if (!written.includes(name)) rmSync(join(dir, name), { force: true });
  }

  /** The generation_config.json content HF derives from the model config (null for non-generative models). */
  generationConfig(): Record<string, unknown> | null {
    return null;
  }

  /** The generation settings read from generation_config.json (or set by the user); `generate` starts from them. */
  generationConfigData: GenerationConfig | null = null;

  /**
   * Generates tokens with this model (greedy, sampling or beam search), as HF's `model.generate`.
   * @example const ids = await model.generate({ inputIds, attentionMask }, { maxNewTokens: 20, numBeams: 4 });
   */
  generate(inputs: GenerateInputs | Tensor, opts: GenerateCallOptions = {}): Promise<Tensor | GenerateOutput> {
    if (!this.generationConfig() && !this.generationConfigData)
      return Promise.reject(new TypeError(`${this.constructor.name} cannot generate: it has no language-model head. Use a …ForCausalLM / …LMHeadModel / …ForConditionalGeneration class.`));
    return generate(this, inputs, opts);
  }

  /** The number of parameters, as `num_parameters()` (tied ones once). @example model.numParameters() */
  override numParameters(opts: { trainableOnly?: boolean } = {}): number {
    return super.numParameters(opts);
  }
}

/** Reads a source's config.json into `configClass` (checking `model_type`), applying overrides. */
export async function loadConfig(source: ModelSource, configClass: typeof PretrainedConfig, overrides?: Record<string, unknown>): Promise<PretrainedConfig> {
  const path = await source.file("config.json");
  if (!path) throw new HubFileNotFoundError(`fromPretrained: ${source.where} has no config.json; a model folder needs its config.json beside the weights (save it with savePretrained).`);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`fromPretrained: ${path} is not valid JSON (${(e as Error).message}).`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new Error(`fromPretrained: ${path} must hold a JSON object.`);
  const want = configClass.modelType;
  if (want && json.model_type !== undefined && json.model_type !== want && !(configClass as { acceptsModelTypes?: string[] }).acceptsModelTypes?.includes(String(json.model_type)))
    console.warn(`fromPretrained: ${path} has model_type ${JSON.stringify(json.model_type)}, loading it as ${JSON.stringify(want)}; this may not work.`);
  const cfg = (configClass as unknown as { fromDict(j: Record<string, unknown>): PretrainedConfig }).fromDict(json);
  if (overrides) for (const [k, v] of Object.entries(overrides)) (cfg as unknown as Record<string, unknown>)[k] = v;
  return cfg;
}

