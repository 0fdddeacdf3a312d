// Build of @tsorch/backend-cpu with the shared config (tsup.shared.ts); the addon is found by walking up to binding.gyp, and browsers get src/browser.ts.
import { packageBuild } from "../../tsup.shared.ts";

export default packageBuild({ index: "src/index.ts", browser: "src/browser.ts" });
