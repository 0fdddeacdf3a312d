// Error messages for bad tokenizer.json: the JSON path, what was expected, and the supported component types.
import { describe, expect, it } from "vitest";
import { TokenizerJSONError } from "./internal/json-reader.js";
import { Tokenizer } from "./tokenizer.js";

const base = {
  version: "1.0",
  added_tokens: [],
  normalizer: null,
  pre_tokenizer: { type: "Whitespace" },
  post_processor: null,
  decoder: null,
  model: { type: "WordLevel", vocab: { "<unk>": 0, hello: 1 }, unk_token: "<unk>" },
};

describe("malformed tokenizer.json", () => {
  it("loads a minimal file", () => {
    expect(Tokenizer.fromJSON(base).encode("hello there").ids).toEqual([1, 0]);
  });

  it("names an unknown component type and lists the supported ones", () => {
    expect(() => Tokenizer.fromJSON({ ...base, normalizer: { type: "Foo" } })).toThrow(/\$\.normalizer\.type.*"Foo".*BertNormalizer.*Precompiled/);
    expect(() => Tokenizer.fromJSON({ ...base, pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "Nope" }] } })).toThrow(
      /\$\.pre_tokenizer\.pretokenizers\[0\]\.type.*"Nope".*Metaspace/,
    );
    expect(() => Tokenizer.fromJSON({ ...base, decoder: { type: "X" } })).toThrow(/decoder.*ByteFallback/);
    expect(() => Tokenizer.fromJSON({ ...base, post_processor: { type: "X" } })).toThrow(/post-processor.*TemplateProcessing/);
    expect(() => Tokenizer.fromJSON({ ...base, model: { type: "X" } })).toThrow(/model.*Unigram/);
  });

  it("names the JSON path and what was expected", () => {
    const bad = { ...base, model: { type: "WordLevel", vocab: { a: "zero" }, unk_token: "<unk>" } };
    expect(() => Tokenizer.fromJSON(bad)).toThrow(TokenizerJSONError);
    expect(() => Tokenizer.fromJSON(bad)).toThrow(/\$\.model\.vocab\["a"\].*non-negative integer/);
    expect(() => Tokenizer.fromJSON({ ...base, added_tokens: [{ id: 0, content: 5 }] })).toThrow(/\$\.added_tokens\[0\]\.content: expected a string/);
    expect(() => Tokenizer.fromJSON({ ...base, pre_tokenizer: { type: "Split", pattern: { Regex: "(" }, behavior: "Isolated", invert: false } })).toThrow(
      /Split pre-tokenizer.*cannot compile regex/,
    );
    expect(() => Tokenizer.fromJSON({ ...base, pre_tokenizer: { type: "Punctuation", behavior: "Sideways" } })).toThrow(/behavior: expected one of "Removed"/);
    expect(() => Tokenizer.fromString("{not json")).toThrow(/not valid JSON/);
    expect(() => Tokenizer.fromJSON({ version: "1.0" })).toThrow(/\$\.model/);
    expect(() =>
      Tokenizer.fromJSON({ ...base, model: { type: "BPE", vocab: { a: 0 }, merges: ["a b"] } }),
    ).toThrow(/\$\.model.*merge 0 uses token "b"/);
  });
});
