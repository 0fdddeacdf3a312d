// Child process of the atomic-save test: trains with a checkpoint at every step (resuming the newest), to be killed with SIGKILL.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { manualSeed } from "@tsorch/tensor";
import { Trainer, getLastCheckpoint } from "../index.js";
import { TinyClassifier, makeRows } from "./tiny-classifier.js";
import { killTestArgs } from "./kill-test-args.js";

const out = process.argv[2];
manualSeed(0);
const trainer = new Trainer({ model: new TinyClassifier(), args: killTestArgs(out), trainDataset: makeRows(30, 11), evalDataset: makeRows(9, 12) });
const last = getLastCheckpoint(out);
await trainer.train({ resumeFromCheckpoint: last ?? false });
await trainer.saveModel(join(out, "final"));
writeFileSync(join(out, "final", "trainer_state.json"), trainer.state.toJsonString());
