// SentencePiece conversion: .model files synthesized from tokenizer.json twins (T5, Llama) give the twin's ids, tokens and offsets on the fixture corpus; ALBERT's rules on a hand-written model.
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NormalizedString, Tokenizer, readSentencePieceModel } from "@tsorch/tokenizers";
import { opsFixturesRoot } from "@tsorch/tensor/testing";
import { AutoTokenizer } from "@tsorch/transformers";
import { convertSentencePiece } from "./convert-sentencepiece.js";

const { root, explicit } = opsFixturesRoot();
const tokDir = join(root, "tokenizers", "tokenizers");
const corpusDir = join(root, "tokenizers", "corpus");
const have = existsSync(tokDir) && existsSync(join(corpusDir, "single.jsonl"));
if (!have && !explicit) console.warn(`SentencePiece conversion twins: SKIPPED, no tokenizer fixtures under ${root}/tokenizers`);
const lines = (f: string) => readFileSync(join(corpusDir, f), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { text?: string; a?: string; b?: string });
type J = Record<string, unknown>;

/** A minimal protobuf writer for ModelProto (the fields readSentencePieceModel reads). */
class Writer {
  out: number[] = [];
  varint(v: number): this {
    if (v < 0) v += 2 ** 64;
    while (v >= 128) {
      this.out.push((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    this.out.push(v);
    return this;
  }
  key(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }
  bytes(field: number, b: ArrayLike<number>): this {
    this.key(field, 2).varint(b.length);
    for (let i = 0; i < b.length; i++) this.out.push(b[i]!);
    return this;
  }
  str(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  f32(field: number, v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.key(field, 5);
    this.out.push(...b);
    return this;
  }
  int(field: number, v: number): this {
    return this.key(field, 0).varint(v);
  }
}

interface Spec {
  pieces: [string, number, number][];
  modelType: number;
  byteFallback: boolean;
  ids: [number, number, number, number];
  charsmap: Uint8Array;
  addDummyPrefix: boolean;
}
function writeModel(s: Spec): Uint8Array {
  const w = new Writer();
  for (const [piece, score, type] of s.pieces) {
    const p = new Writer().str(1, piece).f32(2, score).int(3, type);
    w.bytes(1, p.out);
  }
  const t = new Writer().int(3, s.modelType).int(35, s.byteFallback ? 1 : 0).int(40, s.ids[0]).int(41, s.ids[1]).int(42, s.ids[2]).int(43, s.ids[3]);
  w.bytes(2, t.out);
  const n = new Writer().str(1, "nmt_nfkc").bytes(2, s.charsmap).int(3, s.addDummyPrefix ? 1 : 0).int(4, 1).int(5, 1);
  w.bytes(3, n.out);
  return new Uint8Array(w.out);
}

function compare(name: string, converted: Tokenizer, twin: Tokenizer): number {
  let n = 0;
  for (const { text } of lines("single.jsonl")) {
    const a = converted.encode(text!);
    const b = twin.encode(text!);
    expect([a.ids, a.tokens, a.offsets], `${name}: ${JSON.stringify(text)}`).toEqual([b.ids, b.tokens, b.offsets]);
    n++;
  }
  for (const { a: x, b: y } of lines("pairs.jsonl")) {
    const a = converted.encode(x!, y!);
    const b = twin.encode(x!, y!);
    expect([a.ids, a.tokens, a.offsets, a.typeIds], `${name}: ${JSON.stringify([x, y])}`).toEqual([b.ids, b.tokens, b.offsets, b.typeIds]);
    n++;
  }
  return n;
}

const load = (name: string) => JSON.parse(readFileSync(join(tokDir, name, "tokenizer.json"), "utf8")) as J;

describe.skipIf(!have && !explicit)("convertSentencePiece = tokenizer.json twin", () => {
  it("T5 (Unigram, precompiled charsmap, </s> template, extra ids), also as spiece.model through AutoTokenizer", async () => {
    if (!existsSync(join(tokDir, "t5-small", "tokenizer.json"))) return void console.warn("t5-small fixture absent: SKIPPED");
    const tj = load("t5-small");
    const model = tj.model as { unk_id: number; vocab: [string, number][] };
    const norm = tj.normalizer as { precompiled_charsmap: string };
    const pieces = model.vocab.filter(([t]) => !/^<extra_id_\d+>$/.test(t)).map(([t, s], i): [string, number, number] => [t, s, i === model.unk_id ? 2 : t === "<pad>" || t === "</s>" ? 3 : 1]);
    const bytes = writeModel({ pieces, modelType: 1, byteFallback: false, ids: [model.unk_id, -1, 1, 0], charsmap: Buffer.from(norm.precompiled_charsmap, "base64"), addDummyPrefix: true });
    const tok = convertSentencePiece(readSentencePieceModel(bytes), { tokenizer_class: "T5Tokenizer" });
    const twin = Tokenizer.fromJSON(tj);
    const n = compare("t5-small", tok, twin);
    console.log(`convertSentencePiece T5: ${n} corpus cases equal the tokenizer.json twin`);
    // The same bytes as a checkpoint folder's spiece.model, through AutoTokenizer; another class is refused clearly.
    const dir = mkdtempSync(join(tmpdir(), "tsorch-spiece-"));
    try {
      writeFileSync(join(dir, "spiece.model"), bytes);
      writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify({ tokenizer_class: "T5Tokenizer" }));
      const auto = await AutoTokenizer.fromPretrained(dir);
      for (const { text } of lines("single.jsonl").slice(0, 50)) expect(auto.backend.encode(text!).ids).toEqual(twin.encode(text!).ids);
      writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify({ tokenizer_class: "XLNetTokenizer" }));
      await expect(AutoTokenizer.fromPretrained(dir)).rejects.toThrow(/no SentencePiece converter for XLNetTokenizer.*tokenizer\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("ALBERT: a piece ending in digit + comma loses 100 from its score, so \"1999,\" splits as the slow AlbertTokenizer splits it", () => {
    const chars = [..."19,abc"].map((c): [string, number, number] => [c, -8, 1]);
    const pieces: [string, number, number][] = [["<pad>", 0, 3], ["<unk>", 0, 2], ["[CLS]", 0, 3], ["[SEP]", 0, 3], ["</s>", 0, 3], ["▁", -2, 1], ["▁1999,", -1, 1], ["▁1999", -4, 1], [",", -4, 1], ["▁abc,", -1, 1], ...chars];
    const proto = readSentencePieceModel(writeModel({ pieces, modelType: 1, byteFallback: false, ids: [1, -1, -1, 0], charsmap: new Uint8Array(0), addDummyPrefix: true }));
    const albert = convertSentencePiece(proto, { tokenizer_class: "AlbertTokenizer" });
    expect(albert.encode("1999, abc,").tokens).toEqual(["[CLS]", "▁1999", ",", "▁abc,", "[SEP]"]);
    // Without the rule (T5's converter on the same model) the whole "▁1999," piece wins.
    expect(convertSentencePiece(proto, { tokenizer_class: "T5Tokenizer", extra_ids: 0 }).encode("1999,", null, { addSpecialTokens: false }).tokens).toEqual(["▁1999,"]);
    // Accents stripped and lower case by default; keep_accents / do_lower_case: false keep them.
    expect(albert.encode("Ça", null, { addSpecialTokens: false }).tokens.join("")).toBe("▁ca");
    const keep = convertSentencePiece(proto, { tokenizer_class: "AlbertTokenizer", keep_accents: true, do_lower_case: false });
    const ns = NormalizedString.fromOriginal("Ça ``x''");
    keep.normalizer!.normalize(ns);
    expect(ns.normalized).toBe('Ça "x"');
    console.log("convertSentencePiece ALBERT: digit-comma rule, accent and case options checked on a hand-written model");
  });
  it("Llama (BPE, byte fallback, merges recovered from scores)", () => {
    if (!existsSync(join(tokDir, "llama-2", "tokenizer.json"))) return void console.warn("llama-2 fixture absent: SKIPPED");
    const tj = load("llama-2");
    const model = tj.model as { vocab: Record<string, number>; merges: (string | string[])[] };
    const byId: string[] = [];
    for (const [t, i] of Object.entries(model.vocab)) byId[i] = t;
    // A BPE .model's score orders merges: a merged piece scores minus the rank of the first twin merge that makes it;
    // pieces no merge makes score below all of them; control/unk/byte pieces score 0.
    const firstRank = new Map<string, number>();
    model.merges.forEach((m, r) => {
      const [a, b] = Array.isArray(m) ? m : m.split(" ");
      if (!firstRank.has(a! + b!)) firstRank.set(a! + b!, r);
    });
    const score = (t: string, i: number) => -(firstRank.get(t) ?? 1e6 + i);
    const pieces = byId.map((t, i): [string, number, number] => (i === 0 ? [t, 0, 2] : i < 3 ? [t, 0, 3] : /^<0x[0-9A-F]{2}>$/.test(t) ? [t, 0, 6] : [t, score(t, i), 1]));
    const bytes = writeModel({ pieces, modelType: 2, byteFallback: true, ids: [0, 1, 2, -1], charsmap: new Uint8Array(0), addDummyPrefix: true });
    const cfg = JSON.parse(readFileSync(join(tokDir, "llama-2", "tokenizer_config.json"), "utf8")) as J;
    const tok = convertSentencePiece(readSentencePieceModel(bytes), cfg);
    const n = compare("llama-2", tok, Tokenizer.fromJSON(tj));
    console.log(`convertSentencePiece Llama: ${n} corpus cases equal the tokenizer.json twin`);
  });
});
