// Build of @tsorch/backend-cpu: ESM and CJS with declarations (import.meta.url shimmed in CJS to find the addon).
import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  shims: true,
  target: "es2022",
  external: ["@tsorch/tensor"],
});
