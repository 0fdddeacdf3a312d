// Token dropout for training a tagger from scratch: word pieces replaced by [UNK] at random, so the model learns to tag from context too.
//
// A small encoder trained from scratch memorises its training words: on CoNLL-2003 its training loss falls near zero
// while names it has not seen are typed by their look alone ("Honda" is an ORG even in "Yasuto Honda"). Hiding a
// random tenth of the pieces in each training batch (Lample et al. 2016 drop words for the same reason) makes the
// neighbours part of every decision. Evaluation and the pipeline see the text unchanged.

type Row = Record<string, unknown>;

/** Options of `withTokenDropout`. */
export interface TokenDropoutOptions {
  /** Probability that one word piece is replaced (0 turns the wrapper off). */
  rate: number;
  /** The id pieces are replaced with (the tokenizer's [UNK]); a tokenizer without one cannot drop tokens. */
  unkId: number | null;
  /** Ids never replaced: [CLS], [SEP], [PAD]. */
  specialIds: ReadonlySet<number>;
  /** Whether a batch is being made for training (the model's `training` flag); evaluation batches pass unchanged. */
  isTraining: () => boolean;
  /** Seed of the replacement draws, so a run repeats. */
  seed: number;
}

/**
 * Wraps a collator so that, while training, each piece of each row's `input_ids` becomes `unkId` with probability `rate`.
 * @example
 * const collate = withTokenDropout(new DataCollatorForTokenClassification({ tokenizer: tok }), { rate: 0.1, unkId: tok.unkTokenId!, specialIds: new Set(tok.allSpecialIds), isTraining: () => model.training, seed: 42 });
 */
export function withTokenDropout<B>(collate: (rows: Row[]) => B, opts: TokenDropoutOptions): (rows: Row[]) => B {
  if (!(opts.rate >= 0 && opts.rate < 1)) throw new RangeError(`token dropout: rate must be in [0, 1), got ${opts.rate}.`);
  if (opts.rate === 0) return collate;
  const unkId = opts.unkId;
  if (unkId === null) throw new RangeError("token dropout: the tokenizer has no unknown token to put in place of a piece; pass --token-dropout 0.");
  let state = opts.seed >>> 0;
  // mulberry32: a small seeded generator, enough for choosing pieces.
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (rows) => {
    if (!opts.isTraining()) return collate(rows);
    return collate(
      rows.map((r) => {
        const ids = r.input_ids;
        if (!Array.isArray(ids)) throw new TypeError(`token dropout: each row needs input_ids as an array of numbers, got ${typeof ids}.`);
        return { ...r, input_ids: ids.map((id: number) => (!opts.specialIds.has(id) && random() < opts.rate ? unkId : id)) };
      }),
    );
  };
}
