// tsorch/node: Node-only file I/O (safetensors files, a module's weights to and from disk), kept out of the browser entry.

export * from "@tsorch/tensor/node";
export { saveModel, loadModel } from "@tsorch/nn/node";
