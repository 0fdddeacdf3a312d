// Checks corpus BLEU and chrF against values in sacreBLEU's own tests (mjpost/sacrebleu test/test_bleu.py, test/test_chrf.py) and SQuAD EM/F1 against the official script's rules.
import { describe, expect, it } from "vitest";
import { computeBleu, corpusBleu, type BleuOptions, corpusChrf, normalizeAnswer, squadF1, squadScores, tokenize13a } from "@tsorch/trainer";

// test/test_bleu.py: the README example with two reference streams
const REFS = [
  ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
  ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
];
const HYPS = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];
// sacrebleu.raw_corpus_bleu(h, r, .01): floor smoothing 0.01, no tokenization, effective order
const RAW = { tokenize: "none", smoothMethod: "floor", smoothValue: 0.01, effectiveOrder: true } as const;

describe("corpus BLEU vs sacreBLEU's tests", () => {
  it("test_corpus_bleu cases", () => {
    const cases: Array<[string[], Parameters<typeof corpusBleu>[2], number]> = [
      [HYPS, {}, 48.530827],
      [["", "", ""], {}, 0.0],
      [HYPS, { tokenize: "none" }, 49.1919566],
      [HYPS, { tokenize: "13a" }, 48.530827],
      [HYPS, { smoothMethod: "none" }, 48.530827],
    ];
    for (const [h, o, want] of cases) expect(Math.abs(corpusBleu(h, REFS, o).score - want)).toBeLessThan(1e-6);
    console.log(`checked ${cases.length} corpus BLEU cases`);
  });

  it("test_max_ngram_order (formatted to 2 decimals)", () => {
    const want = ["77.65", "60.50", "53.93", "48.53", "46.14", "43.28"];
    want.forEach((w, i) => expect(corpusBleu(HYPS, REFS, { maxNgramOrder: i + 1 }).score.toFixed(2)).toBe(w));
  });

  it("raw_corpus_bleu, statistics, effective order, scoring", () => {
    const raw: Array<[string[], string[][], number]> = [
      [["this is a test", "another test"], [["ref1", "ref2"]], 0.0],
      [["this is a test"], [["this is a test"]], 1.0],
      [["this is a fest"], [["this is a test"]], 0.223606797749979],
      [["test"], [["a test"]], 0.3678794411714425],
      [["a test"], [["a test"]], 1.0],
      [["a little test"], [["a test"]], 0.03218297948685433],
    ];
    for (const [h, r, want] of raw) expect(Math.abs(corpusBleu(h, r, RAW).score / 100 - want)).toBeLessThan(1e-8);
    const st = corpusBleu(["am I am a character sequence"], [["I am a symbol string sequence a a"]], RAW);
    expect([st.counts, st.totals]).toEqual([[4, 2, 1, 0], [6, 5, 4, 3]]);
    expect(Math.abs(corpusBleu(["am I am a character sequence"], [["I am a symbol string sequence a a"]], { ...RAW, smoothValue: 0.1 }).score / 100 - 0.1555722182)).toBeLessThan(1e-8);
    expect(Math.abs(computeBleu([9, 7, 5, 3], [10, 8, 6, 4], 11, 11).score / 100 - 0.8375922397)).toBeLessThan(1e-8);
    // test_degenerate_statistics
    expect(computeBleu([0, 0, 0, 0], [4, 4, 2, 1], 0, 1, { smoothMethod: "floor", smoothValue: 0 }).score).toBe(0);
    expect(computeBleu([6, 5, 4, 0], [6, 5, 4, 3], 6, 6, { smoothMethod: "floor", smoothValue: 0 }).score).toBe(0);
  });

  it("test_sentence_bleu.py: effective order with every smoothing method, 13a and none tokenizers", () => {
    const REF = "producţia de zahăr brut se exprimă în zahăr alb;";
    const SYS = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";
    const cases: Array<[BleuOptions["smoothMethod"], number | undefined, BleuOptions["tokenize"], number]> = [
      ["exp", undefined, "13a", 8.493], ["none", undefined, "13a", 0.0], ["floor", undefined, "13a", 4.51688], ["floor", 0.1, "13a", 4.51688],
      ["floor", 0.5, "13a", 10.1], ["add-k", undefined, "13a", 14.882], ["add-k", 1, "13a", 14.882], ["add-k", 2, "13a", 21.389],
      ["exp", undefined, "none", 7.347],
    ];
    for (const [smoothMethod, smoothValue, tokenize, want] of cases) {
      const got = corpusBleu([SYS], [[REF]], { smoothMethod, smoothValue, tokenize, effectiveOrder: true }).score;
      expect(Math.abs(got - want), `${smoothMethod} ${smoothValue} ${tokenize}`).toBeLessThan(1e-3);
    }
    for (const smoothMethod of ["exp", "none", "floor", "add-k"] as const) {
      expect(corpusBleu(["this is a cat"], [["okay thanks"]], { smoothMethod, effectiveOrder: true }).score).toBe(0);
    }
    console.log(`checked ${cases.length + 4} sentence-BLEU cases`);
  });

  it("13a tokenization rules", () => {
    expect(tokenize13a("It wasn't surprising.")).toBe("It wasn't surprising ."); // the apostrophe (0x27) is outside 13a's classes
    expect(tokenize13a("3.5 and 1,000 but a.b")).toBe("3.5 and 1,000 but a . b");
    expect(tokenize13a("5-fold &amp; more")).toBe("5 - fold & more");
  });
});

describe("chrF vs sacreBLEU's tests", () => {
  it("test_chrf (beta 3, eps smoothing) and test_chrf_eff_order", () => {
    const eps: Array<[string[], string[], number]> = [
      [["abcdefg"], ["hijklmnop"], 0.0], [["a"], ["b"], 0.0], [[""], ["b"], 0.0], [[""], ["reference"], 0.0],
      [["aa"], ["ab"], 8.3333], [["a", "b"], ["a", "c"], 8.3333], [["a"], ["a"], 16.6667], [["a b c"], ["a b c"], 50.0], [["a b c"], ["abc"], 50.0],
      [[" risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ."],
        ["risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ."], 63.36173],
      [[" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "],
        ["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."], 64.1302698],
      [["Niemand hat die Absicht, eine Mauer zu errichten"], ["Niemand hat die Absicht, eine Mauer zu errichten"], 100.0],
    ];
    for (const [h, r, want] of eps) expect(Math.abs(corpusChrf(h, [r], { beta: 3, epsSmoothing: true }).score - want)).toBeLessThan(1e-4);
    const eff: Array<[string[], string[], number]> = [
      [["a"], ["a"], 100.0], [[""], ["reference"], 0.0], [["a b c"], ["a b c"], 100.0], [["a b c"], ["abc"], 100.0],
      [[""], ["c"], 0.0], [["a", "b"], ["a", "c"], 50.0], [["aa"], ["ab"], 25.0],
    ];
    for (const [h, r, want] of eff) expect(Math.abs(corpusChrf(h, [r], { beta: 3 }).score - want)).toBeLessThan(1e-4);
    // test_chrf_keep_whitespace
    const ws: Array<[string, string, number]> = [
      ["Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.", "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.", 67.3481606],
      ["risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
        "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .", 65.2414427],
    ];
    for (const [h, r, want] of ws) expect(Math.abs(corpusChrf([h], [[r]], { beta: 3, whitespace: true }).score - want)).toBeLessThan(1e-4);
    console.log(`checked ${eps.length + eff.length + ws.length} chrF cases`);
  });

  it("chrF++ (word order 2) wiring: identical text scores 100, word n-grams lower a char-identical reordering", () => {
    expect(corpusChrf(["a b c"], [["a b c"]], { wordOrder: 2 }).score).toBeCloseTo(100, 10);
    const plain = corpusChrf(["b a c"], [["a b c"]]).score;
    const plus = corpusChrf(["b a c"], [["a b c"]], { wordOrder: 2 }).score;
    expect(plus).toBeLessThan(100);
    expect(plain).toBeGreaterThan(0);
  });

  it("sentence-level chrF (test_chrf_sentence_level: default beta 2, eps smoothing, several references)", () => {
    const h = "Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.";
    const r = "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.";
    expect(Math.abs(corpusChrf([h], [[r]], { epsSmoothing: true }).score - 39.14078509)).toBeLessThan(1e-4);
  });
});

describe("SQuAD EM / F1 (official v1.1 script's normalisation)", () => {
  it("normalises case, punctuation, articles and spaces", () => {
    expect(normalizeAnswer("The  Eiffel-Tower!")).toBe("eiffeltower");
    expect(normalizeAnswer("an apple, a pear and theatre")).toBe("apple pear and theatre");
  });
  it("F1 counts overlapping tokens with multiplicity; best gold wins", () => {
    expect(squadF1("Denver Broncos won", "Denver Broncos")).toBeCloseTo(0.8, 12);
    expect(squadF1("the the cat", "cat cat")).toBeCloseTo(2 * (1 / 1) * (1 / 2) / (1 + 1 / 2), 12);
    expect(squadScores(["1976"], [["1976"]])).toEqual({ exactMatch: 100, f1: 100 });
    const s = squadScores(["Denver Broncos", "in 1990"], [["Broncos", "The Denver Broncos"], ["1991"]]);
    expect(s).toEqual({ exactMatch: 50, f1: 50 });
    expect(squadScores([""], [[]], { v2: true })).toEqual({ exactMatch: 100, f1: 100 });
    expect(() => squadScores(["x"], [[]])).toThrow(/v2: true/);
  });
});
