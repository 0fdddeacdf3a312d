// Build of @tsorch/backend-webgpu with the shared config (tsup.shared.ts); the Node GPU package stays an optional external import.
import { packageBuild } from "../../tsup.shared.ts";

export default packageBuild({ index: "src/index.ts" }, { external: ["webgpu"] });
