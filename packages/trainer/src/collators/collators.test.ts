// Collators: padding rules and sides, -100 label padding, seq2seq decoderInputIds from the model, masked-LM 80/10/10 statistics and seeding, causal labels.
import { describe, expect, it } from "vitest";
import { Generator, Tensor, manualSeed, tensor } from "@tsorch/tensor";
import {
  DataCollatorForLanguageModeling,
  DataCollatorForSeq2Seq,
  DataCollatorForTokenClassification,
  DataCollatorWithPadding,
  padFeatures,
  type CollatorTokenizer,
} from "@tsorch/trainer";

const list = (t: Tensor) => Array.from(t.dataSync() as ArrayLike<number | bigint>, Number);
const rows = (t: Tensor) => {
  const flat = list(t);
  const [b, n] = t.shape;
  return Array.from({ length: b }, (_, i) => flat.slice(i * n, (i + 1) * n));
};
// BERT-like: [PAD]=0, [CLS]=1, [SEP]=2, [MASK]=3, vocabulary of 100
const tok: CollatorTokenizer = { padTokenId: 0, paddingSide: "right", maskTokenId: 3, length: 100, allSpecialIds: [0, 1, 2, 3], modelInputNames: ["input_ids", "token_type_ids", "attention_mask"] };

describe("DataCollatorWithPadding", () => {
  it("pads ids, masks and token types to the longest; label -> labels; snake_case -> camelCase", () => {
    const c = new DataCollatorWithPadding({ tokenizer: tok });
    const b = c([
      { input_ids: [1, 7, 8, 2], token_type_ids: [0, 0, 0, 0], label: 1 },
      { input_ids: [1, 9, 2], token_type_ids: [0, 0, 0], label: 0 },
    ]);
    expect(Object.keys(b).sort()).toEqual(["attentionMask", "inputIds", "labels", "tokenTypeIds"]);
    expect(rows(b.inputIds)).toEqual([[1, 7, 8, 2], [1, 9, 2, 0]]);
    expect(rows(b.attentionMask)).toEqual([[1, 1, 1, 1], [1, 1, 1, 0]]);
    expect(list(b.labels)).toEqual([1, 0]);
    expect(b.inputIds.dtype).toBe("int64");
  });

  it("left padding, padToMultipleOf and max_length, existing attention masks kept", () => {
    const left = new DataCollatorWithPadding({ tokenizer: { ...tok, paddingSide: "left" }, padToMultipleOf: 4 });
    const b = left([{ inputIds: [5, 6], attentionMask: [1, 1] }, { inputIds: [7, 8, 9, 10, 11], attentionMask: [1, 1, 1, 1, 1] }]);
    expect(rows(b.inputIds)).toEqual([[0, 0, 0, 0, 0, 0, 5, 6], [0, 0, 0, 7, 8, 9, 10, 11]]);
    expect(rows(b.attentionMask)[0]).toEqual([0, 0, 0, 0, 0, 0, 1, 1]);
    const fixed = padFeatures([{ input_ids: [5] }], tok, { padding: "max_length", maxLength: 3 });
    expect(fixed.inputIds).toEqual([[5, 0, 0]]);
  });

  it("errors: no pad token, strings left in, missing columns", () => {
    expect(() => new DataCollatorWithPadding({ tokenizer: { padTokenId: null } })([{ input_ids: [1] }, { input_ids: [1, 2] }])).toThrow(/padTokenId/);
    expect(() => new DataCollatorWithPadding({ tokenizer: tok })([{ input_ids: [1], text: "x" }])).toThrow(/column "text" holds non-numeric values; remove it/);
    expect(() => new DataCollatorWithPadding({ tokenizer: tok })([{ input_ids: [1], label: 1 }, { input_ids: [1] }])).toThrow(/"labels" is missing from some examples/);
  });

  it("a tokenizer's own pad() is used when present", () => {
    const custom: CollatorTokenizer = { padTokenId: 0, pad: (fs) => ({ inputIds: fs.map(() => [42]) }) };
    expect(rows(new DataCollatorWithPadding({ tokenizer: custom })([{ input_ids: [1, 2] }]).inputIds)).toEqual([[42]]);
  });
});

describe("DataCollatorForTokenClassification", () => {
  it("pads labels with -100 (or labelPadTokenId) on the tokenizer's side", () => {
    const c = new DataCollatorForTokenClassification({ tokenizer: tok });
    const b = c([{ input_ids: [1, 5, 6, 2], labels: [-100, 3, 4, -100] }, { input_ids: [1, 5, 2], labels: [-100, 1, -100] }]);
    expect(rows(b.labels)).toEqual([[-100, 3, 4, -100], [-100, 1, -100, -100]]);
    const left = new DataCollatorForTokenClassification({ tokenizer: { ...tok, paddingSide: "left" }, labelPadTokenId: -1 });
    expect(rows(left([{ input_ids: [1, 2], labels: [0, 0] }, { input_ids: [1], labels: [7] }]).labels)).toEqual([[0, 0], [-1, 7]]);
    expect(() => c([{ input_ids: [1], labels: [1, 2] }])).toThrow(/2 labels for 1 tokens/);
  });
});

describe("DataCollatorForSeq2Seq", () => {
  it("pads labels to the longest label with -100 and takes decoderInputIds from the model", () => {
    const model = {
      prepareDecoderInputIdsFromLabels(labels: Tensor): Tensor {
        // T5's _shift_right with decoder start 0 and -100 -> pad 0, written out for the test
        const r = rows(labels).map((l) => [0, ...l.slice(0, -1)].map((v) => (v === -100 ? 0 : v)));
        return tensor(r, { dtype: "int64" });
      },
    };
    const c = new DataCollatorForSeq2Seq({ tokenizer: tok, model });
    const b = c([{ input_ids: [5, 6, 2], labels: [7, 2] }, { input_ids: [5, 2], labels: [8, 9, 2] }]);
    expect(rows(b.inputIds)).toEqual([[5, 6, 2], [5, 2, 0]]);
    expect(rows(b.labels)).toEqual([[7, 2, -100], [8, 9, 2]]);
    expect(rows(b.decoderInputIds)).toEqual([[0, 7, 2], [0, 8, 9]]);
    const noModel = new DataCollatorForSeq2Seq({ tokenizer: tok, padToMultipleOf: 4 })([{ input_ids: [5], labels: [7] }]);
    expect(rows(noModel.labels)).toEqual([[7, -100, -100, -100]]);
    expect(noModel.decoderInputIds).toBeUndefined();
    const fixed = new DataCollatorForSeq2Seq({ tokenizer: tok, padding: "max_length", maxLength: 5 })([{ input_ids: [5], labels: [7, 2] }]);
    expect([rows(fixed.inputIds), rows(fixed.labels)]).toEqual([[[5, 0, 0, 0, 0]], [[7, 2, -100, -100, -100]]]);
  });
});

describe("DataCollatorForLanguageModeling", () => {
  const examples = Array.from({ length: 64 }, (_, i) => ({ input_ids: [1, ...Array.from({ length: 60 + (i % 5) }, (_, j) => 10 + ((i * 7 + j) % 80)), 2] }));

  it("masked LM: ~15 % of non-special tokens chosen; of those ~80 % [MASK], ~10 % random, ~10 % kept; specials never", () => {
    const c = new DataCollatorForLanguageModeling({ tokenizer: tok, generator: new Generator(1234) });
    const b = c(examples);
    const ids = rows(b.inputIds);
    const labels = rows(b.labels);
    const orig = rows(new DataCollatorWithPadding({ tokenizer: tok })(examples).inputIds);
    let normal = 0, chosen = 0, masked = 0, kept = 0, random = 0;
    orig.forEach((r, i) =>
      r.forEach((t, j) => {
        if (t <= 3) {
          expect(labels[i][j]).toBe(-100);
          expect(ids[i][j]).toBe(t);
          return;
        }
        normal++;
        if (labels[i][j] === -100) return expect(ids[i][j]).toBe(t);
        chosen++;
        expect(labels[i][j]).toBe(t);
        if (ids[i][j] === 3) masked++;
        else if (ids[i][j] === t) kept++;
        else random++;
      }),
    );
    expect(chosen / normal).toBeGreaterThan(0.12);
    expect(chosen / normal).toBeLessThan(0.18);
    expect(masked / chosen).toBeGreaterThan(0.72);
    expect(masked / chosen).toBeLessThan(0.88);
    expect(random / chosen).toBeGreaterThan(0.04);
    expect(kept / chosen).toBeGreaterThan(0.03); // a random id may equal the original, so "kept" is slightly over 10 %
    console.log(`MLM over ${normal} tokens: chosen ${(chosen / normal).toFixed(3)}, [MASK] ${(masked / chosen).toFixed(3)}, random ${(random / chosen).toFixed(3)}, kept ${(kept / chosen).toFixed(3)}`);
  });

  it("is seeded: same manualSeed same masks, another seed other masks; specialTokensMask is honoured and dropped", () => {
    const c = new DataCollatorForLanguageModeling({ tokenizer: tok });
    manualSeed(7);
    const a = rows(c(examples).inputIds);
    manualSeed(7);
    expect(rows(c(examples).inputIds)).toEqual(a);
    manualSeed(8);
    expect(rows(c(examples).inputIds)).not.toEqual(a);
    const all = new DataCollatorForLanguageModeling({ tokenizer: tok, mlmProbability: 1, generator: new Generator(0) });
    const b = all([{ input_ids: [1, 50, 51, 2], special_tokens_mask: [1, 1, 0, 1] }]);
    expect(rows(b.labels)).toEqual([[-100, -100, 51, -100]]);
    expect(b.specialTokensMask).toBeUndefined();
  });

  it("causal LM: labels are the inputs with padding as -100; MLM without a mask token is refused", () => {
    const c = new DataCollatorForLanguageModeling({ tokenizer: tok, mlm: false });
    const b = c([{ input_ids: [5, 6, 7] }, { input_ids: [8] }]);
    expect(rows(b.labels)).toEqual([[5, 6, 7], [8, -100, -100]]);
    expect(() => new DataCollatorForLanguageModeling({ tokenizer: { padTokenId: 0 } })).toThrow(/maskTokenId/);
  });
});
