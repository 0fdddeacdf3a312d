// SentencePiece ModelProto reader: hand-written wire bytes, and models trained by Python's sentencepiece read back piece for piece.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSentencePieceModel, SentencePieceType } from "@tsorch/tokenizers";

const varint = (v: number): number[] => {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
};
const ld = (field: number, body: number[]): number[] => [...varint(field * 8 + 2), ...varint(body.length), ...body];
const f32 = (field: number, v: number): number[] => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, true);
  return [...varint(field * 8 + 5), ...b];
};
const vi = (field: number, v: number): number[] => [...varint(field * 8), ...varint(v)];
const str = (field: number, s: string): number[] => ld(field, [...new TextEncoder().encode(s)]);

describe("readSentencePieceModel on hand-written wire bytes", () => {
  it("decodes pieces, trainer and normalizer fields, skipping unknown ones, with proto defaults", () => {
    const bytes = new Uint8Array([
      ...ld(1, [...str(1, "<unk>"), ...f32(2, 0), ...vi(3, 2)]),
      ...ld(1, [...str(1, "▁héllo"), ...f32(2, -1.5)]),
      ...ld(2, [...vi(3, 2), ...vi(35, 1), ...vi(40, 0), ...vi(43, 3), ...str(99, "ignored")]),
      ...ld(3, [...str(1, "nmt_nfkc"), ...ld(2, [1, 2, 3]), ...vi(3, 0)]),
      ...ld(4, [1, 2]),
    ]);
    const m = readSentencePieceModel(bytes);
    expect(m.pieces).toEqual([
      { piece: "<unk>", score: 0, type: SentencePieceType.UNKNOWN },
      { piece: "▁héllo", score: -1.5, type: SentencePieceType.NORMAL },
    ]);
    expect(m.trainerSpec).toEqual({ modelType: 2, byteFallback: true, unkId: 0, bosId: 1, eosId: 2, padId: 3 });
    expect(m.normalizerSpec).toMatchObject({ name: "nmt_nfkc", addDummyPrefix: false, removeExtraWhitespaces: true, escapeWhitespaces: true });
    expect([...m.normalizerSpec.precompiledCharsmap]).toEqual([1, 2, 3]);
  });
  it("reads a negative int32 (pad_id = -1) and refuses truncated or foreign bytes", () => {
    const neg = new Uint8Array([...ld(1, str(1, "a")), ...ld(2, [...varint(43 * 8), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])]);
    expect(readSentencePieceModel(neg).trainerSpec.padId).toBe(-1);
    const good = ld(1, str(1, "abc"));
    expect(() => readSentencePieceModel(new Uint8Array(good.slice(0, -1)), "x.model")).toThrow(/runs past the end.*x\.model/);
    expect(() => readSentencePieceModel(new TextEncoder().encode("{\"json\": true}"))).toThrow(/SentencePiece/);
    expect(() => readSentencePieceModel(new Uint8Array(0))).toThrow(/no pieces/);
  });
});

const py = "/usr/bin/python3";
const probe = existsSync(py) ? spawnSync(py, ["-c", "import sentencepiece"], { encoding: "utf8" }) : null;
const haveSpm = probe?.status === 0;
if (!haveSpm) console.warn(`readSentencePieceModel vs Python: SKIPPED, ${py} cannot import sentencepiece (apt install python3-sentencepiece)`);

const TEXT = [
  "The quick brown fox jumps over the lazy dog.",
  "Tokenizers split text into pieces; SentencePiece treats whitespace as ▁.",
  "Ünïcödé wörds, numbers 12345 and punctuation!? are here too.",
  "日本語のテキストも少し。",
  "She sells sea shells by the sea shore, and the shells she sells are sea shells.",
];

describe.skipIf(!haveSpm)("readSentencePieceModel = Python sentencepiece's own view of a trained model", () => {
  for (const modelType of ["unigram", "bpe"]) {
    it(`${modelType}: every piece, score and type`, () => {
      const dir = mkdtempSync(join(tmpdir(), "spm-read-"));
      try {
        writeFileSync(join(dir, "corpus.txt"), Array.from({ length: 20 }, (_, i) => TEXT.map((t) => `${t} ${i}`).join("\n")).join("\n"));
        const script = `
import json, sentencepiece as spm, sys
d = sys.argv[1]
spm.SentencePieceTrainer.train(input=d + "/corpus.txt", model_prefix=d + "/m", vocab_size=${modelType === "bpe" ? 400 : 150}, model_type="${modelType}", byte_fallback=${modelType === "bpe" ? "True" : "False"}, character_coverage=1.0, minloglevel=2, hard_vocab_limit=False)
sp = spm.SentencePieceProcessor(model_file=d + "/m.model")
t = lambda i: 2 if sp.is_unknown(i) else 3 if sp.is_control(i) else 5 if sp.is_unused(i) else 6 if sp.is_byte(i) else None
print(json.dumps([[sp.id_to_piece(i), sp.get_score(i), t(i)] for i in range(sp.get_piece_size())]))`;
        const r = spawnSync(py, ["-c", script, dir], { encoding: "utf8" });
        expect(r.status, r.stderr).toBe(0);
        const want = JSON.parse(r.stdout) as [string, number, number | null][];
        const m = readSentencePieceModel(new Uint8Array(readFileSync(join(dir, "m.model"))));
        expect(m.trainerSpec.modelType).toBe(modelType === "unigram" ? 1 : 2);
        expect(m.trainerSpec.byteFallback).toBe(modelType === "bpe");
        expect(m.pieces.length).toBe(want.length);
        m.pieces.forEach((p, i) => {
          const [piece, score, type] = want[i]!;
          expect(p.piece).toBe(piece);
          expect(p.score).toBe(Math.fround(score));
          if (type !== null) expect(p.type).toBe(type);
          else expect([1, 4]).toContain(p.type);
        });
        expect(m.normalizerSpec.name).toBe("nmt_nfkc");
        expect(m.normalizerSpec.precompiledCharsmap.length).toBeGreaterThan(1000);
        console.log(`readSentencePieceModel ${modelType}: ${m.pieces.length} pieces checked against Python sentencepiece`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
