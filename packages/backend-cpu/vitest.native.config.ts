// Runs the other packages' tests with the native backend serving "cpu": `npx vitest run -c packages/backend-cpu/vitest.native.config.ts packages/nn`.
import { defineConfig, mergeConfig } from "vitest/config";
import root from "../../vitest.config.js";

export default mergeConfig(
  root,
  defineConfig({
    root: new URL("../..", import.meta.url).pathname,
    test: { setupFiles: [new URL("./testing/register-native.ts", import.meta.url).pathname] },
  }),
);
