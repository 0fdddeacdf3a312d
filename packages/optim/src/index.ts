// @tsorch/optim: optimizers (SGD, Adam, AdamW, Adagrad, RMSprop), their update functions, fused kernels, LR schedulers.

export { Optimizer } from "./optimizer.js";
export type { OptimizerStateDict, ParamGroup, ParamGroupInput, ParamState } from "./optimizer.js";
export { optimizerStateToSafetensors, optimizerStateFromSafetensors, OPTIMIZER_STATE_METADATA_KEY } from "./state-file.js";
export type { OptimizerStateFile } from "./state-file.js";
export { SGD } from "./sgd.js";
export type { SGDOptions } from "./sgd.js";
export { Adam, AdamW } from "./adam.js";
export type { AdamOptions } from "./adam.js";
export { Adagrad } from "./adagrad.js";
export type { AdagradOptions } from "./adagrad.js";
export { RMSprop } from "./rmsprop.js";
export type { RMSpropOptions } from "./rmsprop.js";
export { setFusedOptimizersEnabled } from "./fused.js";
export * as functional from "./functional/index.js";
export { LRScheduler } from "./lr-scheduler.js";
export type { SchedulerStateDict } from "./lr-scheduler.js";
export { LambdaLR, StepLR, MultiStepLR, ExponentialLR, LinearLR, CosineAnnealingLR, OneCycleLR, SequentialLR } from "./schedulers.js";
export type { LrLambda, OneCycleLROptions } from "./schedulers.js";
export * as lrScheduler from "./lr-scheduler-namespace.js";
export {
  getConstantSchedule,
  getConstantScheduleWithWarmup,
  getLinearScheduleWithWarmup,
  getCosineScheduleWithWarmup,
  getCosineWithHardRestartsScheduleWithWarmup,
  getPolynomialDecayScheduleWithWarmup,
  getInverseSqrtSchedule,
  getScheduler,
} from "./hf-schedules.js";
export type { SchedulerType, WarmupOptions } from "./hf-schedules.js";
