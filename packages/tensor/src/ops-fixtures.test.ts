// Fixture test: every case of PyTorch's op goldens (models/ops/ops.jsonl) evaluated with tsorch, forward outputs vs goldens.
import { afterAll, describe, expect, it } from "vitest";
import { memoryReport } from "@tsorch/tensor";
import { checkOpsCaseForward, loadOpsFixtures, opsFixturesCandidates, opsFixturesRoot } from "@tsorch/tensor/testing";

const { root, explicit } = opsFixturesRoot();
const fx = loadOpsFixtures(root);
const skip = fx === null && !explicit;
if (skip) console.warn(`ops forward: SKIPPED, no ops.jsonl in ${opsFixturesCandidates(root).join(" or ")} (set TSORCH_FIXTURES to the fixtures folder)`);

describe.skipIf(skip)("op goldens: forward (models/ops)", () => {
  const cases = fx?.cases ?? [];
  let checked = 0;

  it("finds the goldens", () => {
    expect(fx, `TSORCH_FIXTURES=${root} is set but no ops.jsonl + ops.safetensors was found under ${opsFixturesCandidates(root).join(", ")}`).not.toBeNull();
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const results = checkOpsCaseForward(fx!, c);
    for (const r of results) expect(r.ok, `${c.expr}\n${r.message}`).toBe(true);
    checked++;
  });

  it("frees every intermediate (no tensor outlives a case)", () => {
    const before = memoryReport().liveTensors;
    const leaky: string[] = [];
    for (const c of cases) {
      const n = memoryReport().liveTensors;
      try {
        checkOpsCaseForward(fx!, c);
      } catch {
        // Failures are reported by the case's own test.
      }
      if (memoryReport().liveTensors !== n) leaky.push(c.name);
    }
    expect(leaky).toEqual([]);
    expect(memoryReport().liveTensors).toBe(before);
  });

  afterAll(() => {
    console.log(`ops forward: ${checked}/${cases.length} cases checked`);
  });
});
