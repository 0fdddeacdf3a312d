// tsorch: the umbrella package, so `import * as torch from "tsorch"` feels like `import torch` (tensor + autograd + nn + optim).

export * from "@tsorch/tensor";
export * from "@tsorch/autograd";
export * as nn from "@tsorch/nn";
export * as optim from "@tsorch/optim";
