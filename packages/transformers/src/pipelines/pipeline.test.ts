// pipeline(): every task end to end on small models built from configs with a tokenizer trained here; HF's post-processing rules case by case.
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { manualSeed } from "@tsorch/tensor";
import { opsFixturesRoot } from "@tsorch/tensor/testing";
import { trainTestBertTokenizer } from "../bert-tokenizer.test-util.js";
import {
  BertConfig,
  BertForMaskedLM,
  BertForQuestionAnswering,
  BertForSequenceClassification,
  BertForTokenClassification,
  BertModel,
  PreTrainedTokenizer,
  aggregateEntities,
  bestSpans,
  maskedSoftmax,
  pipeline,
  type PreEntity,
} from "@tsorch/transformers";

const TEXTS = ["angela merkel visited paris last week", "the quick brown fox jumps over the lazy dog", "what is the capital of france", "paris is the capital of france", "i love this movie", "this film was terrible"];

function bertTokenizer(): PreTrainedTokenizer {
  return trainTestBertTokenizer(TEXTS, { vocabSize: 120, modelMaxLength: 64 });
}

const tok = bertTokenizer();
const config = (extra: Record<string, unknown> = {}) =>
  new BertConfig({ vocabSize: tok.length, hiddenSize: 32, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 64, maxPositionEmbeddings: 64, ...extra });

describe("pipeline()", () => {
  manualSeed(0);

  it("text-classification: label and probability, top-k, pairs, sigmoid for multi-label", async () => {
    const clf = await pipeline("sentiment-analysis", new BertForSequenceClassification(config({ id2label: { 0: "NEGATIVE", 1: "POSITIVE" } })), { tokenizer: tok });
    const one = (await clf.run("i love this movie")) as { label: string; score: number }[];
    expect(one).toHaveLength(1);
    expect(["NEGATIVE", "POSITIVE"]).toContain(one[0].label);
    expect(one[0].score).toBeGreaterThanOrEqual(0.5);
    const all = (await clf.run("i love this movie", { topK: null })) as { score: number }[];
    expect(all).toHaveLength(2);
    expect(all[0].score + all[1].score).toBeCloseTo(1, 5);
    const batch = (await clf.run(["i love this movie", "this film was terrible"])) as unknown[];
    expect(batch).toHaveLength(2);
    const pair = (await clf.run({ text: "i love this", text_pair: "this film" })) as unknown[];
    expect(pair).toHaveLength(1);
    const ml = await pipeline("text-classification", new BertForSequenceClassification(config({ numLabels: 3, problemType: "multi_label_classification" })), { tokenizer: tok });
    const scores = ((await ml.run("paris", { topK: null })) as { score: number }[]).map((r) => r.score);
    expect(scores.reduce((a, b) => a + b, 0)).not.toBeCloseTo(1, 3);
  });

  it("token-classification: entities with character offsets into the text, every aggregation strategy", async () => {
    const ner = await pipeline("ner", new BertForTokenClassification(config({ id2label: { 0: "O", 1: "B-PER", 2: "I-PER", 3: "B-LOC", 4: "I-LOC" } })), { tokenizer: tok });
    const text = "Angela Merkel visited Paris";
    for (const aggregationStrategy of ["none", "simple", "first", "average", "max"]) {
      const ents = (await ner.run(text, { aggregationStrategy, ignoreLabels: [] })) as { start: number; end: number; word: string }[];
      expect(ents.length).toBeGreaterThan(0);
      for (const e of ents) {
        expect(e.start).toBeGreaterThanOrEqual(0);
        expect(e.end).toBeLessThanOrEqual(text.length);
        if (aggregationStrategy !== "none" && aggregationStrategy !== "simple") expect(text.slice(e.start, e.end).toLowerCase().replace(/\s+/g, "")).toBe(e.word.replace(/\s+/g, ""));
      }
    }
    await expect(ner.run("x", { aggregationStrategy: "bogus" })).rejects.toThrow(/aggregationStrategy/);
  });

  it("aggregation rules as HF documents them", () => {
    const id2label = { 0: "O", 1: "B-PER", 2: "I-PER", 3: "B-LOC", 4: "I-LOC" };
    const p = (word: string, best: number, start: number, end: number, isSubword = false, index = 0): PreEntity => ({ word, scores: [0, 1, 2, 3, 4].map((i) => (i === best ? 0.9 : 0.025)), start, end, index, isSubword });
    const join = (t: string[]) => t.join(" ").replace(/ ##/g, "");
    // "Angela Merkel in Paris": B-PER I-PER O B-LOC → two groups; a B- starts a new group even after the same tag.
    const pre = [p("angela", 1, 0, 6), p("merkel", 2, 7, 13), p("in", 0, 14, 16), p("paris", 3, 17, 22), p("berlin", 3, 23, 29)];
    const simple = aggregateEntities(pre, "simple", id2label, join);
    expect(simple.map((e) => [(e as { entity_group: string }).entity_group, e.word, e.start, e.end])).toEqual([
      ["PER", "angela merkel", 0, 13],
      ["LOC", "paris", 17, 22],
      ["LOC", "berlin", 23, 29],
    ]);
    // Sub-words: "first" takes the first token's label, "max" the most confident token's, "average" the mean.
    const sub = [p("pa", 3, 0, 2), { ...p("##ris", 1, 2, 5, true), scores: [0.01, 0.97, 0.01, 0.005, 0.005] }];
    expect((aggregateEntities(sub, "first", id2label, join)[0] as { entity_group: string }).entity_group).toBe("LOC");
    expect((aggregateEntities(sub, "max", id2label, join)[0] as { entity_group: string }).entity_group).toBe("PER");
    const avg = aggregateEntities(sub, "average", id2label, join)[0];
    expect(avg.word).toBe("paris");
    expect([avg.start, avg.end]).toEqual([0, 5]);
    // "none" keeps tokens, "O" filtered by default.
    expect(aggregateEntities(pre, "none", id2label, join).map((e) => (e as { entity: string }).entity)).toEqual(["B-PER", "I-PER", "B-LOC", "B-LOC"]);
  });

  it("question-answering: spans inside the context, long contexts in windows, impossible answers", async () => {
    const qa = await pipeline("question-answering", new BertForQuestionAnswering(config()), { tokenizer: tok });
    const context = "paris is the capital of france. ".repeat(6);
    const ans = (await qa.run({ question: "what is the capital of france", context }, { maxSeqLen: 32, docStride: 8 })) as { answer: string; start: number; end: number; score: number };
    expect(context.slice(ans.start, ans.end)).toBe(ans.answer);
    expect(ans.score).toBeGreaterThan(0);
    const top = (await qa.run({ question: "what is the capital", context }, { topK: 3, maxSeqLen: 32, docStride: 8 })) as { score: number }[];
    expect(top).toHaveLength(3);
    expect(top[0].score).toBeGreaterThanOrEqual(top[2].score);
    const imp = (await qa.run({ question: "what", context: "paris" }, { topK: 5, handleImpossibleAnswer: true })) as { answer: string }[];
    expect(imp.some((a) => a.answer === "")).toBe(true);
    await expect(qa.run({ question: "", context: "paris" })).rejects.toThrow(/question is empty/);
  });

  it("span search: start <= end, length limit, context only", () => {
    const allowed = [false, true, true, true, false];
    const ps = maskedSoftmax([5, 1, 3, 0, 9], allowed);
    const pe = maskedSoftmax([0, 0, 1, 4, 9], allowed);
    expect(ps[4]).toBeLessThan(1e-6);
    const spans = bestSpans(ps, pe, 3, 2, allowed);
    expect(spans[0]).toMatchObject({ start: 2, end: 3 });
    for (const s of spans) expect(s.end - s.start).toBeLessThan(2);
  });

  it("fill-mask: top-k tokens and sequences; no mask is an error; targets restrict", async () => {
    const fm = await pipeline("fill-mask", new BertForMaskedLM(config()), { tokenizer: tok });
    const out = (await fm.run("paris is the [MASK] of france")) as { token: number; token_str: string; sequence: string; score: number }[];
    expect(out).toHaveLength(5);
    expect(out[0].score).toBeGreaterThanOrEqual(out[4].score);
    expect(out[0].sequence).toContain("paris");
    const tgt = (await fm.run("paris is the [MASK] of france", { targets: ["capital", "paris"] })) as { token_str: string }[];
    expect(tgt.map((t) => t.token_str).sort()).toEqual(["capital", "paris"]);
    await expect(fm.run("no mask here")).rejects.toThrow(/no mask token/);
  });

  it("feature-extraction: [1, T, hidden] per input", async () => {
    const fe = await pipeline("feature-extraction", new BertModel(config()), { tokenizer: tok });
    const f = (await fe.run("i love this movie")) as number[][][];
    expect(f[0][0]).toHaveLength(32);
  });

  it("refuses unknown tasks and models whose head does not fit", async () => {
    await expect(pipeline("sentiment", new BertModel(config()), { tokenizer: tok })).rejects.toThrow(/known tasks/);
    await expect(pipeline("ner", new BertForMaskedLM(config()), { tokenizer: tok })).rejects.toThrow(/no tokenClassification head/);
    const m = new BertForMaskedLM(config());
    await expect(m.generate({ inputIds: tok.call(["x"]).toTensors().inputIds })).rejects.toThrow(/cannot generate/);
  });

  it("a saved model reloads through pipeline(task, dir)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsorch-pipe-"));
    try {
      const model = new BertForSequenceClassification(config({ id2label: { 0: "NEG", 1: "POS" } }));
      await model.savePretrained(dir);
      await tok.savePretrained(dir);
      const clf = await pipeline("text-classification", dir);
      const a = (await clf.run("i love this movie")) as { label: string; score: number }[];
      const b = (await (await pipeline("text-classification", model, { tokenizer: tok })).run("i love this movie")) as { label: string; score: number }[];
      expect(a[0].label).toBe(b[0].label);
      expect(a[0].score).toBeCloseTo(b[0].score, 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const stories = join(opsFixturesRoot().root, "..", "pretrained", "stories260k");
describe.skipIf(!existsSync(join(stories, "expected.json")))("text-generation on stories260k", () => {
  it("greedy text equals the reference implementation's, and streams token by token", async () => {
    const gen = await pipeline("text-generation", stories);
    const expected = JSON.parse(readFileSync(join(stories, "expected.json"), "utf8")) as { greedy: { prompt: string; max_new_tokens: number; text: string }[] };
    const g = expected.greedy.find((x) => x.prompt !== "") ?? expected.greedy[0];
    const pieces: number[] = [];
    const out = (await gen.run(g.prompt, { maxNewTokens: g.max_new_tokens, onTokens: (t: number[]) => void pieces.push(t[0]) })) as { generated_text: string }[];
    expect(out[0].generated_text.trim()).toBe(g.text.trim());
    expect(pieces.length).toBe(g.max_new_tokens);
  });
});
