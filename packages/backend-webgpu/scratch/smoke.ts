// Scratch smoke test (not part of the package).
import { tensor, registerBackend, createCpuBackend } from "@tsorch/tensor";
import { createWebGPUBackend } from "../src/index.js";
const b = await createWebGPUBackend();
registerBackend(b);
const x = tensor([[1, 2, 3], [4, 5, 6]]).to("webgpu");
console.log(await x.data());
console.log(await x.exp().data());
console.log(await x.T.contiguous().data());
console.log(await x.add(x.T.T).mul(2).data());
console.log(await x.sum(1).data(), await x.max().data());
console.log(await x.matmul(x.T).data());
console.log(await x.gt(2).data(), await x.to("int64").data());
console.log(await x.argmax(1).data(), await x.cumsum(1).data());
const s = tensor([3, 1, 2, NaN, 0]).to("webgpu").sort();
console.log(await s.values.data(), await s.indices.data());
b.destroy();
