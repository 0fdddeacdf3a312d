// TrainingArguments: Hugging Face's training arguments with their defaults, camelCased, read from and written to training_args.json.

import type { SchedulerType } from "@tsorch/optim";

/** When to evaluate, save or log, as HF's `IntervalStrategy`. */
export type IntervalStrategy = "no" | "steps" | "epoch";

/** Where to report logs: TensorBoard event files, JSON Lines, or nothing. */
export type ReportTarget = "tensorboard" | "jsonl" | "html" | "none";

/** Every field of {@link TrainingArguments}, all optional except `outputDir`. */
export type TrainingArgumentsInit = Partial<TrainingArgumentsFields> & { outputDir: string };

/** The fields of {@link TrainingArguments}: HF's `TrainingArguments` names camelCased. */
export interface TrainingArgumentsFields {
  outputDir: string;
  overwriteOutputDir: boolean;
  numTrainEpochs: number;
  /** Overrides `numTrainEpochs` when > 0. */
  maxSteps: number;
  perDeviceTrainBatchSize: number;
  perDeviceEvalBatchSize: number;
  gradientAccumulationSteps: number;
  learningRate: number;
  weightDecay: number;
  adamBeta1: number;
  adamBeta2: number;
  adamEpsilon: number;
  maxGradNorm: number;
  lrSchedulerType: SchedulerType;
  warmupRatio: number;
  warmupSteps: number;
  evalStrategy: IntervalStrategy;
  evalSteps: number | null;
  saveStrategy: IntervalStrategy;
  saveSteps: number;
  loggingStrategy: IntervalStrategy;
  loggingSteps: number;
  loggingFirstStep: boolean;
  loggingDir: string | null;
  saveTotalLimit: number | null;
  loadBestModelAtEnd: boolean;
  metricForBestModel: string | null;
  greaterIsBetter: boolean | null;
  seed: number;
  dataSeed: number | null;
  dataloaderDropLast: boolean;
  labelNames: string[] | null;
  removeUnusedColumns: boolean;
  reportTo: ReportTarget[];
  /** The device the model is moved to; null keeps it where it is. */
  device: string | null;
  disableTqdm: boolean;
  runName: string | null;
}

const DEFAULTS: Omit<TrainingArgumentsFields, "outputDir"> = {
  overwriteOutputDir: false,
  numTrainEpochs: 3,
  maxSteps: -1,
  perDeviceTrainBatchSize: 8,
  perDeviceEvalBatchSize: 8,
  gradientAccumulationSteps: 1,
  learningRate: 5e-5,
  weightDecay: 0,
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEpsilon: 1e-8,
  maxGradNorm: 1,
  lrSchedulerType: "linear",
  warmupRatio: 0,
  warmupSteps: 0,
  evalStrategy: "no",
  evalSteps: null,
  saveStrategy: "steps",
  saveSteps: 500,
  loggingStrategy: "steps",
  loggingSteps: 500,
  loggingFirstStep: false,
  loggingDir: null,
  saveTotalLimit: null,
  loadBestModelAtEnd: false,
  metricForBestModel: null,
  greaterIsBetter: null,
  seed: 42,
  dataSeed: null,
  dataloaderDropLast: false,
  labelNames: null,
  removeUnusedColumns: true,
  reportTo: ["none"],
  device: null,
  disableTqdm: false,
  runName: null,
};

const SCHEDULERS: readonly SchedulerType[] = ["linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup", "inverse_sqrt"];
const STRATEGIES: readonly IntervalStrategy[] = ["no", "steps", "epoch"];

const snake = (k: string): string => k.replace(/[A-Z0-9]+/g, (m, i: number) => (i > 0 ? "_" : "") + m.toLowerCase()).replace(/adam_beta_(\d)/, "adam_beta$1");
const camel = (k: string): string => k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/**
 * The arguments of a training run, as HF's `TrainingArguments`: same names camelCased, same defaults, the same
 * post-init rules (`evalSteps` defaults to `loggingSteps`, `loadBestModelAtEnd` needs matching eval and save strategies,
 * `metricForBestModel` defaults to `"loss"`, `greaterIsBetter` follows it).
 * @example
 * const args = new TrainingArguments({ outputDir: "out", numTrainEpochs: 2, learningRate: 1e-3, evalStrategy: "epoch" });
 * args.toJsonString(); // training_args.json, HF's snake_case keys
 */
export class TrainingArguments implements TrainingArgumentsFields {
  outputDir!: string;
  overwriteOutputDir!: boolean;
  numTrainEpochs!: number;
  maxSteps!: number;
  perDeviceTrainBatchSize!: number;
  perDeviceEvalBatchSize!: number;
  gradientAccumulationSteps!: number;
  learningRate!: number;
  weightDecay!: number;
  adamBeta1!: number;
  adamBeta2!: number;
  adamEpsilon!: number;
  maxGradNorm!: number;
  lrSchedulerType!: SchedulerType;
  warmupRatio!: number;
  warmupSteps!: number;
  evalStrategy!: IntervalStrategy;
  evalSteps!: number | null;
  saveStrategy!: IntervalStrategy;
  saveSteps!: number;
  loggingStrategy!: IntervalStrategy;
  loggingSteps!: number;
  loggingFirstStep!: boolean;
  loggingDir!: string | null;
  saveTotalLimit!: number | null;
  loadBestModelAtEnd!: boolean;
  metricForBestModel!: string | null;
  greaterIsBetter!: boolean | null;
  seed!: number;
  dataSeed!: number | null;
  dataloaderDropLast!: boolean;
  labelNames!: string[] | null;
  removeUnusedColumns!: boolean;
  reportTo!: ReportTarget[];
  device!: string | null;
  disableTqdm!: boolean;
  runName!: string | null;

  constructor(init: TrainingArgumentsInit) {
    if (!init || typeof init.outputDir !== "string" || init.outputDir === "")
      throw new TypeError("TrainingArguments: `outputDir` is required (the folder for checkpoints and logs), e.g. { outputDir: \"out\" }.");
    for (const k of Object.keys(init))
      if (!(k in DEFAULTS) && k !== "outputDir")
        throw new TypeError(`TrainingArguments: unknown argument "${k}"; the names are HF's camelCased (e.g. numTrainEpochs, perDeviceTrainBatchSize).`);
    Object.assign(this, DEFAULTS, { reportTo: [...DEFAULTS.reportTo] }, init);
    this.postInit();
  }

  private postInit(): void {
    for (const k of ["evalStrategy", "saveStrategy", "loggingStrategy"] as const)
      if (!STRATEGIES.includes(this[k])) throw new RangeError(`TrainingArguments.${k}: "${this[k]}" is not one of ${STRATEGIES.join(", ")}.`);
    if (!SCHEDULERS.includes(this.lrSchedulerType))
      throw new RangeError(`TrainingArguments.lrSchedulerType: "${this.lrSchedulerType}" is not one of ${SCHEDULERS.join(", ")}.`);
    for (const k of ["perDeviceTrainBatchSize", "perDeviceEvalBatchSize", "gradientAccumulationSteps"] as const)
      if (!Number.isInteger(this[k]) || this[k] < 1) throw new RangeError(`TrainingArguments.${k}: expected a positive integer, got ${this[k]}.`);
    if (this.warmupRatio < 0 || this.warmupRatio > 1) throw new RangeError(`TrainingArguments.warmupRatio: expected a value in [0, 1], got ${this.warmupRatio}.`);
    if (this.evalStrategy === "steps" && (this.evalSteps === null || this.evalSteps === 0)) {
      if (this.loggingSteps > 0) this.evalSteps = this.loggingSteps;
      else throw new RangeError("TrainingArguments: evalStrategy \"steps\" needs evalSteps or loggingSteps > 0.");
    }
    if (this.loadBestModelAtEnd) {
      if (this.evalStrategy !== this.saveStrategy)
        throw new RangeError(`TrainingArguments: loadBestModelAtEnd needs the save and eval strategies to match; got saveStrategy "${this.saveStrategy}" and evalStrategy "${this.evalStrategy}".`);
      if (this.evalStrategy === "steps" && this.saveSteps % (this.evalSteps as number) !== 0)
        throw new RangeError(`TrainingArguments: loadBestModelAtEnd needs saveSteps (${this.saveSteps}) to be a multiple of evalSteps (${this.evalSteps}).`);
    }
    if (this.loadBestModelAtEnd && this.metricForBestModel === null) this.metricForBestModel = "loss";
    if (this.greaterIsBetter === null && this.metricForBestModel !== null)
      this.greaterIsBetter = !["loss", "eval_loss"].includes(this.metricForBestModel);
    if (this.reportTo.includes("none")) this.reportTo = this.reportTo.filter((r) => r !== "none");
    for (const r of this.reportTo)
      if (!["tensorboard", "jsonl", "html"].includes(r)) throw new RangeError(`TrainingArguments.reportTo: "${r}" is not one of tensorboard, jsonl, html, none.`);
  }

  /** The fields as a plain object (camelCase). @example const copy = new TrainingArguments(args.toObject()) */
  toObject(): TrainingArgumentsFields {
    const out: Record<string, unknown> = { outputDir: this.outputDir };
    for (const k of Object.keys(DEFAULTS)) out[k] = (this as unknown as Record<string, unknown>)[k];
    return out as unknown as TrainingArgumentsFields;
  }

  /** training_args.json's content: HF's snake_case keys. @example writeFileSync("training_args.json", args.toJsonString()) */
  toJsonString(): string {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.toObject())) o[snake(k)] = v;
    return JSON.stringify(o, null, 2) + "\n";
  }

  /**
   * Reads training_args.json's content (snake_case keys, as HF writes them; keys tsorch does not know are ignored).
   * @example const args = TrainingArguments.fromJsonString(readFileSync("out/training_args.json", "utf8"))
   */
  static fromJsonString(text: string): TrainingArguments {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new SyntaxError(`TrainingArguments.fromJsonString: training_args.json is not valid JSON (${(e as Error).message}).`);
    }
    if (!raw || typeof raw !== "object") throw new TypeError("TrainingArguments.fromJsonString: expected a JSON object of arguments.");
    const init: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      const c = camel(k);
      if (c in DEFAULTS || c === "outputDir") init[c] = v;
    }
    return new TrainingArguments(init as TrainingArgumentsInit);
  }
}

/** The snake_case name HF uses for a camelCase argument (exported for tests and writers). */
export const argumentJsonKey = snake;
