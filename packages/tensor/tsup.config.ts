// Build of @tsorch/tensor: ESM and CJS with declarations, one entry per public subpath.
import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "backend/index": "src/backend/index.ts",
    "dispatch/index": "src/dispatch/index.ts",
    "testing/index": "src/testing/index.ts",
    "node/index": "src/node/index.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  external: ["vitest"],
});
