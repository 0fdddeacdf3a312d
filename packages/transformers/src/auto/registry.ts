// The Auto registry (HF's CONFIG_MAPPING and MODEL_*_MAPPING): model_type → config class and model class per task.
import type { PretrainedConfig } from "../configuration-utils.js";
import type { PreTrainedModel } from "../modeling-utils.js";

/** The tasks an Auto class picks a head for. */
export type AutoTask = "base" | "sequenceClassification" | "tokenClassification" | "questionAnswering" | "maskedLM" | "causalLM" | "seq2seqLM" | "multipleChoice";

/** A model class as the registry holds it. */
export type ModelConstructor = (new (config: never) => PreTrainedModel) & { fromPretrained: typeof PreTrainedModel.fromPretrained; configClass: typeof PretrainedConfig; baseModelPrefix: string; name: string };

/** One model family: its config class and its model classes by task. */
export interface FamilyEntry {
  config: typeof PretrainedConfig;
  models: Partial<Record<AutoTask, ModelConstructor>>;
}

const FAMILIES = new Map<string, FamilyEntry>();

/**
 * Registers a model family under its `model_type` (adding a family is one folder and one such line).
 * @example registerFamily("bert", { config: BertConfig, models: { base: BertModel, maskedLM: BertForMaskedLM } });
 */
export function registerFamily(modelType: string, entry: FamilyEntry): void {
  FAMILIES.set(modelType, entry);
}

/** The family of a `model_type`, or a clear error listing the known ones. */
export function familyOf(modelType: unknown, where: string): FamilyEntry {
  const f = typeof modelType === "string" ? FAMILIES.get(modelType) : undefined;
  if (!f)
    throw new RangeError(
      `${where}: ${modelType === undefined ? "config.json has no model_type" : `unknown model_type ${JSON.stringify(modelType)}`}; known model types: ${[...FAMILIES.keys()].sort().join(", ")}.`,
    );
  return f;
}

/** Every registered model type. @example knownModelTypes() // ["bert", "distilbert", …] */
export function knownModelTypes(): string[] {
  return [...FAMILIES.keys()].sort();
}

/** The model class named in `architectures` (HF's class names), searched over every family. */
export function classByName(name: string): ModelConstructor | undefined {
  for (const f of FAMILIES.values()) for (const m of Object.values(f.models)) if (m && m.name === name) return m;
  return undefined;
}
