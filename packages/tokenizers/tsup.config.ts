// Build of @tsorch/tokenizers: ESM and CJS with declarations; the core entry and the Node-only file-loading entry.
import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "node/index": "src/node/index.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  external: ["vitest"],
});
