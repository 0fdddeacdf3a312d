// Tests for the token-classification example's pieces: PTB→UPOS (EWT's rules and gold pairs), NER's IO↔IOB2, and token dropout.
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ioToIob2, toIoTag } from "../examples/token-classification/io-tags.js";
import { ptbToUpos } from "../examples/token-classification/ptb-to-upos.js";
import { withTokenDropout } from "../examples/token-classification/token-dropout.js";

const root = new URL("..", import.meta.url).pathname;
const datasets = process.env.TSORCH_DATASETS ?? join(root, "..", "shared", "datasets");
const ewtDev = join(datasets, "ud", "en_ewt-ud-dev.conllu");
if (!existsSync(ewtDev)) console.warn(`ptb-to-upos: SKIPPED the agreement check, no ${ewtDev} (the shared data sets are beside the repository)`);

describe("ptbToUpos", () => {
  it("splits what PTB merges the way EWT does: auxiliaries, negation, infinitival to, clauses, demonstratives", () => {
    const cases: [string, string, string][] = [
      ["He did n't go to Paris", "PRP VBD RB VB TO NNP", "PRON AUX PART VERB ADP PROPN"],
      ["Do you know what time it is", "VBP PRP VB WDT NN PRP VBZ", "AUX PRON VERB DET NOUN PRON AUX"],
      ["There are problems", "EX VBP NNS", "PRON VERB NOUN"],
      ["I like this", "PRP VBP DT", "PRON VERB PRON"],
      ["this car was fixed before we left", "DT NN VBD VBN IN PRP VBD", "DET NOUN AUX VERB SCONJ PRON VERB"],
      ["after leaving the office", "IN VBG DT NN", "SCONJ VERB DET NOUN"],
      ["after the meeting", "IN DT NN", "ADP DET NOUN"],
      ["they have eaten something", "PRP VBP VBN NN", "PRON AUX VERB PRON"],
      ["they have apples", "PRP VBP NNS", "PRON VERB NOUN"],
      ["up 5 %", "RB CD NN", "ADV NUM SYM"],
    ];
    for (const [words, tags, upos] of cases) expect(ptbToUpos(words.split(" "), tags.split(" ")), words).toEqual(upos.split(" "));
  });

  it("returns null for a tag outside the PTB set, so the caller drops the sentence", () => {
    expect(ptbToUpos(["a", "b"], ["DT", "NOPE"])).toBeNull();
  });

  it.skipIf(!existsSync(ewtDev))("agrees with EWT's gold UPOS on at least 98.5 % of the dev words when given EWT's gold PTB tags", () => {
    let words = 0;
    let agree = 0;
    for (const block of readFileSync(ewtDev, "utf8").split(/\n\s*\n/)) {
      const rows = block
        .split("\n")
        .filter((l) => l && !l.startsWith("#"))
        .map((l) => l.split("\t"))
        .filter((c) => c.length === 10 && !/[-.]/.test(c[0]));
      if (!rows.length) continue;
      // EWT's XPOS adds ADD, NFP, GW, HYPH and AFX to PTB; sentences with them are what the mapping refuses.
      const upos = ptbToUpos(
        rows.map((c) => c[1]),
        rows.map((c) => c[4]),
      );
      if (!upos) continue;
      words += rows.length;
      agree += upos.filter((u, i) => u === rows[i][3]).length;
    }
    expect(words).toBeGreaterThan(20_000);
    expect(agree / words).toBeGreaterThan(0.985);
  });
});

describe("IO tags", () => {
  it("drop the B/I prefix and rebuild IOB2 with a B- at the start of each run of one type", () => {
    const iob2 = ["B-PER", "I-PER", "O", "B-LOC", "B-ORG", "I-ORG", "O", "O", "B-MISC"];
    const io = iob2.map(toIoTag);
    expect(io).toEqual(["PER", "PER", "O", "LOC", "ORG", "ORG", "O", "O", "MISC"]);
    expect(ioToIob2(io)).toEqual(iob2);
    expect(ioToIob2(["I-PER"].map(toIoTag))).toEqual(["B-PER"]);
    expect(ioToIob2([])).toEqual([]);
  });

  it("merge two adjacent entities of one type, the one thing IO cannot express", () => {
    expect(ioToIob2(["B-PER", "B-PER"].map(toIoTag))).toEqual(["B-PER", "I-PER"]);
  });
});

describe("token dropout", () => {
  const collate = (rows: Record<string, unknown>[]) => rows.map((r) => r.input_ids as number[]);
  const rows = [{ input_ids: [101, ...Array.from({ length: 2000 }, (_, i) => 1000 + i), 102], labels: [] }];
  it("replaces about `rate` of the pieces with [UNK] while training, never a special token, and repeats with its seed", () => {
    let training = true;
    const opts = { rate: 0.1, unkId: 100, specialIds: new Set([101, 102, 0]), isTraining: () => training, seed: 7 };
    const [ids] = withTokenDropout(collate, opts)(rows);
    const dropped = ids.filter((id) => id === 100).length;
    expect(dropped).toBeGreaterThan(150);
    expect(dropped).toBeLessThan(250);
    expect([ids[0], ids[ids.length - 1]]).toEqual([101, 102]);
    expect(withTokenDropout(collate, opts)(rows)[0]).toEqual(ids);
    training = false;
    expect(withTokenDropout(collate, opts)(rows)[0]).toEqual(rows[0].input_ids);
  });

  it("refuses a rate outside [0, 1) and a tokenizer without an unknown token", () => {
    const base = { unkId: 100, specialIds: new Set<number>(), isTraining: () => true, seed: 1 };
    expect(() => withTokenDropout(collate, { ...base, rate: 1 })).toThrow(/rate must be in \[0, 1\), got 1/);
    expect(() => withTokenDropout(collate, { ...base, rate: 0.1, unkId: null })).toThrow(/no unknown token .* pass --token-dropout 0/);
    expect(withTokenDropout(collate, { ...base, rate: 0, unkId: null })).toBe(collate);
  });
});
