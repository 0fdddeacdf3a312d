// nn.utils (torch.nn.utils): gradient clipping and flattening parameters to one vector and back.

import { cat, type Tensor } from "@tsorch/tensor";

export { clipGradNorm_, clipGradValue_, type ClipGradNormOptions } from "./clip-grad.js";

/**
 * The parameters flattened and concatenated into one 1-D tensor, as `parameters_to_vector`.
 * @example const v = parametersToVector(model.parameters()); // [numParameters]
 */
export function parametersToVector(params: Iterable<Tensor>): Tensor {
  const flat = [...params].map((p) => p.detach().reshape(-1));
  try {
    return cat(flat);
  } finally {
    for (const f of flat) f.dispose();
  }
}

/**
 * Copies slices of a 1-D tensor into the parameters, in order, as `vector_to_parameters`.
 * @example vectorToParameters(v, model.parameters());
 */
export function vectorToParameters(vec: Tensor, params: Iterable<Tensor>): void {
  const list = [...params];
  const total = list.reduce((n, p) => n + p.numel(), 0);
  if (vec.ndim !== 1 || vec.shape[0] !== total)
    throw new RangeError(`vectorToParameters: expected a 1-D tensor of ${total} elements (the parameters' total), got shape [${vec.shape.join(", ")}].`);
  let offset = 0;
  for (const p of list) {
    const n = p.numel();
    const d = p.detach();
    const part = vec.narrow(0, offset, n).view(...p.shape);
    d.copy_(part);
    part.dispose();
    d.dispose();
    offset += n;
  }
}
