// Build of @tsorch/backend-webgpu: ESM and CJS with declarations; the Node GPU package stays an external, optional import.
import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  external: ["webgpu", "@tsorch/tensor"],
});
