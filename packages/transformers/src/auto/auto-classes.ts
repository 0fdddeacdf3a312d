// AutoConfig and AutoModel*: pick the family from config.json's model_type and the head from the task, as HF's Auto classes.
import { PretrainedConfig } from "../configuration-utils.js";
import { loadConfig, type FromPretrainedOptions, type PreTrainedModel } from "../modeling-utils.js";
import { openModelSource } from "../internal/hub.js";
import { familyOf, type AutoTask } from "./registry.js";
import "./families.js";

async function readConfig(nameOrPath: string, opts: FromPretrainedOptions): Promise<PretrainedConfig> {
  const source = openModelSource(nameOrPath, opts);
  const path = await source.file("config.json");
  if (!path) throw new Error(`AutoConfig: ${source.where} has no config.json; a model folder needs one (save it with savePretrained).`);
  const { readFileSync } = await import("node:fs");
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`AutoConfig: ${path} is not valid JSON (${(e as Error).message}).`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new Error(`AutoConfig: ${path} must hold a JSON object, got ${json === null ? "null" : Array.isArray(json) ? "an array" : typeof json}.`);
  const family = familyOf(json.model_type, `AutoConfig (${path})`);
  return loadConfig(source, family.config, opts.configOverrides);
}

/**
 * Reads config.json into the config class of its `model_type`, as `AutoConfig.from_pretrained`.
 * @example const cfg = await AutoConfig.fromPretrained("./bert-tiny"); cfg.modelType // "bert"
 */
export class AutoConfig {
  static fromPretrained(nameOrPath: string, opts: FromPretrainedOptions = {}): Promise<PretrainedConfig> {
    return readConfig(nameOrPath, opts);
  }

  /** A config of a model type from camelCase keys, as `AutoConfig.for_model`. @example AutoConfig.forModel("gpt2", { nLayer: 2 }) */
  static forModel(modelType: string, init: Record<string, unknown> = {}): PretrainedConfig {
    const C = familyOf(modelType, "AutoConfig.forModel").config as unknown as new (i: Record<string, unknown>) => PretrainedConfig;
    return new C(init);
  }
}

function autoClass(task: AutoTask, label: string) {
  return class {
    /** Loads the model class of the checkpoint's family for this task. */
    static async fromPretrained(nameOrPath: string, opts: FromPretrainedOptions = {}): Promise<PreTrainedModel> {
      const config = opts.config ?? (await readConfig(nameOrPath, opts));
      const cls = familyOf(config.modelType, label).models[task];
      if (!cls) throw new RangeError(`${label}: model type ${JSON.stringify(config.modelType)} has no ${task} head; pick another Auto class or model.`);
      return cls.fromPretrained(nameOrPath, { ...opts, config });
    }

    /** Builds a freshly initialised model of the config's family for this task, as `from_config`. */
    static fromConfig(config: PretrainedConfig): PreTrainedModel {
      const cls = familyOf(config.modelType, label).models[task];
      if (!cls) throw new RangeError(`${label}: model type ${JSON.stringify(config.modelType)} has no ${task} head.`);
      return new cls(config as never);
    }
  };
}

/** The bare model of a checkpoint's family. @example const m = await AutoModel.fromPretrained("./bert") */
export const AutoModel = autoClass("base", "AutoModel");
/** @example const m = await AutoModelForSequenceClassification.fromPretrained("./bert", { configOverrides: { numLabels: 3 } }) */
export const AutoModelForSequenceClassification = autoClass("sequenceClassification", "AutoModelForSequenceClassification");
/** @example const m = await AutoModelForTokenClassification.fromPretrained("./bert-ner") */
export const AutoModelForTokenClassification = autoClass("tokenClassification", "AutoModelForTokenClassification");
/** @example const m = await AutoModelForQuestionAnswering.fromPretrained("./bert-qa") */
export const AutoModelForQuestionAnswering = autoClass("questionAnswering", "AutoModelForQuestionAnswering");
/** @example const m = await AutoModelForMaskedLM.fromPretrained("./bert") */
export const AutoModelForMaskedLM = autoClass("maskedLM", "AutoModelForMaskedLM");
/** @example const m = await AutoModelForCausalLM.fromPretrained("./gpt2") */
export const AutoModelForCausalLM = autoClass("causalLM", "AutoModelForCausalLM");
/** @example const m = await AutoModelForSeq2SeqLM.fromPretrained("./t5-small") */
export const AutoModelForSeq2SeqLM = autoClass("seq2seqLM", "AutoModelForSeq2SeqLM");
/** @example const m = await AutoModelForMultipleChoice.fromPretrained("./bert-swag") */
export const AutoModelForMultipleChoice = autoClass("multipleChoice", "AutoModelForMultipleChoice");
