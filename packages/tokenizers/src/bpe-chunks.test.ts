// BPE cuts long SentencePiece words before runs of "▁" (see BPE.chunkable): same tokens as merging the whole word, on random text through Llama-2's model.
import { describe, expect, it } from "vitest";
import { fixturesRoot, readTokenizerJSON } from "./internal/golden-fixtures.js";
import { BPE } from "./models/bpe.js";

const fx = fixturesRoot();
if (fx.root === null) console.warn(`[tokenizers bpe chunks] SKIPPED: ${fx.reason}`);

describe.skipIf(fx.root === null)("BPE word cut at runs of ▁", () => {
  it("gives the tokens of the uncut word (llama-2 vocabulary, byte fallback, fused unk)", () => {
    const model = (JSON.parse(readTokenizerJSON(fx.root!, "llama-2")) as { model: { vocab: Record<string, number>; merges: string[] } }).model;
    const opts = { vocab: model.vocab, merges: model.merges, unkToken: "<unk>", fuseUnk: true, byteFallback: true };
    const cut = new BPE(opts);
    // A dropout this small never fires but turns the cache (and with it the cutting) off: the plain whole-word merge.
    const whole = new BPE({ ...opts, dropout: Number.MIN_VALUE });
    const pool = ["▁", "▁▁", "▁the", "▁a", "the", "s", "ing", "日本", "😀", "é", "\u0301", "x", "▁▁▁▁", "12", ".", "ab", "\u{10FFFD}"];
    let x = 2024;
    const r = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 4294967296;
    };
    let checked = 0;
    for (let t = 0; t < 3000; t++) {
      let s = "";
      const len = 1 + Math.floor(r() * 40);
      for (let k = 0; k < len; k++) s += pool[Math.floor(r() * pool.length)];
      expect(cut.tokenize(s), JSON.stringify(s)).toEqual(whole.tokenize(s));
      checked++;
    }
    console.log(`[tokenizers bpe chunks] ${checked} random words: cut and whole merges agree`);
  });
});
