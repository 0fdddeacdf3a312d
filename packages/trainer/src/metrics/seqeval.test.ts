// Checks entity extraction and scores against reference values from seqeval's own tests (chakki-works/seqeval, tests/test_scheme.py, tests/test_v1.py and the docstrings of seqeval/metrics/sequence_labeling.py).
import { describe, expect, it } from "vitest";
import { getEntities, getEntitiesStrict, seqevalScores, type TagScheme } from "@tsorch/trainer";

type Case = [string[], Array<[string, number, number]>];
// tests/test_scheme.py: test_{iob1,iob2,ioe1,ioe2,iobes}_tokens — (tokens, [(tag, start, end)])
const STRICT: Record<string, Case[]> = {
  IOB1: [
    [[], []], [["B-PER"], []], [["I-PER"], [["PER", 0, 1]]], [["O"], []], [["O", "I-PER"], [["PER", 1, 2]]], [["O", "B-PER"], []],
    [["I-PER", "O"], [["PER", 0, 1]]], [["I-PER", "I-PER"], [["PER", 0, 2]]], [["I-PER", "I-ORG"], [["PER", 0, 1], ["ORG", 1, 2]]],
    [["I-PER", "B-PER"], [["PER", 0, 1], ["PER", 1, 2]]], [["I-PER", "B-ORG"], [["PER", 0, 1]]], [["B-PER", "O"], []],
    [["B-PER", "I-PER"], [["PER", 1, 2]]], [["B-PER", "I-ORG"], [["ORG", 1, 2]]], [["B-PER", "B-PER"], [["PER", 1, 2]]], [["B-PER", "B-ORG"], []],
  ],
  IOB2: [
    [[], []], [["B-PER"], [["PER", 0, 1]]], [["I-PER"], []], [["O"], []], [["O", "I-PER"], []], [["O", "B-PER"], [["PER", 1, 2]]],
    [["I-PER", "O"], []], [["I-PER", "I-PER"], []], [["I-PER", "I-ORG"], []], [["I-PER", "B-PER"], [["PER", 1, 2]]],
    [["I-PER", "B-ORG"], [["ORG", 1, 2]]], [["B-PER", "O"], [["PER", 0, 1]]], [["B-PER", "I-PER"], [["PER", 0, 2]]],
    [["B-PER", "I-ORG"], [["PER", 0, 1]]], [["B-PER", "B-PER"], [["PER", 0, 1], ["PER", 1, 2]]], [["B-PER", "B-ORG"], [["PER", 0, 1], ["ORG", 1, 2]]],
    [["B", "I"], [["_", 0, 2]]], [["B", "B"], [["_", 0, 1], ["_", 1, 2]]],
  ],
  IOE1: [
    [[], []], [["E-PER"], []], [["I-PER"], [["PER", 0, 1]]], [["O", "I-PER"], [["PER", 1, 2]]], [["O", "E-PER"], []],
    [["I-PER", "O"], [["PER", 0, 1]]], [["I-PER", "I-PER"], [["PER", 0, 2]]], [["I-PER", "I-ORG"], [["PER", 0, 1], ["ORG", 1, 2]]],
    [["I-PER", "E-ORG"], [["PER", 0, 1]]], [["E-PER", "O"], []], [["E-PER", "I-PER"], [["PER", 1, 2]]], [["E-PER", "I-ORG"], [["ORG", 1, 2]]],
    [["E-PER", "E-PER"], []], [["E-PER", "E-ORG"], []],
  ],
  IOE2: [
    [[], []], [["E-PER"], [["PER", 0, 1]]], [["I-PER"], []], [["O", "I-PER"], []], [["O", "E-PER"], [["PER", 1, 2]]], [["I-PER", "O"], []],
    [["I-PER", "I-PER"], []], [["I-PER", "I-ORG"], []], [["I-PER", "E-PER"], [["PER", 0, 2]]], [["I-PER", "E-ORG"], [["ORG", 1, 2]]],
    [["E-PER", "O"], [["PER", 0, 1]]], [["E-PER", "I-PER"], [["PER", 0, 1]]], [["E-PER", "I-ORG"], [["PER", 0, 1]]],
    [["E-PER", "E-PER"], [["PER", 0, 1], ["PER", 1, 2]]], [["E-PER", "E-ORG"], [["PER", 0, 1], ["ORG", 1, 2]]], [["I", "E"], [["_", 0, 2]]],
  ],
  IOBES: [
    [["O"], []], [["I-PER"], []], [["B-PER"], []], [["E-PER"], []], [["S-PER"], [["PER", 0, 1]]], [["O", "S-PER"], [["PER", 1, 2]]],
    [["I-PER", "E-PER"], []], [["I-PER", "S-PER"], [["PER", 1, 2]]], [["B-PER", "I-PER"], []], [["B-PER", "B-PER"], []],
    [["B-PER", "E-PER"], [["PER", 0, 2]]], [["B-PER", "E-ORG"], []], [["B-PER", "S-PER"], [["PER", 1, 2]]], [["E-PER", "S-PER"], [["PER", 1, 2]]],
    [["S-PER", "O"], [["PER", 0, 1]]], [["S-PER", "I-PER"], [["PER", 0, 1]]], [["S-PER", "E-PER"], [["PER", 0, 1]]],
    [["S-PER", "S-PER"], [["PER", 0, 1], ["PER", 1, 2]]], [["B", "E"], [["_", 0, 2]]],
  ],
};

describe("seqeval", () => {
  it("strict-mode entities match seqeval's scheme tables", () => {
    let n = 0;
    for (const [scheme, cases] of Object.entries(STRICT)) {
      for (const [tokens, expected] of cases) {
        const got = getEntitiesStrict(tokens, scheme as TagScheme).map((e) => [e.type, e.start, e.end]);
        expect(got, `${scheme} ${JSON.stringify(tokens)}`).toEqual(expected);
        n++;
      }
    }
    console.log(`checked ${n} strict-mode entity cases from seqeval's tests/test_scheme.py`);
  });

  it("default-mode get_entities as seqeval's docstring (inclusive ends there, exclusive here)", () => {
    expect(getEntities(["B-PER", "I-PER", "O", "B-LOC"]).map((e) => [e.type, e.start, e.end])).toEqual([["PER", 0, 2], ["LOC", 3, 4]]);
    // lenient: I- after O opens an entity; a type change closes one
    expect(getEntities(["O", "I-PER", "I-LOC"]).map((e) => [e.type, e.start, e.end])).toEqual([["PER", 1, 2], ["LOC", 2, 3]]);
    expect(getEntities(["PER-B", "PER-I"], { suffix: true }).map((e) => [e.type, e.start, e.end])).toEqual([["PER", 0, 2]]);
  });

  it("tests/test_metrics.py: get_entities (inclusive ends there), suffix style, bare IOB, conll vs strict F1", () => {
    const spans = (es: Array<{ type: string; start: number; end: number }>) => es.map((e) => [e.type, e.start, e.end - 1]);
    expect(spans(getEntities(["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O", "B-PER", "I-PER"]))).toEqual([["MISC", 3, 5], ["PER", 7, 8]]);
    expect(spans(getEntities(["O", "O", "O", "MISC-B", "MISC-I", "MISC-I", "O", "PER-B", "PER-I"], { suffix: true }))).toEqual([["MISC", 3, 5], ["PER", 7, 8]]);
    expect(spans(getEntities([["O", "O", "O", "B", "I", "I", "O"], ["B", "I", "O"]]))).toEqual([["_", 3, 5], ["_", 8, 9]]);
    for (const average of [null, "micro", "macro", "weighted"] as const) {
      const conll = seqevalScores([["B-ORG", "I-ORG"]], [["I-ORG", "I-ORG"]], { average: average as "micro" }).f1;
      const strict = seqevalScores([["B-ORG", "I-ORG"]], [["I-ORG", "I-ORG"]], { average: average as "micro", mode: "strict", scheme: "IOB2" }).f1;
      expect([conll, strict]).toEqual(average === null ? [[1], [0]] : [1, 0]);
    }
    expect(() => seqevalScores([["O"]], [[]])).toThrow(/1 true tags but 0/);
  });

  it("default-mode averages: sequence_labeling.py docstring (0.5, 0.5, 0.5, 2) for micro/macro/weighted", () => {
    const yTrue = [["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]];
    const yPred = [["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]];
    for (const average of ["micro", "macro", "weighted"] as const) {
      const r = seqevalScores(yTrue, yPred, { average });
      expect([r.precision, r.recall, r.f1, r.support]).toEqual([0.5, 0.5, 0.5, 2]);
    }
    const per = seqevalScores(yTrue, yPred, { average: null });
    expect(per.types).toEqual(["MISC", "PER"]);
    expect(per.f1).toEqual([0, 1]);
    expect(per.support).toEqual([1, 1]);
  });

  it("strict IOB2 scores: tests/test_v1.py test_scores / test_average_scores", () => {
    const yTrue = [["B-A", "B-B", "O", "B-A"]];
    const yPred = [["O", "B-B", "B-C", "B-A"]];
    const per = seqevalScores(yTrue, yPred, { mode: "strict", scheme: "IOB2", average: null });
    expect(per.precision).toEqual([1, 1, 0]);
    expect(per.recall).toEqual([0.5, 1, 0]);
    per.f1.forEach((v, i) => expect(v).toBeCloseTo([0.67, 1, 0][i], 2));
    expect(per.support).toEqual([2, 1, 0]);
    const expected = { micro: [0.67, 0.67, 0.67], macro: [0.67, 0.5, 0.56], weighted: [1.0, 0.67, 0.78] } as const;
    for (const [average, [p, r, f]] of Object.entries(expected)) {
      const s = seqevalScores(yTrue, yPred, { mode: "strict", scheme: "IOB2", average: average as "micro" });
      expect(s.precision).toBeCloseTo(p, 2);
      expect(s.recall).toBeCloseTo(r, 2);
      expect(s.f1).toBeCloseTo(f, 2);
      expect(s.support).toBe(3);
    }
    // test_weighted_true_sum_zero
    const z = seqevalScores([["O"]], [["O"]], { mode: "strict", scheme: "IOB2", average: "weighted" });
    expect([z.precision, z.recall, z.f1, z.support]).toEqual([0, 0, 0, 0]);
  });

  it("bad input: lengths, prefixes the scheme does not allow", () => {
    expect(() => seqevalScores([["B-PER"]], [["B-PER", "O"]], { mode: "strict", scheme: "IOB2" })).toThrow(/sentence 0 has 1 true tags but 2/);
    expect(() => getEntitiesStrict(["S-PER"], "IOB2")).toThrow(/IOB2 does not allow/);
    expect(() => seqevalScores([["B-PER"]], [["B-PER"]], { mode: "strict" })).toThrow(/needs a scheme/);
  });
});
