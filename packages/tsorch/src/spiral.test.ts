// End to end: an MLP classifier (nn + autograd + AdamW) learns a synthetic 2-class spiral to >= 95 % accuracy in seconds.
import { describe, expect, it } from "vitest";
import * as torch from "tsorch";

const { nn, optim } = torch;

/** Two interleaved spirals (cs231n style): class k follows angle 4k..4k+4 with radius 0..1, plus angle noise. */
function spiral(perClass: number): { x: torch.Tensor; y: torch.Tensor } {
  const noise = torch.randn([2 * perClass]).mul(0.2);
  const n = noise.dataSync() as Float32Array;
  noise.dispose();
  const xs = new Float32Array(4 * perClass);
  const ys = new BigInt64Array(2 * perClass);
  for (let k = 0; k < 2; k++)
    for (let i = 0; i < perClass; i++) {
      const j = k * perClass + i;
      const r = i / (perClass - 1);
      const t = 4 * k + (4 * i) / (perClass - 1) + n[j];
      xs[2 * j] = r * Math.sin(t);
      xs[2 * j + 1] = r * Math.cos(t);
      ys[j] = BigInt(k);
    }
  return { x: torch.fromTypedArray(xs, [2 * perClass, 2]), y: torch.fromTypedArray(ys, [2 * perClass]) };
}

describe("spiral MLP", () => {
  it("reaches >= 95 % accuracy", () => {
    torch.manualSeed(0);
    const { x, y } = spiral(200);
    const model = new nn.Sequential(new nn.Linear(2, 64), new nn.ReLU(), new nn.Linear(64, 64), new nn.ReLU(), new nn.Linear(64, 2));
    const opt = new optim.AdamW(model.parameters(), { lr: 0.01, weightDecay: 0 });
    const lossFn = new nn.CrossEntropyLoss();
    const start = performance.now();
    const before = torch.memoryReport().liveTensors;
    let first = 0;
    let last = 0;
    for (let step = 0; step < 400; step++) {
      const loss = torch.scope(() => {
        opt.zeroGrad();
        const l = lossFn.forward(model.forward(x), y);
        l.backward();
        opt.step();
        return l;
      });
      const v = loss.itemSync() as number;
      loss.dispose();
      if (step === 0) first = v;
      last = v;
    }
    opt.zeroGrad();
    // The loop's memory is flat: only the optimizer state (2 moments per parameter) remains.
    expect(torch.memoryReport().liveTensors - before).toBe(2 * model.parameters().length);
    const acc = torch.noGrad(() =>
      torch.scope(() => (model.forward(x).argmax(-1).eq(y).to("float32").mean().itemSync() as number)),
    );
    console.log(`spiral: loss ${first.toFixed(3)} -> ${last.toFixed(4)}, accuracy ${(acc * 100).toFixed(1)} % in ${((performance.now() - start) / 1000).toFixed(2)} s`);
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });
});
