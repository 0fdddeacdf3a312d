// tsorch-board <dir> [--port N]: serves the live curves of every run under <dir> on 127.0.0.1 (the package's bin).

import { serveBoard } from "./board-server.js";

const argv = process.argv.slice(2);
const portAt = argv.indexOf("--port");
const port = portAt >= 0 ? Number(argv[portAt + 1]) : 6006;
const dir = argv.find((a, i) => !a.startsWith("--") && argv[i - 1] !== "--port");
if (!dir || !Number.isInteger(port)) {
  console.error("usage: tsorch-board <dir> [--port 6006]   (dir: an outputDir/runs folder written with reportTo: [\"jsonl\"])");
  process.exit(2);
}
serveBoard({ dir, port }).then(
  (b) => console.log(`tsorch-board: serving ${dir} at ${b.url} (Ctrl-C to stop)`),
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
