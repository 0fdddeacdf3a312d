// Scratch.
import { tensor, registerBackend } from "@tsorch/tensor";
import { createWebGPUBackend } from "../src/index.js";
const b = await createWebGPUBackend();
registerBackend(b);
const x = tensor([-59, -76, 64, 3]).to("webgpu");
console.log(x.dtype, await x.to("float16").data(), await x.to("float32").data(), await x.to("float16").to("float32").data());
const y = tensor([-59, -76, 64, 3], {dtype: "int32"}).to("webgpu");
console.log(await y.to("float16").data());
b.destroy();
