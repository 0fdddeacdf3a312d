// Build of @tsorch/transformers with the shared config (tsup.shared.ts).
import { packageBuild } from "../../tsup.shared.ts";

export default packageBuild({ index: "src/index.ts" });
