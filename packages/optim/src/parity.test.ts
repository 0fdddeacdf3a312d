// Parity with PyTorch: 10 steps of every optimizer x main options, and 100-step LR sequences of every scheduler (fixtures by tools/make-optim-fixtures.py).
import { afterAll, describe, expect, it } from "vitest";
import { fromTypedArray, memoryReport, zeros, type Tensor } from "@tsorch/tensor";
import {
  Adagrad,
  Adam,
  AdamW,
  CosineAnnealingLR,
  ExponentialLR,
  getConstantScheduleWithWarmup,
  getCosineScheduleWithWarmup,
  getCosineWithHardRestartsScheduleWithWarmup,
  getInverseSqrtSchedule,
  getLinearScheduleWithWarmup,
  getPolynomialDecayScheduleWithWarmup,
  LambdaLR,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  RMSprop,
  SequentialLR,
  setFusedOptimizersEnabled,
  SGD,
  StepLR,
  type LRScheduler,
  type Optimizer,
} from "@tsorch/optim";
import optimizerFixtures from "./fixtures/optimizers.json" with { type: "json" };
import schedulerFixtures from "./fixtures/schedulers.json" with { type: "json" };

type OptCase = (typeof optimizerFixtures.cases)[number];
const CLASSES = { SGD, Adam, AdamW, Adagrad, RMSprop } as unknown as Record<string, new (p: unknown, o: Record<string, unknown>) => Optimizer<object>>;

function runCase(c: OptCase): number {
  const params = c.init.map((v, i) => fromTypedArray(Float32Array.from(v), c.shapes[i]).requiresGrad_());
  const Cls = CLASSES[c.optimizer];
  const opt = c.groups
    ? new Cls(c.groups.map((g, i) => ({ params: [params[i]], ...g })), c.options as Record<string, unknown>)
    : new Cls(params, c.options as Record<string, unknown>);
  let worst = 0;
  for (let s = 0; s < c.grads.length; s++) {
    params.forEach((p, i) => {
      p.grad?.dispose();
      p.grad = fromTypedArray(Float32Array.from(c.grads[s][i]), c.shapes[i]);
    });
    opt.step();
    params.forEach((p, i) => {
      const got = p.dataSync() as Float32Array;
      const want = c.after[s][i];
      for (let j = 0; j < want.length; j++) {
        const err = Math.abs(got[j] - want[j]) / Math.max(1, Math.abs(want[j]));
        worst = Math.max(worst, err);
        if (err > 2e-6)
          throw new Error(`${c.optimizer} ${JSON.stringify(c.options)} step ${s + 1} param ${i}[${j}]: ${got[j]} vs PyTorch ${want[j]}`);
      }
    });
  }
  opt.zeroGrad();
  for (const st of opt.state.values()) for (const v of Object.values(st)) if (typeof v === "object") (v as Tensor).dispose();
  params.forEach((p) => p.dispose());
  return worst;
}

describe("optimizers match PyTorch 1.13 over 10 steps", () => {
  let checked = 0;
  let worst = 0;
  for (const fused of [true, false]) {
    it.each(optimizerFixtures.cases.map((c) => [`${c.optimizer} ${JSON.stringify(c.options)}${c.groups ? ` groups ${JSON.stringify(c.groups)}` : ""}`, c] as const))(
      `%s (${fused ? "fused kernel where registered" : "tensor ops"})`,
      (_n, c) => {
        setFusedOptimizersEnabled(fused);
        try {
          const before = memoryReport().liveTensors;
          worst = Math.max(worst, runCase(c));
          expect(memoryReport().liveTensors).toBe(before);
          checked++;
        } finally {
          setFusedOptimizersEnabled(true);
        }
      },
    );
  }
  afterAll(() => console.log(`optimizer parity: ${checked} runs of ${optimizerFixtures.cases.length} cases x 10 steps, worst relative error ${worst.toExponential(2)}`));
});

type SchedSpec = { kind: string; args?: Record<string, unknown>; optimizer?: string };
const LAMBDAS: Record<string, (e: number) => number> = {
  exp095: (e) => 0.95 ** e,
  step10: (e) => 1 / (1 + Math.floor(e / 10)),
};

function makeScheduler(opt: Optimizer<object>, spec: SchedSpec): LRScheduler {
  // The fixture args are spelled as the constructors take them; their exact types are checked by the constructors at run time.
  const a = (spec.args ?? {}) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  switch (spec.kind) {
    case "LambdaLR":
      return new LambdaLR(opt, LAMBDAS[a.lambda]);
    case "StepLR":
      return new StepLR(opt, a);
    case "MultiStepLR":
      return new MultiStepLR(opt, a);
    case "ExponentialLR":
      return new ExponentialLR(opt, a);
    case "LinearLR":
      return new LinearLR(opt, a);
    case "CosineAnnealingLR":
      return new CosineAnnealingLR(opt, a);
    case "OneCycleLR":
      return new OneCycleLR(opt, a);
    case "SequentialLR":
      return new SequentialLR(opt, (a.schedulers as SchedSpec[]).map((s) => makeScheduler(opt, s)), a.milestones);
    case "hf": {
      const name = a.name as string;
      if (name === "linear") return getLinearScheduleWithWarmup(opt, a);
      if (name === "cosine") return getCosineScheduleWithWarmup(opt, a);
      if (name === "cosineWithHardRestarts3") return getCosineWithHardRestartsScheduleWithWarmup(opt, { ...(a as object), numCycles: 3 } as never);
      if (name === "constantWithWarmup") return getConstantScheduleWithWarmup(opt, a);
      if (name === "polynomial") return getPolynomialDecayScheduleWithWarmup(opt, a);
      if (name === "inverseSqrt") return getInverseSqrtSchedule(opt, a);
    }
  }
  throw new Error(`unknown scheduler ${spec.kind}`);
}

function makeOptimizer(kind: string): Optimizer<object> {
  const p1 = zeros([2]).requiresGrad_();
  const p2 = zeros([2]).requiresGrad_();
  return kind === "Adam"
    ? new Adam([{ params: [p1] }, { params: [p2], lr: 0.005 }], { lr: 0.01 })
    : new SGD([{ params: [p1] }, { params: [p2], lr: 0.01 }], { lr: 0.1, momentum: 0.9 });
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

describe("schedulers match PyTorch 1.13 over 100 steps", () => {
  let checked = 0;
  it.each(schedulerFixtures.cases.map((c) => [`${c.kind} ${JSON.stringify(c.args)}`, c] as const))("%s", (_n, c) => {
    const opt = makeOptimizer(c.optimizer);
    const sched = makeScheduler(opt, c as SchedSpec);
    const seq = [sched.getLastLr()];
    const mom = [momenta(opt)];
    for (let i = 0; i < 100; i++) {
      sched.step();
      seq.push(sched.getLastLr());
      mom.push(momenta(opt));
    }
    seq.forEach((lrs, i) => lrs.forEach((lr, g) => expect(close(lr, c.lrs[i][g]), `step ${i} group ${g}: ${lr} vs PyTorch ${c.lrs[i][g]}`).toBe(true)));
    mom.forEach((ms, i) => ms.forEach((m, g) => expect(close(m, c.momenta[i][g] as number), `momentum at step ${i} group ${g}: ${m} vs ${c.momenta[i][g]}`).toBe(true)));
    checked++;
  });
  afterAll(() => console.log(`scheduler parity: ${checked}/${schedulerFixtures.cases.length} schedules x 100 steps`));
});

function momenta(opt: Optimizer<object>): number[] {
  return opt.paramGroups.map((g) => {
    const r = g as unknown as { betas?: number[]; momentum?: number };
    return r.betas ? r.betas[0] : (r.momentum as number);
  });
}
