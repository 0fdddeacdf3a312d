// SentencePiece conversion vs Python's sentencepiece: tiny Unigram and BPE models trained at test time; converted ids = sp.encode ids on the corpus.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSentencePieceModel } from "@tsorch/tokenizers";
import { opsFixturesRoot } from "@tsorch/tensor/testing";
import { convertSentencePiece } from "./convert-sentencepiece.js";

const { root, explicit } = opsFixturesRoot();
const corpus = join(root, "tokenizers", "corpus", "single.jsonl");
const py = "/usr/bin/python3";
const haveSpm = existsSync(py) && spawnSync(py, ["-c", "import sentencepiece"]).status === 0;
const haveCorpus = existsSync(corpus);
if (!haveSpm) console.warn(`convertSentencePiece vs Python: SKIPPED, ${py} cannot import sentencepiece (apt install python3-sentencepiece)`);
else if (!haveCorpus && !explicit) console.warn(`convertSentencePiece vs Python: SKIPPED, no corpus at ${corpus}`);

const SCRIPT = `
import json, sentencepiece as spm, sys
d, kind = sys.argv[1], sys.argv[2]
spm.SentencePieceTrainer.train(input=d + "/train.txt", model_prefix=d + "/m", vocab_size=(2000 if kind == "bpe" else 1500), model_type=kind,
  byte_fallback=(kind == "bpe"), character_coverage=0.9995, minloglevel=2, hard_vocab_limit=False,
  **({"normalization_rule_name": "identity", "remove_extra_whitespaces": False} if kind == "bpe" else {}))
sp = spm.SentencePieceProcessor(model_file=d + "/m.model")
texts = json.load(open(d + "/texts.json"))
print(json.dumps([sp.encode(t) for t in texts]))`;

describe.skipIf(!haveSpm || (!haveCorpus && !explicit))("convertSentencePiece ids = Python sentencepiece encode", () => {
  for (const kind of ["unigram", "bpe"] as const) {
    it(`${kind} model trained on half the corpus, checked on all of it`, () => {
      const texts = readFileSync(corpus, "utf8").split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text);
      const dir = mkdtempSync(join(tmpdir(), "spm-conv-"));
      try {
        writeFileSync(join(dir, "train.txt"), texts.filter((_, i) => i % 2 === 0).map((t) => t.replace(/\n/g, " ")).join("\n"));
        writeFileSync(join(dir, "texts.json"), JSON.stringify(texts));
        const r = spawnSync(py, ["-c", SCRIPT, dir, kind], { encoding: "utf8", maxBuffer: 1 << 28 });
        expect(r.status, r.stderr).toBe(0);
        const want = JSON.parse(r.stdout) as number[][];
        const proto = readSentencePieceModel(new Uint8Array(readFileSync(join(dir, "m.model"))), `${kind} m.model`);
        // Unigram: T5-like rules without extra ids; BPE (trained like Llama: identity normalizer, spaces kept): Llama's rules, no specials added.
        const tok = convertSentencePiece(proto, kind === "bpe" ? { tokenizer_class: "LlamaTokenizer", add_bos_token: false } : { tokenizer_class: "T5Tokenizer", extra_ids: 0 });
        // HF's fast tokenizer matches control pieces written in the text ("</s>") as special tokens; sentencepiece does not.
        const controls = proto.pieces.filter((p) => p.type === 2 || p.type === 3).map((p) => p.piece);
        let same = 0;
        let skipped = 0;
        let ties = 0;
        const diffs: string[] = [];
        texts.forEach((t, i) => {
          if (controls.some((c) => t.includes(c))) return void skipped++;
          const got = tok.encode(t, null, { addSpecialTokens: false }).ids;
          if (JSON.stringify(got) === JSON.stringify(want[i])) return void same++;
          // Unigram: two segmentations with the same total score are a Viterbi tie, which sentencepiece and HF's
          // tokenizers break differently ("...." as "...|." or ".|..."); count it, don't fail on it.
          const total = (ids: number[]) => ids.reduce((a, id) => a + (proto.pieces[id]?.score ?? 0), 0);
          if (kind === "unigram" && got.length === want[i]!.length && Math.abs(total(got) - total(want[i]!)) < 1e-4) return void ties++;
          if (diffs.length < 5) diffs.push(`${JSON.stringify(t)}: ${JSON.stringify(got)} vs ${JSON.stringify(want[i])}`);
        });
        console.log(`convertSentencePiece ${kind} vs Python sentencepiece: ${same}/${texts.length - skipped} texts identical (${skipped} holding control pieces left out, ${ties} equal-score ties)${diffs.length ? `; first differences:\n${diffs.join("\n")}` : ""}`);
        expect(diffs).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  }
});
