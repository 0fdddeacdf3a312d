// The `optim.lrScheduler` namespace (torch.optim.lr_scheduler): every scheduler under one name, for PyTorch-shaped imports.

export { LRScheduler } from "./lr-scheduler.js";
export { LambdaLR, StepLR, MultiStepLR, ExponentialLR, LinearLR, CosineAnnealingLR, OneCycleLR, SequentialLR } from "./schedulers.js";
