// AutoTokenizer: slow-file conversion equals the tokenizer.json twin on the fixture corpus; padding, truncation, overflow, decode, chat, save.
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Tokenizer } from "@tsorch/tokenizers";
import { opsFixturesRoot } from "@tsorch/tensor/testing";
import { AutoTokenizer, PreTrainedTokenizer } from "@tsorch/transformers";
import { trainTestBertTokenizer } from "../bert-tokenizer.test-util.js";

const { root, explicit } = opsFixturesRoot();
const tokDir = join(root, "tokenizers", "tokenizers");
const corpusDir = join(root, "tokenizers", "corpus");
const have = existsSync(tokDir) && existsSync(join(corpusDir, "single.jsonl"));
if (!have && !explicit) console.warn(`AutoTokenizer conversion: SKIPPED, no tokenizer fixtures under ${root}/tokenizers`);

const lines = (f: string) => readFileSync(join(corpusDir, f), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { text?: string; a?: string; b?: string });

type J = Record<string, unknown>;

/** Slow files equivalent to a tokenizer.json, as a Hub folder would hold them beside it. */
function slowFilesOf(name: string): Record<string, string> | null {
  const folder = join(tokDir, name);
  if (!existsSync(join(folder, "tokenizer.json"))) return null;
  const tj = JSON.parse(readFileSync(join(folder, "tokenizer.json"), "utf8")) as J;
  const model = tj.model as J;
  const cfgPath = join(folder, "tokenizer_config.json");
  const cfg = existsSync(cfgPath) ? (JSON.parse(readFileSync(cfgPath, "utf8")) as J) : {};
  const files: Record<string, string> = {};
  for (const f of ["vocab.txt", "vocab.json", "merges.txt"]) if (existsSync(join(folder, f))) files[f] = readFileSync(join(folder, f), "utf8");
  const norm = tj.normalizer as J | null;
  const pre = tj.pre_tokenizer as J | null;
  const wordPiece = (model.type === "WordPiece" || (!model.type && "max_input_chars_per_word" in model)) && norm?.type === "BertNormalizer" && pre?.type === "BertPreTokenizer";
  const byteBpe = (model.type === "BPE" || (!model.type && "merges" in model)) && !norm && pre?.type === "ByteLevel" && ["ByteLevel", "RobertaProcessing"].includes(String((tj.post_processor as J | null)?.type));
  if (wordPiece) {
    if (!files["vocab.txt"]) {
      const v = model.vocab as Record<string, number>;
      const byId: string[] = [];
      for (const [t, i] of Object.entries(v)) byId[i] = t;
      if (byId.some((t) => t === undefined) || byId.length !== Object.keys(v).length) return null;
      files["vocab.txt"] = `${byId.join("\n")}\n`;
    }
    cfg.do_lower_case = norm!.lowercase;
    cfg.tokenize_chinese_chars = norm!.handle_chinese_chars;
    if (norm!.strip_accents !== null && norm!.strip_accents !== undefined) cfg.strip_accents = norm!.strip_accents;
    delete files["vocab.json"];
    delete files["merges.txt"];
  } else if (byteBpe) {
    if (!files["vocab.json"]) files["vocab.json"] = JSON.stringify(model.vocab);
    if (!files["merges.txt"]) files["merges.txt"] = `#version: 0.2\n${(model.merges as (string | string[])[]).map((m) => (Array.isArray(m) ? m.join(" ") : m)).join("\n")}\n`;
    cfg.add_prefix_space = (pre as J).add_prefix_space;
    if ((tj.post_processor as J).type === "RobertaProcessing") cfg.tokenizer_class = "RobertaTokenizer";
    delete files["vocab.txt"];
  } else return null;
  files["tokenizer_config.json"] = JSON.stringify(cfg);
  return files;
}

describe.skipIf(!have && !explicit)("AutoTokenizer from slow files = its tokenizer.json twin", () => {
  const names = have ? readdirSync(tokDir).sort() : [];
  let compared = 0;
  for (const name of names) {
    it(name, async () => {
      const files = slowFilesOf(name);
      if (!files) return console.warn(`${name}: no slow-file form (not WordPiece/Bert or byte-level BPE); not a conversion case`);
      const dir = mkdtempSync(join(tmpdir(), `tsorch-slow-${name}-`));
      try {
        for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
        const converted = await AutoTokenizer.fromPretrained(dir);
        const twin = Tokenizer.fromString(readFileSync(join(tokDir, name, "tokenizer.json"), "utf8"));
        // Padding and truncation stored in a tokenizer.json are call settings, not part of the slow files.
        twin.noPadding();
        twin.noTruncation();
        for (const l of lines("single.jsonl")) {
          const a = converted.backend.encode(l.text!);
          const b = twin.encode(l.text!);
          expect(a.ids, `${name}: ${l.text}`).toEqual(b.ids);
          expect(a.tokens).toEqual(b.tokens);
          expect(a.offsets).toEqual(b.offsets);
          compared++;
        }
        for (const l of lines("pairs.jsonl")) {
          const a = converted.backend.encode(l.a!, l.b!);
          const b = twin.encode(l.a!, l.b!);
          expect(a.ids).toEqual(b.ids);
          expect(a.typeIds).toEqual(b.typeIds);
          expect(a.offsets).toEqual(b.offsets);
          compared++;
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
  it("reports", () => console.log(`AutoTokenizer conversion: ${compared} encodings equal their tokenizer.json twins`));
});

/** A small WordPiece tokenizer trained here, so every id exists. */
function trainedBert(): PreTrainedTokenizer {
  const texts = ["the quick brown fox jumps over the lazy dog", "hello world, how are you?", "a question about the context", "tokenizers split words into pieces"];
  return trainTestBertTokenizer(texts, { vocabSize: 200, modelMaxLength: 16 });
}

describe("PreTrainedTokenizer", () => {
  const tok = trainedBert();

  it("pads to the longest row (right, as configured) with masks and token types", () => {
    const enc = tok.call(["hello world", "the quick brown fox jumps"], { padding: true });
    const len = enc.inputIds[0].length;
    expect(enc.inputIds[1].length).toBe(len);
    expect(enc.attentionMask[0].filter((m) => m === 0).length).toBeGreaterThan(0);
    expect(enc.inputIds[0][enc.inputIds[0].length - 1]).toBe(tok.padTokenId);
    expect(enc.tokenTypeIds).toBeDefined();
    tok.paddingSide = "left";
    const left = tok.call(["hello world", "the quick brown fox jumps"], { padding: true });
    expect(left.inputIds[0][0]).toBe(tok.padTokenId);
    tok.paddingSide = "right";
    const t = enc.toTensors();
    expect(t.inputIds.shape).toEqual([2, len]);
  });

  it("truncates to model_max_length and splits overflowing windows with a stride", () => {
    const long = "the quick brown fox jumps over the lazy dog ".repeat(4);
    const enc = tok.call([long], { truncation: true });
    expect(enc.inputIds[0].length).toBe(16);
    const win = tok.call(["a question"], { textPair: [long], truncation: "only_second", maxLength: 16, stride: 4, returnOverflowingTokens: true, returnOffsetsMapping: true });
    expect(win.length).toBeGreaterThan(1);
    expect(win.overflowToSampleMapping!.every((i) => i === 0)).toBe(true);
    for (let r = 0; r < win.length; r++) {
      const seq = win.sequenceIds(r);
      expect(seq.filter((s) => s === 0).length).toBe(tok.call(["a question"], {}).inputIds[0].length - 2);
      // Offsets of the second sequence point into the context text.
      win.offsetMapping![r].forEach(([a, b], j) => {
        if (seq[j] === 1) expect(long.slice(a, b).length).toBe(b - a);
      });
    }
    expect(() => tok.call(["x"], { returnOverflowingTokens: true })).toThrow(/truncation/);
  });

  it("decodes, cleans up spaces, converts tokens and ids", () => {
    const ids = tok.encode("hello world, how are you?");
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe("hello world, how are you?");
    expect(tok.convertIdsToTokens([tok.clsTokenId!])).toEqual(["[CLS]"]);
    expect(tok.convertTokensToIds(["[SEP]"])).toEqual([tok.sepTokenId]);
    expect(tok.batchDecode([ids, ids], { skipSpecialTokens: true })).toHaveLength(2);
  });

  it("words pre-split by the caller keep their word ids", () => {
    const enc = tok.call([["hello", "world"]], { isSplitIntoWords: true });
    expect(enc.wordIds(0)).toEqual([null, ...enc.wordIds(0).slice(1, -1), null]);
    expect(new Set(enc.wordIds(0).filter((w) => w !== null))).toEqual(new Set([0, 1]));
  });

  it("renders a chat template and round-trips through savePretrained", async () => {
    tok.chatTemplate = "{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}{% if add_generation_prompt %}<assistant>{% endif %}";
    expect(tok.applyChatTemplate([{ role: "user", content: "hi" }], { addGenerationPrompt: true, tokenize: false })).toBe("<user>hi<assistant>");
    const dir = mkdtempSync(join(tmpdir(), "tsorch-tok-"));
    try {
      await tok.savePretrained(dir);
      const again = await AutoTokenizer.fromPretrained(dir);
      expect(again.call(["hello world"]).inputIds).toEqual(tok.call(["hello world"]).inputIds);
      expect(again.padTokenId).toBe(tok.padTokenId);
      expect(again.chatTemplate).toBe(tok.chatTemplate);
      expect(again.modelMaxLength).toBe(16);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails clearly: no pad token, missing folder, bad input", async () => {
    const noPad = PreTrainedTokenizer.fromTokenizer(tok.backend, {});
    expect(() => noPad.call(["a", "b c"], { padding: true })).toThrow(/pad token/);
    await expect(AutoTokenizer.fromPretrained(join(tmpdir(), "definitely-missing-folder-xyz"))).rejects.toThrow(/does not exist/);
    expect(() => tok.call([null as unknown as string])).toThrow(/must be a string/);
  });
});
