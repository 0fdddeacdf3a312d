// @tsorch/nn: Module with PyTorch / Hugging Face state-dict names, layers, containers, losses, init, functional, clipping.

// Importing nn installs autograd, so loss.backward() works for every model built from these modules.
import "@tsorch/autograd";

export { Module } from "./module.js";
// Re-exported for nn users; it lives in autograd so that optimizers share it.
export { clearGrad } from "@tsorch/autograd";
export type { BufferOptions, ModuleTarget, ParameterOptions, StateDict } from "./module.js";
export type { ForwardHook, ForwardPreHook, RemovableHandle } from "./internal/hooks.js";
export { StateDictError } from "./internal/load-state-dict.js";
export type { LoadStateDictOptions, LoadStateDictResult } from "./internal/load-state-dict.js";
export { Parameter } from "./parameter.js";
export { saveModelToBytes, loadModelFromBytes, uniqueStateDict } from "./serialization.js";
export { Sequential, ModuleList, ModuleDict, ParameterList } from "./containers.js";
export { Linear, Bilinear, Identity } from "./linear.js";
export type { FactoryOptions } from "./linear.js";
export { Embedding } from "./embedding.js";
export type { EmbeddingModuleOptions } from "./embedding.js";
export { LayerNorm, RMSNorm } from "./normalization.js";
export { Dropout } from "./dropout.js";
export { Conv1d } from "./conv.js";
export type { Conv1dModuleOptions } from "./conv.js";
export { ReLU, GELU, SiLU, Tanh, Sigmoid, Softmax, LogSoftmax, LeakyReLU, ELU, Softplus, Mish, Flatten } from "./activation.js";
export { MultiheadAttention } from "./multihead-attention.js";
export type { MultiheadAttentionOptions, MultiheadAttentionCall } from "./multihead-attention.js";
export { CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss } from "./loss.js";
export type { ClassLossModuleOptions } from "./loss.js";
export { clipGradNorm_, clipGradValue_ } from "./clip-grad.js";
export type { ClipGradNormOptions } from "./clip-grad.js";
export { parametersToVector, vectorToParameters } from "./utils.js";
export * as utils from "./utils.js";
export * as init from "./init.js";
export * as functional from "./functional.js";
export * as F from "./functional.js";
