// The union of the four trainers, apart from trainer.ts so that the trainers can import the shared Trainer contract without a cycle.
import type { BpeTrainer } from "./bpe-trainer.js";
import type { UnigramTrainer } from "./unigram-trainer.js";
import type { WordLevelTrainer } from "./wordlevel-trainer.js";
import type { WordPieceTrainer } from "./wordpiece-trainer.js";

/** Any of the four trainers. */
export type AnyTrainer = BpeTrainer | WordPieceTrainer | WordLevelTrainer | UnigramTrainer;
