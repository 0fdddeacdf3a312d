// Trainers: public exports.
export type { SpecialTokenSpec, Trainer, TrainerModelType } from "./trainer.js";
export type { AnyTrainer } from "./any-trainer.js";
export { BpeTrainer, type BpeTrainerOptions, type BpeTrainingResult } from "./bpe-trainer.js";
export { WordPieceTrainer, type WordPieceTrainerOptions, type WordPieceTrainingResult } from "./wordpiece-trainer.js";
export { WordLevelTrainer, type WordLevelTrainerOptions, type WordLevelTrainingResult } from "./wordlevel-trainer.js";
export { UnigramTrainer, type UnigramTrainerOptions, type UnigramTrainingResult } from "./unigram-trainer.js";
export { countWords, countWordsSync, pipelineSplitter, type TrainingCorpus, type WordSplitter } from "./word-counts.js";
export { trainModel } from "./trained-model.js";
export { tokenizerSplitter, trainFromIterator, trainFromIteratorSync, trainFromWordCounts } from "./train-from-iterator.js";
