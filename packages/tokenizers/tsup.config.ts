// Build of @tsorch/tokenizers with the shared config (tsup.shared.ts): the core entry and the Node-only file-loading entry.
import { packageBuild } from "../../tsup.shared.ts";

export default packageBuild({ index: "src/index.ts", "node/index": "src/node/index.ts" });
