// optimizer.stateDict() through safetensors + JSON: a restored optimizer continues exactly as the original; generator state through JSON.
import { describe, expect, it } from "vitest";
import { generatorStateFromJSON, generatorStateToJSON, getRngState, loadSafetensors, manualSeed, parseSafetensorsHeader, randn, saveSafetensorsSync, setRngState, type Tensor } from "@tsorch/tensor";
import "@tsorch/autograd";
import { Adam, SGD, optimizerStateFromSafetensors, optimizerStateToSafetensors, type Optimizer as OptimizerBase } from "@tsorch/optim";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any optimizer, whatever its option type
type Optimizer = OptimizerBase<any>;

function train(opt: Optimizer, params: Tensor[], steps: number): void {
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    params.reduce((acc: Tensor | null, p) => (acc ? acc.add(p.pow(2).sum()) : p.pow(2).sum()), null)!.backward();
    opt.step();
  }
}

/** Writes a stateDict to safetensors bytes and reads it back as a stateDict (the JSON part through a string). */
function roundTrip(opt: Optimizer) {
  const { tensors, metadata } = optimizerStateToSafetensors(opt.stateDict());
  const bytes = saveSafetensorsSync(tensors, metadata);
  const meta = JSON.parse(JSON.stringify(parseSafetensorsHeader(bytes).metadata)) as Record<string, string>;
  return optimizerStateFromSafetensors(loadSafetensors(bytes), meta);
}

describe("optimizer state through safetensors + JSON", () => {
  for (const [label, make] of [
    ["Adam (amsgrad, two groups)", (ps: Tensor[]) => new Adam([{ params: [ps[0]] }, { params: [ps[1]], lr: 0.05 }], { lr: 0.1, amsgrad: true })],
    ["SGD momentum", (ps: Tensor[]) => new SGD(ps, { lr: 0.1, momentum: 0.9 })],
  ] as const) {
    it(`${label}: a restored copy continues bit for bit`, () => {
      manualSeed(3);
      const a = [randn([3, 2]).requiresGrad_(), randn([4]).requiresGrad_()];
      const b = a.map((p) => p.detach().clone().requiresGrad_());
      const optA = make(a);
      train(optA, a, 3);
      const optB = make(b);
      b.forEach((p, i) => p.detach().copy_(a[i].detach()));
      optB.loadStateDict(roundTrip(optA));
      train(optA, a, 2);
      train(optB, b, 2);
      a.forEach((p, i) => expect(Array.from(b[i].dataSync() as Float32Array)).toEqual(Array.from(p.dataSync() as Float32Array)));
      expect(optB.paramGroups.map((g) => (g as { lr: number }).lr)).toEqual(optA.paramGroups.map((g) => (g as { lr: number }).lr));
    });
  }

  it("refuses a file without the optimizer metadata, saying what it expected", () => {
    expect(() => optimizerStateFromSafetensors({}, {})).toThrow(/no "tsorch.optimizer" entry/);
  });
});

describe("generator state through JSON", () => {
  it("getRngState -> JSON -> setRngState replays the same numbers", () => {
    manualSeed(11);
    randn([5]);
    const saved = JSON.stringify(generatorStateToJSON(getRngState()));
    const first = Array.from(randn([4]).dataSync() as Float32Array);
    setRngState(generatorStateFromJSON(JSON.parse(saved)));
    expect(Array.from(randn([4]).dataSync() as Float32Array)).toEqual(first);
    expect(() => generatorStateFromJSON({ seed: "x", offset: 0 })).toThrow(/decimal digits/);
  });
});
