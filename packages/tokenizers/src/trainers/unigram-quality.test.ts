// Unigram quality on held-out text: our trained vocabulary segments the pairs corpus into as few tokens as the Rust-trained one (both encoded by the Rust library).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UnigramTrainer } from "./unigram-trainer.js";
import { linesWithEnding } from "./internal/lines.js";
import { corpusPath, fixtureSkipReason, oracleSkipReason, pairsPath, readCorpusTexts, rust, rustJson, writeCorpusFile, type Oracle } from "./rust-oracle.test-util.js";

const skipReason = fixtureSkipReason ?? oracleSkipReason;
if (skipReason) console.warn(`Unigram held-out quality: SKIPPED, ${skipReason}`);

describe.skipIf(skipReason !== null)("Unigram trained vocabulary on held-out text", () => {
  it("needs no more tokens per text than the Rust-trained vocabulary", async () => {
    const tk = rust as Oracle;
    const file = writeCorpusFile(readCorpusTexts(corpusPath));
    const metaspace = { type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: true };
    const trained = new tk.Tokenizer(tk.Unigram.empty());
    trained.setPreTokenizer(tk.metaspacePreTokenizer());
    trained.train([file]);
    const rustVocab = rustJson(trained).model.vocab as Array<[string, number]>;

    const pre = tk.metaspacePreTokenizer();
    const counts = new Map<string, number>();
    for (const line of linesWithEnding(readFileSync(file, "utf8"))) {
      for (const [w] of pre.preTokenizeString(line)) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    const ours = new UnigramTrainer().train(counts).vocab;

    // Held-out texts hold characters never seen in training: give both vocabularies the same unk.
    const encoder = (vocab: Array<[string, number]>) =>
      tk.Tokenizer.fromString(
        JSON.stringify({
          version: "1.0", truncation: null, padding: null, added_tokens: [], normalizer: null, pre_tokenizer: metaspace,
          post_processor: null, decoder: null, model: { type: "Unigram", unk_id: vocab.length, vocab: [...vocab, ["<unk>", 0]], byte_fallback: false },
        }),
      );
    const heldOut = readCorpusTexts(pairsPath).filter((t) => t.length > 0);
    const tokensPerText = async (vocab: Array<[string, number]>): Promise<number> => {
      const enc = encoder(vocab);
      let total = 0;
      for (const text of heldOut) total += (await enc.encode(text, null, { addSpecialTokens: false })).getIds().length;
      return total / heldOut.length;
    };
    const rustAvg = await tokensPerText(rustVocab);
    const ourAvg = await tokensPerText(ours);
    console.log(`Unigram held-out (${heldOut.length} texts): ${ourAvg.toFixed(3)} tokens/text ours, ${rustAvg.toFixed(3)} Rust; vocab ${ours.length} vs ${rustVocab.length}`);
    expect(ourAvg).toBeLessThanOrEqual(rustAvg * 1.01);
  });
});
