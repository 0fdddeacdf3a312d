// Build of @tsorch/autograd with the shared config (tsup.shared.ts).
import { packageBuild } from "../../tsup.shared.ts";

export default packageBuild({ index: "src/index.ts", "formulas/index": "src/formulas/index.ts" });
