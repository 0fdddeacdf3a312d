// Unigram training (suffix-array seeds, EM with forward-backward, loss-based pruning, final vocab); follows `UnigramTrainer` of the Rust tokenizers crate.

import { checkCount, initialAlphabetChars } from "./bpe-trainer.js";
import { digamma } from "./internal/unigram-math.js";
import { seedPieces } from "./internal/unigram-seeds.js";
import { codePoints, UnigramTrainingModel } from "./internal/unigram-training-model.js";
import { specialTokenContent, type SpecialTokenSpec, type Trainer } from "./trainer.js";
import { progress } from "./internal/progress.js";

/** Options of {@link UnigramTrainer}, named and defaulted as in HF tokenizers' `UnigramTrainer`. */
export interface UnigramTrainerOptions {
  /** Final vocabulary size, special tokens included (default 8000). */
  vocabSize?: number;
  /** EM iterations between two prunings (default 2). */
  nSubIterations?: number;
  /** Share of pieces kept at each pruning (default 0.75). */
  shrinkingFactor?: number;
  /** Tokens placed first in the vocabulary (score 0). */
  specialTokens?: SpecialTokenSpec[];
  /** Characters always in the vocabulary. */
  initialAlphabet?: string[];
  /** The unknown token; added first (after none of the specials) unless it is one of them. */
  unkToken?: string | null;
  /** Longest piece, in characters (default 16). */
  maxPieceLength?: number;
  /** Number of seed pieces before EM (default 1,000,000). */
  seedSize?: number;
  /** Draw a progress bar on stderr when it is a terminal (default true, as in Rust; never in logs / CI). */
  showProgress?: boolean;
}

/** What Unigram training produces: pieces with log-probabilities, and the unk id. */
export interface UnigramTrainingResult {
  vocab: Array<[string, number]>;
  unkId: number | null;
}

type Piece = [string, number];
type Sentence = [string, number];

const TRAINING_UNK = "<UNK>";

/**
 * Trains a Unigram (SentencePiece-style) model as the Rust library does: seeds are all characters
 * and the repeated substrings of the distinct words (scored by occurrences x length), then EM
 * (Bayesian M-step with digamma), pruning by `shrinkingFactor` until about 1.1 x `vocabSize`
 * pieces remain, then the final cut. Rust runs the E-step in parallel over hash-ordered words, so
 * its scores vary in the last bits from run to run; ours are reproducible.
 * @example
 * const r = new UnigramTrainer({ vocabSize: 30, unkToken: "<unk>" }).train(new Map([["hello", 3], ["help", 2]]));
 * r.vocab[0] // ["<unk>", 0]
 */
export class UnigramTrainer implements Trainer {
  readonly modelType = "Unigram" as const;
  readonly vocabSize: number;
  readonly nSubIterations: number;
  readonly shrinkingFactor: number;
  readonly specialTokens: SpecialTokenSpec[];
  readonly initialAlphabet: string[];
  readonly unkToken: string | null;
  readonly maxPieceLength: number;
  readonly seedSize: number;
  readonly showProgress: boolean;

  constructor(options: UnigramTrainerOptions = {}) {
    this.vocabSize = options.vocabSize ?? 8000;
    this.nSubIterations = options.nSubIterations ?? 2;
    this.shrinkingFactor = options.shrinkingFactor ?? 0.75;
    this.specialTokens = [...(options.specialTokens ?? [])];
    this.initialAlphabet = initialAlphabetChars(options.initialAlphabet ?? []);
    this.unkToken = options.unkToken ?? null;
    this.maxPieceLength = options.maxPieceLength ?? 16;
    this.seedSize = options.seedSize ?? 1_000_000;
    this.showProgress = options.showProgress ?? true;
    checkCount("UnigramTrainer", "vocabSize", this.vocabSize);
    checkCount("UnigramTrainer", "nSubIterations", this.nSubIterations);
    checkCount("UnigramTrainer", "maxPieceLength", this.maxPieceLength);
    checkCount("UnigramTrainer", "seedSize", this.seedSize);
    if (!(this.shrinkingFactor > 0 && this.shrinkingFactor < 1)) {
      throw new RangeError(`UnigramTrainer: option shrinkingFactor must be in (0, 1), got ${this.shrinkingFactor}; the default is 0.75`);
    }
  }

  /**
   * Trains on word counts (each distinct word is one EM "sentence").
   * @example new UnigramTrainer({ vocabSize: 10 }).train(new Map([["aab", 2]])).vocab.length <= 10 // true
   */
  train(wordCounts: ReadonlyMap<string, number>): UnigramTrainingResult {
    const sentences: Sentence[] = [...wordCounts];
    let pieces: Piece[] = [[TRAINING_UNK, NaN], ...seedPieces(sentences, this.maxPieceLength, this.seedSize)];
    const desiredVocabSize = Math.floor((this.vocabSize * 11) / 10);
    const requiredChars = this.requiredChars(sentences);
    if (requiredChars.size > this.vocabSize) {
      throw new RangeError(
        `UnigramTrainer: the vocabulary is not large enough to contain all chars (vocabSize ${this.vocabSize}, ${requiredChars.size} distinct characters); raise vocabSize`,
      );
    }
    const encoded = sentences.map(([s, n]) => [codePoints(s), n] as const);
    let model = new UnigramTrainingModel(pieces, 0);
    // The bar counts pieces pruned from the seeds down to the target size (the EM rounds' real progress).
    const seeds = pieces.length;
    const bar = progress(this.showProgress, "EM training", Math.max(0, seeds - desiredVocabSize));
    for (;;) {
      bar.update(Math.max(0, seeds - pieces.length));
      for (let iter = 0; iter < this.nSubIterations; iter++) {
        const expected = this.eStep(model, encoded);
        pieces = this.mStep(pieces, expected);
        model = new UnigramTrainingModel(pieces, 0);
      }
      if (pieces.length <= desiredVocabSize) break;
      pieces = this.prune(model, pieces, encoded);
      model = new UnigramTrainingModel(pieces, 0);
    }
    bar.finish();
    return this.finalize(model, requiredChars);
  }

  private requiredChars(sentences: readonly Sentence[]): Set<string> {
    const out = new Set<string>();
    for (const [s] of sentences) for (const c of s) out.add(c);
    for (const c of this.initialAlphabet) out.add(c);
    return out;
  }

  private eStep(model: UnigramTrainingModel, sentences: ReadonlyArray<readonly [number[], number]>): Float64Array {
    const expected = new Float64Array(model.pieces.length);
    for (const [s, freq] of sentences) {
      const z = model.lattice(s).populateMarginal(freq, expected);
      if (Number.isNaN(z)) {
        throw new Error("UnigramTrainer: likelihood is NaN; an input word may be too long, split the corpus into shorter words with a pre-tokenizer");
      }
    }
    return expected;
  }

  // Bayesian (digamma) M-step; pieces expected fewer than 0.5 times are dropped, unk kept.
  private mStep(pieces: readonly Piece[], expected: Float64Array): Piece[] {
    const kept: Piece[] = [];
    let sum = 0;
    pieces.forEach(([piece], i) => {
      if (i === 0) {
        kept.push([piece, NaN]);
        return;
      }
      const freq = expected[i];
      if (freq < 0.5) return;
      kept.push([piece, freq]);
      sum += freq;
    });
    const logsum = digamma(sum);
    return kept.map(([s, c]) => [s, digamma(c) - logsum]);
  }

  private prune(
    model: UnigramTrainingModel,
    pieces: readonly Piece[],
    sentences: ReadonlyArray<readonly [number[], number]>,
  ): Piece[] {
    const alwaysKeep = new Array<boolean>(pieces.length).fill(true);
    const alternatives: number[][] = pieces.map(() => []);
    const bosId = pieces.length + 1;
    const eosId = pieces.length + 2;
    // How each piece would be segmented without itself: its second-best segmentation.
    for (let id = 0; id < pieces.length; id++) {
      if (id === 0) {
        alwaysKeep[id] = false;
        continue;
      }
      const lattice = model.lattice(codePoints(pieces[id][0]), bosId, eosId);
      const nbests = lattice.nbest(2);
      if (nbests.length === 1) {
        alwaysKeep[id] = true;
      } else if (nbests[0].length >= 2) {
        alwaysKeep[id] = false;
      } else if (nbests[0].length === 1) {
        alwaysKeep[id] = true;
        for (const node of nbests[1]) alternatives[id].push(lattice.id[node]);
      }
    }
    // Viterbi frequencies, and which sentences use each piece.
    let vsum = 0;
    const freq = new Float64Array(pieces.length);
    const inverted: number[][] = pieces.map(() => []);
    sentences.forEach(([s, count], i) => {
      const lattice = model.lattice(s, bosId, eosId);
      vsum += count;
      for (const node of lattice.viterbi()) {
        const id = lattice.id[node];
        freq[id] += count;
        inverted[id].push(i);
      }
    });
    let sum = 0;
    for (const f of freq) sum += f;
    const logsum = Math.log(sum);
    const candidates: Array<[number, number]> = [];
    const newPieces: Piece[] = [pieces[0]];
    for (let id = 1; id < pieces.length; id++) {
      if (freq[id] === 0 && !alwaysKeep[id]) continue;
      if (alternatives[id].length === 0) {
        newPieces.push(pieces[id]);
        continue;
      }
      let f = 0;
      for (const n of inverted[id]) f += sentences[n][1];
      if (f === 0 || Number.isNaN(f)) continue;
      f /= vsum;
      const logprobSp = Math.log(freq[id]) - logsum;
      // Rust uses the number of pieces here (alternatives.len()), not the piece's alternatives.
      const logsumAlt = Math.log(sum + freq[id] * (alternatives.length - 1));
      let logprobAlt = 0;
      for (const n of alternatives[id]) logprobAlt += Math.log(freq[n] + freq[id]) - logsumAlt;
      candidates.push([id, f * (logprobSp - logprobAlt)]);
    }
    const desiredVocabSize = Math.floor((this.vocabSize * 11) / 10);
    const prunedSize = Math.max(desiredVocabSize, Math.floor(pieces.length * this.shrinkingFactor));
    candidates.sort((a, b) => b[1] - a[1]);
    for (const [id] of candidates) {
      if (newPieces.length === prunedSize) break;
      newPieces.push(pieces[id]);
    }
    return newPieces;
  }

  private finalize(model: UnigramTrainingModel, requiredChars: Set<string>): UnigramTrainingResult {
    let penalty = 0;
    const pieces: Piece[] = [];
    const inserted = new Set<string>([TRAINING_UNK]);
    const existing = new Map<string, number>(model.pieces.map(([t, s]) => [t, s]));
    for (const c of requiredChars) {
      const score = existing.get(c);
      inserted.add(c);
      if (score !== undefined) {
        pieces.push([c, score]);
      } else {
        pieces.push([c, model.minScore + penalty]);
        penalty += 0.0001;
      }
    }
    const specials = this.specialTokens.map(specialTokenContent);
    let unkId: number | null = null;
    let needAddUnk = false;
    if (this.unkToken !== null) {
      const i = specials.indexOf(this.unkToken);
      if (i >= 0) unkId = i;
      else {
        unkId = 0;
        needAddUnk = true;
      }
    }
    const budget = this.vocabSize - specials.length - (needAddUnk ? 1 : 0);
    for (const [token, score] of model.pieces) {
      if (inserted.has(token)) continue;
      inserted.add(token);
      pieces.push([token, Number.isNaN(score) ? 0 : score]);
      if (pieces.length === budget) break;
    }
    pieces.sort((a, b) => b[1] - a[1]);
    const head: Piece[] = specials.map((t) => [t, 0]);
    if (needAddUnk && this.unkToken !== null) head.unshift([this.unkToken, 0]);
    return { vocab: [...head, ...pieces], unkId };
  }
}
