// tsorch: the umbrella package, so `import * as torch from "tsorch"` feels like `import torch` (tensor + autograd + nn + optim).

export * from "@tsorch/tensor";
export * from "@tsorch/autograd";
export * as nn from "@tsorch/nn";
export * as optim from "@tsorch/optim";
// The native CPU backend takes "cpu" on import when its addon is built; backends() says what serves each device.
export { backends, setNumThreads, getNumThreads } from "./backends.js";
export type { BackendReport } from "./backends.js";
// Both layers name their backward options; autograd's are the ones `backward()` takes.
export type { BackwardOptions } from "@tsorch/autograd";
