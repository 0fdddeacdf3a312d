// HF's default optimizer and schedule for the Trainer: AdamW with weight decay off for biases and norm weights, and get_scheduler.

import { LayerNorm, RMSNorm, type Module } from "@tsorch/nn";
import { AdamW, getScheduler, type LRScheduler, type Optimizer } from "@tsorch/optim";
import type { Tensor } from "@tsorch/tensor";
import type { TrainingArguments } from "../training-args.js";

const NO_DECAY_NAME = [/bias/, /layernorm/i, /rmsnorm/i, /(?:^|\.)norm(?:$|\.)/, /_norm(?:$|\.)/, /(?:^|\.)ln_/];

/**
 * The names of the parameters that get weight decay, as HF's `get_decay_parameter_names`: all but those of norm
 * layers and those whose names say bias or norm.
 */
export function getDecayParameterNames(model: Module): string[] {
  const normParams = new Set<Tensor>();
  for (const m of model.modules()) if (m instanceof LayerNorm || m instanceof RMSNorm) for (const p of m.parameters()) normParams.add(p);
  return model
    .namedParameters()
    .filter(([name, p]) => !normParams.has(p) && !NO_DECAY_NAME.some((re) => re.test(name)))
    .map(([name]) => name);
}

export function createOptimizer(model: Module, args: TrainingArguments): Optimizer<object> {
  const decay = new Set(getDecayParameterNames(model));
  const named = model.namedParameters().filter(([, p]) => p.requiresGrad);
  const groups = [
    { params: named.filter(([n]) => decay.has(n)).map(([, p]) => p), weightDecay: args.weightDecay },
    { params: named.filter(([n]) => !decay.has(n)).map(([, p]) => p), weightDecay: 0 },
  ].filter((g) => g.params.length > 0);
  if (groups.length === 0) throw new RangeError("Trainer: the model has no parameter that requires grad; there is nothing to train.");
  return new AdamW(groups, { lr: args.learningRate, betas: [args.adamBeta1, args.adamBeta2], eps: args.adamEpsilon, weightDecay: args.weightDecay }) as unknown as Optimizer<object>;
}

export function numWarmupSteps(args: TrainingArguments, numTrainingSteps: number): number {
  return args.warmupSteps > 0 ? args.warmupSteps : Math.ceil(numTrainingSteps * args.warmupRatio);
}

export function createScheduler(optimizer: Optimizer<object>, args: TrainingArguments, numTrainingSteps: number): LRScheduler {
  return getScheduler(args.lrSchedulerType, optimizer, { numWarmupSteps: numWarmupSteps(args, numTrainingSteps), numTrainingSteps });
}
