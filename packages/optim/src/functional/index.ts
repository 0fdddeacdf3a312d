// optim.functional: the update rules over parameter lists that the optimizer classes call (torch.optim._functional).

export { sgd, type SgdUpdateOptions } from "./sgd.js";
export { adam, adamReference, type AdamUpdateOptions, type AdamUpdateState } from "./adam.js";
export { adagrad, type AdagradUpdateOptions } from "./adagrad.js";
export { rmsprop, type RmspropUpdateOptions, type RmspropUpdateState } from "./rmsprop.js";
