// The `_init_weights` most HF families share: normal(0, std) Linear and Embedding weights, zero biases and padding rows.
import { Embedding, LayerNorm, Linear, init, type Module } from "@tsorch/nn";

/**
 * Initialises one module as BERT, DistilBERT, GPT-2, Llama and BART do: Linear weights N(0, std²) with zero bias,
 * Embedding weights N(0, std²) with the padding row zeroed, and (with `layerNorm`) LayerNorm weights 1 and biases 0.
 * `skipFrozenEmbeddings` leaves embeddings that are not trained (Marian's sinusoidal table) alone.
 */
export function initStandardWeights(m: Module, std: number, o: { layerNorm?: boolean; skipFrozenEmbeddings?: boolean } = {}): void {
  if (m instanceof Linear) {
    init.normal_(m.weight, 0, std);
    if (m.bias) init.zeros_(m.bias);
  } else if (m instanceof Embedding) {
    if (o.skipFrozenEmbeddings && !m.weight.requiresGrad) return;
    init.normal_(m.weight, 0, std);
    if (m.paddingIdx !== null) m.weight.detach().select(0, m.paddingIdx).zero_();
  } else if (o.layerNorm && m instanceof LayerNorm) {
    if (m.weight) init.ones_(m.weight);
    if (m.bias) init.zeros_(m.bias);
  }
}
