// Builds the tokenizer model a trainer produces, keeping the current model's other options as Rust's `Trainer::train(&mut model)` does.

import { BPE } from "../models/bpe.js";
import type { Model } from "../models/model.js";
import { Unigram } from "../models/unigram.js";
import { WordLevel } from "../models/wordlevel.js";
import { WordPiece } from "../models/wordpiece.js";
import type { AnyTrainer } from "./any-trainer.js";
import { jsonStableScore } from "./internal/json-stable-score.js";

/**
 * Trains `trainer` on word counts and returns the resulting model. As in Rust, a BPE model keeps
 * its dropout, unk token, fuse_unk, byte_fallback and ignore_merges; WordPiece keeps its unk token
 * and max_input_chars_per_word; WordLevel keeps its unk token; Unigram is replaced whole, its scores
 * rounded to 15 significant digits so that its tokenizer.json loads to the same numbers in Rust.
 * The current model, when given, must be of the trainer's type.
 * @example
 * const model = trainModel(new WordLevelTrainer({ specialTokens: ["<unk>"] }), new Map([["hi", 2]]), null);
 * model.tokenToId("hi") // 1
 */
export function trainModel(trainer: AnyTrainer, wordCounts: ReadonlyMap<string, number>, current: Model | null): Model {
  const currentType = current === null ? null : modelTypeOf(current);
  if (currentType !== null && currentType !== trainer.modelType) {
    throw new TypeError(
      `train: a ${trainer.modelType} trainer cannot train this tokenizer's ${currentType} model; use a ${currentType}Trainer or give the tokenizer a ${trainer.modelType} model`,
    );
  }
  switch (trainer.modelType) {
    case "BPE": {
      const r = trainer.train(wordCounts);
      const old = current instanceof BPE ? current : null;
      return new BPE({
        vocab: r.vocab,
        merges: r.merges,
        dropout: old?.dropout ?? null,
        unkToken: old?.unkToken ?? null,
        continuingSubwordPrefix: r.continuingSubwordPrefix,
        endOfWordSuffix: r.endOfWordSuffix,
        fuseUnk: old?.fuseUnk ?? false,
        byteFallback: old?.byteFallback ?? false,
        ignoreMerges: old?.ignoreMerges ?? false,
      });
    }
    case "WordPiece": {
      const r = trainer.train(wordCounts);
      const old = current instanceof WordPiece ? current : null;
      return new WordPiece({
        vocab: r.vocab,
        unkToken: old?.unkToken ?? "[UNK]",
        continuingSubwordPrefix: r.continuingSubwordPrefix,
        maxInputCharsPerWord: old?.maxInputCharsPerWord ?? 100,
      });
    }
    case "WordLevel": {
      const r = trainer.train(wordCounts);
      const old = current instanceof WordLevel ? current : null;
      return new WordLevel({ vocab: r.vocab, unkToken: old?.unkToken ?? "<unk>" });
    }
    case "Unigram": {
      const r = trainer.train(wordCounts);
      const vocab = r.vocab.map(([piece, score]): [string, number] => [piece, jsonStableScore(score)]);
      return new Unigram({ vocab, unkId: r.unkId, byteFallback: false });
    }
  }
}

function modelTypeOf(model: Model): string {
  if (model instanceof BPE) return "BPE";
  if (model instanceof WordPiece) return "WordPiece";
  if (model instanceof WordLevel) return "WordLevel";
  if (model instanceof Unigram) return "Unigram";
  const t = model.toJSON().type;
  return typeof t === "string" ? t : "unknown";
}
