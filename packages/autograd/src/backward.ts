// backward() and grad(): the public entry points of the engine, with PyTorch's checks and messages.

import { Tensor, onesLike, untracked } from "@tsorch/tensor";
import { fmtShape } from "@tsorch/tensor/backend";
import { runEngine } from "./internal/engine.js";
import type { Root, Target } from "./internal/engine.js";
import { edgeOf } from "./internal/edge.js";
import { accumulateInto } from "./internal/accumulate-grad.js";

/** Options of `backward`, as `torch.autograd.backward`. */
export interface BackwardOptions {
  /** Keep saved tensors so the graph can be walked again (defaults to `createGraph`). */
  retainGraph?: boolean;
  /** Record the backward itself, for higher-order gradients. */
  createGraph?: boolean;
  /** Only accumulate into these tensors' `.grad`. */
  inputs?: readonly Tensor[];
}

/** Options of `grad`, as `torch.autograd.grad`. */
export interface GradOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
  /** Return null for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

function asList(t: Tensor | readonly Tensor[]): readonly Tensor[] {
  return t instanceof Tensor ? [t] : t;
}

function makeRoots(op: string, outputs: readonly Tensor[], gradOutputs: readonly (Tensor | null | undefined)[] | undefined): Root[] {
  if (gradOutputs && gradOutputs.length !== outputs.length)
    throw new RangeError(`${op}: got ${gradOutputs.length} gradients for ${outputs.length} outputs; pass one gradient per output (or none).`);
  const roots: Root[] = [];
  outputs.forEach((out, i) => {
    out.assertAlive(op);
    const edge = edgeOf(out);
    if (!edge)
      throw new Error(
        `${op}: element ${i} of tensors does not require grad and does not have a gradFn (shape ${fmtShape(out.shape)}). ` +
          "Make sure an input was created with requiresGrad: true (or .requiresGrad_()) and that the computation did not run inside noGrad().",
      );
    const given = gradOutputs?.[i];
    if (given === null || given === undefined) {
      if (out.numel() !== 1)
        throw new Error(
          `${op}: grad can be implicitly created only for scalar outputs, but output ${i} has shape ${fmtShape(out.shape)}. ` +
            "Reduce it first (out.sum().backward()) or pass a gradient of the same shape: out.backward(onesLike(out)).",
        );
      roots.push({ edge, grad: onesLike(out), owned: true });
      return;
    }
    given.assertAlive(op);
    if (given.shape.length !== out.shape.length || given.shape.some((s, k) => s !== out.shape[k]))
      throw new RangeError(
        `${op}: mismatch in shape: gradient ${i} has a shape of ${fmtShape(given.shape)} and output ${i} has a shape of ${fmtShape(out.shape)}. Pass a gradient of the output's shape.`,
      );
    if (given.dtype !== out.dtype)
      throw new TypeError(
        `${op}: mismatch in dtype: gradient ${i} is ${given.dtype} but output ${i} is ${out.dtype}. Convert it with gradient.to("${out.dtype}").`,
      );
    if (given.device !== out.device)
      throw new Error(`${op}: gradient ${i} is on "${given.device}" but output ${i} is on "${out.device}". Move it with .to("${out.device}").`);
    roots.push({ edge, grad: given, owned: false });
  });
  return roots;
}

/**
 * Computes the gradients of `tensors` with respect to the graph's leaves and accumulates them into `.grad`,
 * as `torch.autograd.backward`. `gradTensors` may be omitted for scalar outputs.
 * @example backward(loss); backward([y1, y2], [g1, g2], { retainGraph: true })
 */
export function backward(
  tensors: Tensor | readonly Tensor[],
  gradTensors?: Tensor | readonly (Tensor | null | undefined)[] | null,
  options: BackwardOptions = {},
): void {
  const outputs = asList(tensors);
  const grads = gradTensors === null || gradTensors === undefined ? undefined : gradTensors instanceof Tensor ? [gradTensors] : gradTensors;
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  untracked(() => {
    const roots = makeRoots("backward", outputs, grads);
    let targets: Target[] | null = null;
    if (options.inputs) {
      if (options.inputs.length === 0) throw new RangeError("backward: 'inputs' argument to backward() cannot be empty. Omit it to accumulate into every leaf.");
      targets = options.inputs.map((t, i) => {
        const edge = edgeOf(t);
        if (!edge) throw new Error(`backward: input ${i} (shape ${fmtShape(t.shape)}) does not require grad; only tensors that require grad can be listed in 'inputs'.`);
        // Leaves accumulate through their accumulator; non-leaves get `.grad` here.
        return { edge, onGrad: (g: Tensor | null) => (g && !t.isLeaf ? accumulateInto(t, g, { createGraph, adopt: () => {}, canSteal: () => false }) : undefined) };
      });
    }
    runEngine(roots, { retainGraph, createGraph, targets, accumulate: true });
  });
}

/**
 * The gradients of `outputs` with respect to `inputs`, returned instead of accumulated into `.grad`, as
 * `torch.autograd.grad`. With `createGraph` the results are themselves differentiable (higher-order gradients).
 * @example const [dx] = grad(y.sum(), [x]);
 * @example const [gx] = grad(y, x, onesLike(y), { createGraph: true }); const [ggx] = grad(gx.sum(), x);
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  gradOutputs?: Tensor | readonly (Tensor | null | undefined)[] | null,
  options: GradOptions = {},
): (Tensor | null)[] {
  const outs = asList(outputs);
  const ins = asList(inputs);
  const gos = gradOutputs === null || gradOutputs === undefined ? undefined : gradOutputs instanceof Tensor ? [gradOutputs] : gradOutputs;
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const results: (Tensor | null | undefined)[] = ins.map(() => undefined);
  const engineMade = new Set<Tensor>();
  untracked(() => {
    const roots = makeRoots("grad", outs, gos);
    const targets: Target[] = ins.map((t, i) => {
      t.assertAlive("grad");
      const edge = edgeOf(t);
      if (!edge)
        throw new Error(
          `grad: one of the differentiated tensors (input ${i}, shape ${fmtShape(t.shape)}) does not require grad. Create it with requiresGrad: true or call .requiresGrad_() on it before the forward.`,
        );
      return {
        edge,
        onGrad: (g, owned) => {
          results[i] = g;
          if (g && owned) engineMade.add(g);
        },
      };
    });
    runEngine(roots, { retainGraph, createGraph, targets, accumulate: false });
  });
  try {
    return results.map((g, i) => {
      if (g === undefined || g === null) {
        if (!options.allowUnused)
          throw new Error(
            `grad: one of the differentiated tensors (input ${i}, shape ${fmtShape(ins[i].shape)}) appears to not have been used in the graph. Pass { allowUnused: true } if this is the desired behavior.`,
          );
        return null;
      }
      return engineMade.has(g) ? adopt(g) : g;
    });
  } finally {
    for (const g of engineMade) g.dispose();
  }
}

/** An engine result as a tensor of the caller's scope (an alias with the same graph position; the original is freed). */
function adopt(g: Tensor): Tensor {
  const a = new Tensor(g.storage, g.shape, g.strides, g.offset);
  a.gradFn = g.gradFn;
  a.autogradMeta = g.autogradMeta;
  a.setRequiresGradUnchecked(g.requiresGrad);
  return a;
}
