// Root test runner config: every package's *.test.ts, resolved to TypeScript sources by the "@tsorch/source" export condition.
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@tsorch/source"] },
  // Tests run in vite's SSR environment, which does not inherit resolve.conditions: without this, package imports fall
  // through to dist/ (absent until a build).
  ssr: { resolve: { conditions: ["@tsorch/source", "module", "node", "import", "default"], externalConditions: ["@tsorch/source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "tools/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    reporters: ["default"],
  },
});
