// Build of @tsorch/trainer: ESM and CJS with declarations; other tsorch packages stay external (one Tensor class for all).
import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", "board-cli": "src/board-cli.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  external: [/^@tsorch\//],
});
