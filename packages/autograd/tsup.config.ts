// Build of @tsorch/autograd: ESM and CJS with declarations; @tsorch/tensor stays external (one Tensor class for all).
import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", "formulas/index": "src/formulas/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  external: ["@tsorch/tensor"],
});
