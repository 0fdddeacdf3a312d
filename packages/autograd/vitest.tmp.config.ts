import { defineConfig } from "vitest/config";
export default defineConfig({
  root: "/work/main",
  resolve: { conditions: ["@tsorch/source"] },
  ssr: { resolve: { conditions: ["@tsorch/source"] } },
  test: { include: ["packages/*/src/**/*.test.ts"], testTimeout: 120_000, pool: "forks" },
});
