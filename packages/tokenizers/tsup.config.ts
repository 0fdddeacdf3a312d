// Build of @tsorch/tokenizers: ESM and CJS with declarations; the core entry, the Node-only entry and its worker-thread script.
import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "node/index": "src/node/index.ts",
    // TokenizerPool starts this file beside dist/node/index.{js,cjs} as its worker threads.
    "node/pool-worker": "src/node/pool-worker.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  // import.meta.url in the CJS build (TokenizerPool finds its worker script with it).
  shims: true,
  external: ["vitest"],
});
