// HF's ACT2FN (activations.py): the activation named by a config's `hidden_act` / `activation_function`.
import { gelu, relu, silu, type Tensor } from "@tsorch/tensor";

const ACTIVATIONS: Record<string, (x: Tensor) => Tensor> = {
  gelu: (x) => gelu(x),
  gelu_new: (x) => gelu(x, "tanh"),
  gelu_pytorch_tanh: (x) => gelu(x, "tanh"),
  gelu_fast: (x) => gelu(x, "tanh"),
  relu: (x) => relu(x),
  silu: (x) => silu(x),
  swish: (x) => silu(x),
  tanh: (x) => x.tanh(),
  linear: (x) => x,
};

/**
 * The activation function of a config name, as HF's `ACT2FN[name]`.
 * @example const act = getActivation(config.hiddenAct); const y = act(x);
 */
export function getActivation(name: string): (x: Tensor) => Tensor {
  const f = ACTIVATIONS[name];
  if (!f) throw new RangeError(`unknown activation ${JSON.stringify(name)}: known ones are ${Object.keys(ACTIVATIONS).join(", ")}.`);
  return f;
}
