// Build of @tsorch/trainer: ESM and CJS with declarations, plus the tsorch-board bin; other tsorch packages stay external.
import { defineConfig } from "tsup";

const common = { format: ["esm", "cjs"] as ("esm" | "cjs")[], shims: true, sourcemap: true, target: "es2022", external: [/^@tsorch\//] };

export default defineConfig([
  { ...common, entry: { index: "src/index.ts" }, dts: true, clean: true },
  { ...common, entry: { "board-cli": "src/board-cli.ts" }, format: ["esm"], banner: { js: "#!/usr/bin/env node" } },
]);
