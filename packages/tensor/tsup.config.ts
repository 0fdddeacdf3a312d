// Build of @tsorch/tensor with the shared config (tsup.shared.ts): one entry per public subpath, one shared core per format.
import { packageBuild } from "../../tsup.shared.ts";

export default packageBuild(
  { index: "src/index.ts", "backend/index": "src/backend/index.ts", "dispatch/index": "src/dispatch/index.ts", "testing/index": "src/testing/index.ts", "testing/vitest": "src/testing/vitest.ts", "node/index": "src/node/index.ts" },
  { external: ["vitest"] },
);
