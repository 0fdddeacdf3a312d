// Scratch.
import { registerBackend, tensor } from "@tsorch/tensor";
import { createWebGPUBackend } from "../src/index.js";
const b = await createWebGPUBackend();
registerBackend(b);
const s = tensor([1,2,3,4], { dtype: "float32" }).to("webgpu");
const o = tensor([1,2,3,4], { dtype: "float32" }).to("webgpu");
for (let k = 0; k < 4; k++) {
  let t0 = performance.now();
  for (let i = 0; i < 2000; i++) s.add(o).dispose();
  const js = performance.now() - t0;
  b.flush();
  const t1 = performance.now();
  await b.sync!();
  console.log(`js ${(js/2).toFixed(1)} µs/op, gpu drain ${((performance.now()-t1)/2).toFixed(1)} µs/op`);
}
b.destroy();
