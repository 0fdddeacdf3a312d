// Build of @tsorch/tokenizers with the shared config (tsup.shared.ts): the core entry, the Node-only entry and its worker-thread script.
import { packageBuild } from "../../tsup.shared.ts";

// TokenizerPool starts node/pool-worker beside node/index as its worker threads.
export default packageBuild({ index: "src/index.ts", "node/index": "src/node/index.ts", "node/pool-worker": "src/node/pool-worker.ts" }, { external: ["vitest"] });
