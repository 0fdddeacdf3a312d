// Offsets: Unicode code points like the Rust library, and UTF-16 indices through `offsetsUtf16`.
import { describe, expect, it } from "vitest";
import { Tokenizer } from "./tokenizer.js";

const tok = Tokenizer.fromJSON({
  version: "1.0",
  added_tokens: [],
  normalizer: null,
  pre_tokenizer: { type: "WhitespaceSplit" },
  post_processor: null,
  decoder: null,
  model: { type: "WordLevel", vocab: { "<unk>": 0, "👋": 1, hi: 2 }, unk_token: "<unk>" },
});

describe("offsets", () => {
  it("count code points, and offsetsUtf16 gives string indices", () => {
    const text = "👋 hi 𝔘𝔫𝔦 hi";
    const e = tok.encode(text);
    expect(e.offsets).toEqual([
      [0, 1],
      [2, 4],
      [5, 8],
      [9, 11],
    ]);
    const u = e.offsetsUtf16;
    expect(u.map(([s, t]) => text.slice(s, t))).toEqual(["👋", "hi", "𝔘𝔫𝔦", "hi"]);
  });

  it("work for the second sequence of a pair and for pre-tokenized words", () => {
    const e = tok.encode("hi", "👋 hi");
    expect(e.sequenceIds).toEqual([0, 1, 1]);
    expect(e.offsetsUtf16).toEqual([
      [0, 2],
      [0, 2],
      [3, 5],
    ]);
    const p = tok.encode(["👋", "hi"], null, { isPretokenized: true });
    expect(p.wordIds).toEqual([0, 1]);
    expect(p.offsetsUtf16).toEqual([
      [0, 2],
      [0, 2],
    ]);
  });

  it("padding and truncation settings apply", () => {
    const t = Tokenizer.fromString(tok.toString());
    t.setPadding({ length: 6, padToken: "<unk>", padId: 0 });
    t.setTruncation({ maxLength: 3, stride: 1 });
    const e = t.encode("hi hi hi hi hi");
    expect(e.ids).toEqual([2, 2, 2, 0, 0, 0]);
    expect(e.attentionMask).toEqual([1, 1, 1, 0, 0, 0]);
    // Like Rust 0.23, the model stops once max_length tokens exist, so nothing overflows here.
    expect(e.overflowing.length).toBe(0);
    t.setTruncation({ maxLength: 5, stride: 1 });
    const pair = t.encode("hi hi hi", "hi hi hi");
    expect(pair.ids).toEqual([2, 2, 2, 2, 2, 0]);
    expect(pair.overflowing.length).toBe(1);
    t.noPadding();
    t.noTruncation();
    expect(t.encode("hi hi hi hi hi").ids.length).toBe(5);
    const batch = Tokenizer.fromString(tok.toString());
    batch.setPadding({ direction: "left" });
    expect(batch.encodeBatch(["hi", "hi hi hi"]).map((x) => x.ids)).toEqual([
      [0, 0, 2],
      [2, 2, 2],
    ]);
  });

  it("added tokens and vocabulary access", () => {
    const t = Tokenizer.fromString(tok.toString());
    expect(t.addSpecialTokens(["<sep>"])).toBe(1);
    expect(t.addTokens(["hey"])).toBe(1);
    expect(t.tokenToId("<sep>")).toBe(3);
    expect(t.idToToken(4)).toBe("hey");
    expect(t.encode("hi<sep>hey").tokens).toEqual(["hi", "<sep>", "hey"]);
    expect(t.decode(t.encode("hi<sep>hey").ids, { skipSpecialTokens: true })).toBe("hi hey");
    expect(t.getVocabSize()).toBe(5);
    expect(t.getVocab()["hey"]).toBe(4);
  });
});
