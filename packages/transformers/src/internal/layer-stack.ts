// The layer loop of every transformer stack (GPT-2, Llama, BART, T5) and the causal-LM output, as HF's models return them.
import type { Tensor } from "@tsorch/tensor";
import type { BaseModelOutput, LayerCache, LogitsOutput, ModelInputs, PastKeyValues } from "../modeling-outputs.js";
import { causalLmLoss, checkLabels } from "./heads.js";

/** What one layer gives back: its output, its key/value cache entry and (when asked) its attention maps. */
export interface LayerStep {
  out: Tensor;
  present: LayerCache;
  weights?: Tensor | null;
  crossWeights?: Tensor | null;
}

/**
 * Runs `layers` in order over `x` (each given its slice of `pastKeyValues`), then `finalNorm`, collecting what HF
 * collects: hidden states before every layer and after the final norm, attention maps (cross-attention maps too when
 * `withCross`, i.e. a decoder reading an encoder), and the new cache when `useCache`. `step` calls one layer with the
 * model's own extra arguments (masks, rotary tables, relative position bias).
 */
export function runLayerStack<L>(
  layers: Iterable<L>,
  x: Tensor, // [B, T, E]
  inputs: Pick<ModelInputs, "useCache" | "outputHiddenStates" | "outputAttentions">,
  pastKeyValues: PastKeyValues | null | undefined,
  step: (layer: L, x: Tensor, past: LayerCache | null, outputAttentions: boolean) => LayerStep,
  finalNorm: (x: Tensor) => Tensor,
  withCross = false,
): BaseModelOutput & { crossAttentions?: Tensor[] } {
  const useCache = inputs.useCache ?? false;
  const outputAttentions = !!inputs.outputAttentions;
  const presents: PastKeyValues = [];
  const hiddenStates: Tensor[] = [];
  const attentions: Tensor[] = [];
  const crossAttentions: Tensor[] = [];
  let i = 0;
  for (const layer of layers) {
    if (inputs.outputHiddenStates) hiddenStates.push(x);
    const r = step(layer, x, pastKeyValues?.[i] ?? null, outputAttentions);
    if (useCache) presents.push(r.present);
    if (r.weights) attentions.push(r.weights);
    if (r.crossWeights) crossAttentions.push(r.crossWeights);
    x = r.out; // [B, T, E]
    i++;
  }
  x = finalNorm(x);
  if (inputs.outputHiddenStates) hiddenStates.push(x);
  return {
    lastHiddenState: x,
    ...(useCache ? { pastKeyValues: presents } : {}),
    ...(inputs.outputHiddenStates ? { hiddenStates } : {}),
    ...(inputs.outputAttentions ? { attentions, ...(withCross ? { crossAttentions } : {}) } : {}),
  };
}

/** `CausalLMOutputWithPast`: the LM head's logits `[B, T, V]`, the shifted LM loss when labels are given, and the body's extras. */
export function causalLmOutput(out: BaseModelOutput, logits: Tensor, labels: Tensor | null | undefined, vocabSize: number): LogitsOutput {
  let loss: Tensor | undefined;
  if (labels) {
    checkLabels(labels, vocabSize, "causal LM");
    loss = causalLmLoss(logits, labels);
  }
  return { ...(loss ? { loss } : {}), logits, pastKeyValues: out.pastKeyValues, hiddenStates: out.hiddenStates, attentions: out.attentions };
}
