// Checks accuracy and precision/recall/F-beta against scikit-learn 1.2 numbers written by tools/make-metrics-fixtures.py.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { accuracy, f1Score, precisionRecallFscoreSupport, precisionScore, recallScore, type Average, type Label } from "@tsorch/trainer";

interface PrfCase {
  yTrue: Label[];
  yPred: Label[];
  average: Average;
  zeroDivision: "warn" | 0 | 1;
  beta: number;
  labels?: Label[] | null;
  posLabel?: Label | null;
  precision: number | number[];
  recall: number | number[];
  fscore: number | number[];
  support: number[] | null;
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/sklearn-metrics.json", import.meta.url), "utf8")) as {
  sklearn: string;
  prf: PrfCase[];
  accuracy: Array<{ yTrue: Label[]; yPred: Label[]; accuracy: number }>;
};

function close(a: number | number[], b: number | number[]): void {
  if (Array.isArray(b)) {
    expect(Array.isArray(a)).toBe(true);
    (a as number[]).forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));
  } else expect(a as number).toBeCloseTo(b, 12);
}

describe("classification metrics vs scikit-learn", () => {
  it("precision_recall_fscore_support: every average, zero_division and beta", () => {
    for (const c of fixture.prf) {
      const got = precisionRecallFscoreSupport(c.yTrue, c.yPred, {
        average: c.average,
        zeroDivision: c.zeroDivision,
        beta: c.beta,
        labels: c.labels ?? undefined,
        posLabel: c.posLabel ?? undefined,
      });
      close(got.precision, c.precision);
      close(got.recall, c.recall);
      close(got.fscore, c.fscore);
      expect(got.support).toEqual(c.support);
    }
    console.log(`checked ${fixture.prf.length} precision/recall/F cases against scikit-learn ${fixture.sklearn}`);
    expect(fixture.prf.length).toBeGreaterThan(50);
  });

  it("accuracy", () => {
    for (const c of fixture.accuracy) expect(accuracy(c.yTrue, c.yPred)).toBeCloseTo(c.accuracy, 12);
    console.log(`checked ${fixture.accuracy.length} accuracy cases`);
  });

  it("the single-score helpers pick their field and default to binary", () => {
    expect(precisionScore([0, 1, 1, 0], [1, 1, 0, 0])).toBe(0.5);
    expect(recallScore([0, 1, 1, 0], [1, 1, 1, 0])).toBe(1);
    expect(f1Score([0, 1, 1, 0], [1, 1, 0, 0])).toBe(0.5);
  });

  it("bad input says what to do", () => {
    expect(() => f1Score([0, 1, 2], [0, 1, 2])).toThrow(/average "binary" needs two classes/);
    expect(() => accuracy([0, 1], [0])).toThrow(/one prediction per example/);
  });
});
