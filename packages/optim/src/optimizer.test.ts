// Tests of the optimizer and scheduler machinery: option checks by name, zeroGrad, groups, state dicts that resume exactly.
import { describe, expect, it } from "vitest";
import { fromTypedArray, manualSeed, randn, zeros, type Tensor } from "@tsorch/tensor";
import { Adagrad, Adam, AdamW, CosineAnnealingLR, getLinearScheduleWithWarmup, OneCycleLR, RMSprop, SGD, type Optimizer } from "@tsorch/optim";

describe("option checks", () => {
  const p = () => [zeros([2]).requiresGrad_()];
  it.each([
    [() => new SGD(p(), { lr: -1 }), /SGD: Invalid learning rate: -1/],
    [() => new SGD(p(), { lr: 0.1, momentum: -0.5 }), /Invalid momentum value: -0.5/],
    [() => new SGD(p(), { lr: 0.1, nesterov: true }), /Nesterov momentum requires a momentum and zero dampening/],
    [() => new Adam(p(), { betas: [1, 0.999] }), /Adam: Invalid beta parameter at index 0: 1/],
    [() => new AdamW(p(), { betas: [0.9, -0.1] }), /AdamW: Invalid beta parameter at index 1: -0.1/],
    [() => new Adam(p(), { eps: -1e-8 }), /Invalid epsilon value: -1e-8/],
    [() => new AdamW(p(), { weightDecay: -0.01 }), /Invalid weight_decay value: -0.01/],
    [() => new Adam(p(), { lr: NaN }), /Invalid learning rate: NaN/],
    [() => new Adagrad(p(), { lrDecay: -1 }), /Invalid lr_decay value: -1/],
    [() => new Adagrad(p(), { initialAccumulatorValue: -1 }), /Invalid initial_accumulator_value value: -1/],
    [() => new RMSprop(p(), { alpha: -0.1 }), /Invalid alpha value: -0.1/],
    [() => new SGD([], { lr: 0.1 }), /empty parameter list/],
    [() => new SGD([{ params: [zeros([1]).requiresGrad_()], lr: -3 }], { lr: 0.1 }), /Invalid learning rate: -3/],
  ])("rejects %#", (make, msg) => {
    expect(make).toThrow(msg);
  });

  it("refuses a parameter in two groups", () => {
    const w = zeros([2]).requiresGrad_();
    expect(() => new SGD([{ params: [w] }, { params: [w] }], { lr: 0.1 })).toThrow(/more than one parameter group/);
  });
});

function setup(seed: number): { params: Tensor[]; grads: Tensor[][] } {
  manualSeed(seed);
  const params = [randn([3, 2]).requiresGrad_(), randn([2]).requiresGrad_()];
  const grads = Array.from({ length: 10 }, () => [randn([3, 2]), randn([2])]);
  return { params, grads };
}

function stepWith(opt: Optimizer<object>, params: Tensor[], grads: Tensor[]): void {
  params.forEach((p, i) => (p.grad = grads[i].clone()));
  opt.step();
}

describe("state dicts", () => {
  for (const [name, make] of [
    ["AdamW amsgrad", (ps: Tensor[]) => new AdamW(ps, { lr: 0.01, amsgrad: true })],
    ["SGD nesterov", (ps: Tensor[]) => new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true })],
    ["RMSprop centered", (ps: Tensor[]) => new RMSprop(ps, { lr: 0.01, centered: true, momentum: 0.5 })],
    ["Adagrad", (ps: Tensor[]) => new Adagrad(ps, { lr: 0.1, lrDecay: 0.01 })],
  ] as const) {
    it(`${name}: training resumes exactly from stateDict()`, () => {
      const a = setup(3);
      const optA = make(a.params);
      for (const g of a.grads) stepWith(optA, a.params, g);

      const b = setup(3);
      const optB = make(b.params);
      for (const g of b.grads.slice(0, 5)) stepWith(optB, b.params, g);
      const saved = optB.stateDict();
      const copies = b.params.map((p) => p.clone().detach());
      // A fresh model and optimizer, loaded from the checkpoint.
      const c = copies.map((t) => t.requiresGrad_());
      const optC = make(c);
      optC.loadStateDict(saved);
      for (const g of b.grads.slice(5)) stepWith(optC, c, g);
      c.forEach((p, i) => expect(Array.from(p.dataSync() as Float32Array)).toEqual(Array.from(a.params[i].dataSync() as Float32Array)));
    });
  }

  it("refuses a state saved for other parameters, by key", () => {
    const a = setup(1);
    const opt = new Adam(a.params, { lr: 0.01 });
    stepWith(opt, a.params, a.grads[0]);
    const sd = opt.stateDict();
    const other = new Adam([zeros([3, 2]).requiresGrad_(), zeros([5]).requiresGrad_()], { lr: 0.01 });
    expect(() => other.loadStateDict(sd)).toThrow(/state\[1\]\.expAvg has shape \[2\] but parameter 1 has shape \[5\]/);
    const fewer = new Adam([zeros([3, 2]).requiresGrad_()], { lr: 0.01 });
    expect(() => fewer.loadStateDict(sd)).toThrow(/paramGroups\[0\] has 2 parameters in the loaded state dict but 1 here/);
    const twoGroups = new Adam([{ params: [zeros([3, 2]).requiresGrad_()] }, { params: [zeros([2]).requiresGrad_()] }], { lr: 0.01 });
    expect(() => twoGroups.loadStateDict(sd)).toThrow(/has 1 parameter group\(s\), this optimizer has 2/);
  });

  it("zeroGrad sets to null or zeroes in place", () => {
    const w = zeros([2]).requiresGrad_();
    const opt = new SGD([w], { lr: 0.1 });
    w.grad = fromTypedArray(Float32Array.of(1, 2), [2]);
    opt.zeroGrad({ setToNone: false });
    expect(Array.from(w.grad!.dataSync() as Float32Array)).toEqual([0, 0]);
    opt.zeroGrad();
    expect(w.grad).toBeNull();
  });

  it("schedulers resume from their state dicts", () => {
    for (const make of [
      (o: Optimizer<object>) => new CosineAnnealingLR(o, { tMax: 10, etaMin: 0.01 }),
      (o: Optimizer<object>) => new OneCycleLR(o, { maxLr: 0.5, totalSteps: 40 }),
      (o: Optimizer<object>) => getLinearScheduleWithWarmup(o, { numWarmupSteps: 5, numTrainingSteps: 40 }),
    ]) {
      const o1 = new SGD([zeros([1]).requiresGrad_()], { lr: 0.1, momentum: 0.9 });
      const s1 = make(o1);
      const full: number[] = [];
      for (let i = 0; i < 30; i++) (s1.step(), full.push(s1.getLastLr()[0]));
      const o2 = new SGD([zeros([1]).requiresGrad_()], { lr: 0.1, momentum: 0.9 });
      const s2 = make(o2);
      for (let i = 0; i < 12; i++) s2.step();
      const o3 = new SGD([zeros([1]).requiresGrad_()], { lr: 0.1, momentum: 0.9 });
      const s3 = make(o3);
      s3.loadStateDict(s2.stateDict());
      o3.loadStateDict(o2.stateDict());
      const rest: number[] = [];
      for (let i = 12; i < 30; i++) (s3.step(), rest.push(s3.getLastLr()[0]));
      expect(rest).toEqual(full.slice(12));
    }
  });
});
