// tmp
import { defineConfig } from "vitest/config";
export default defineConfig({
  resolve: { conditions: ["@tsorch/source"] },
  ssr: { resolve: { conditions: ["@tsorch/source"], externalConditions: ["@tsorch/source"] } },
  test: { include: ["packages/*/src/**/*.test.ts"], pool: "forks", testTimeout: 120000 },
});
