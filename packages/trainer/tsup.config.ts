// Build of @tsorch/trainer with the shared config (tsup.shared.ts): the library and the tsorch-board bin (hence the shebang).
import { packageBuild } from "../../tsup.shared.ts";

export default packageBuild({ index: "src/index.ts", "board-cli": "src/board-cli.ts" }, { banner: { js: "#!/usr/bin/env node" } });
