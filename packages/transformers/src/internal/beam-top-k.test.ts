// topCandidates against the full sort it replaces (torch.topk's order: larger first, lower flat index on ties).
import { describe, expect, it } from "vitest";
import { topCandidates } from "./beam-top-k.js";

function bySort(rows: Float32Array[], beamScores: number[], k: number) {
  const all: { score: number; token: number; beam: number }[] = [];
  rows.forEach((r, j) => r.forEach((x, t) => all.push({ score: Math.fround(x + beamScores[j]), token: t, beam: j })));
  const V = rows[0].length;
  all.sort((a, c) => c.score - a.score || a.beam * V + a.token - (c.beam * V + c.token));
  return all.slice(0, k);
}

describe("topCandidates", () => {
  it("equals sorting all beams·V candidates, with ties, -Infinity rows and k above the finite count", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let cases = 0;
    for (const beams of [1, 2, 3, 5])
      for (const V of [1, 4, 37, 300])
        for (const k of [1, 2, 6, 10]) {
          if (k > beams * V) continue;
          for (let rep = 0; rep < 5; rep++) {
            // Coarse values make ties common; some -Infinity entries as after bad-words or min-length masking.
            const rows = Array.from({ length: beams }, () => Float32Array.from({ length: V }, () => (rnd() < 0.2 ? -Infinity : Math.round(rnd() * 8) / 4 - 2)));
            const bs = Array.from({ length: beams }, (_, j) => (j === 0 ? 0 : rep % 2 ? -1e9 : Math.round(rnd() * 4) / 4));
            expect(topCandidates(rows, bs, k)).toEqual(bySort(rows, bs, k));
            cases++;
          }
        }
    console.log(`topCandidates vs sort: ${cases} cases`);
    expect(cases).toBeGreaterThan(200);
  });
});
