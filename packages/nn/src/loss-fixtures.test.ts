// Fixture test: every loss case of PyTorch's op goldens (models/ops/ops.jsonl) run through nn's loss modules, forward and backward.
import { afterAll, describe, expect, it } from "vitest";
import { logSoftmax, type Tensor } from "@tsorch/tensor";
import { compareWithGolden, loadOpsFixtures, opsFixturesCandidates, opsFixturesRoot, opsTensor, parsePyExpr, type OpsCase, type PyNode } from "@tsorch/tensor/testing";
import { BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss, type Module } from "@tsorch/nn";

/** F.<name> -> a loss module built from the call's keyword arguments (PyTorch's names). */
const LOSSES: Record<string, (kw: Record<string, unknown>) => Module> = {
  cross_entropy: (k) => new CrossEntropyLoss({ weight: k.weight as Tensor, ignoreIndex: k.ignore_index as number, reduction: k.reduction as never, labelSmoothing: k.label_smoothing as number }),
  nll_loss: (k) => new NLLLoss({ weight: k.weight as Tensor, ignoreIndex: k.ignore_index as number, reduction: k.reduction as never }),
  mse_loss: (k) => new MSELoss((k.reduction as never) ?? "mean"),
  l1_loss: (k) => new L1Loss((k.reduction as never) ?? "mean"),
  smooth_l1_loss: (k) => new SmoothL1Loss({ reduction: k.reduction as never, beta: k.beta as number }),
  huber_loss: (k) => new HuberLoss({ reduction: k.reduction as never, delta: k.delta as number }),
  binary_cross_entropy: (k) => new BCELoss({ weight: k.weight as Tensor, reduction: k.reduction as never }),
  binary_cross_entropy_with_logits: (k) => new BCEWithLogitsLoss({ weight: k.weight as Tensor, posWeight: k.pos_weight as Tensor, reduction: k.reduction as never }),
  kl_div: (k) => new KLDivLoss({ reduction: k.reduction as never, logTarget: k.log_target as boolean }),
};

const lossName = (n: PyNode): string | null =>
  n.t === "call" && n.fn.t === "attr" && n.fn.obj.t === "name" && n.fn.obj.id === "F" && n.fn.name in LOSSES ? n.fn.name : null;

/** Evaluates the few argument forms loss cases use: inputs, params, literals, and F.log_softmax / F.softmax / .sigmoid(). */
function arg(n: PyNode, env: Record<string, unknown>): unknown {
  switch (n.t) {
    case "name":
      if (!(n.id in env)) throw new Error(`unknown name ${n.id}`);
      return env[n.id];
    case "num":
    case "str":
    case "const":
      return n.v;
    case "unary":
      if (n.op === "-") return -(arg(n.x, env) as number);
      break;
    case "call": {
      const args = n.args.map((a) => arg(a, env));
      if (n.fn.t === "attr" && n.fn.obj.t === "name" && n.fn.obj.id === "F" && n.fn.name === "log_softmax") return logSoftmax(args[0] as Tensor, args[1] as number);
      if (n.fn.t === "attr" && n.fn.obj.t === "name" && n.fn.obj.id === "F" && n.fn.name === "softmax") return (args[0] as Tensor).softmax(args[1] as number);
      if (n.fn.t === "attr" && n.fn.name === "sigmoid" && args.length === 0) return (arg(n.fn.obj, env) as Tensor).sigmoid();
      break;
    }
  }
  throw new Error(`loss fixtures: unsupported argument form ${JSON.stringify(n)}`);
}

const { root, explicit } = opsFixturesRoot();
const fx = loadOpsFixtures(root);
const skip = fx === null && !explicit;
if (skip) console.warn(`nn loss fixtures: SKIPPED, no ops.jsonl in ${opsFixturesCandidates(root).join(" or ")} (set TSORCH_FIXTURES to the fixtures folder)`);

describe.skipIf(skip)("nn losses match the op goldens (models/ops)", () => {
  const cases = (fx?.cases ?? []).filter((c) => {
    try {
      return lossName(parsePyExpr(c.expr)) !== null;
    } catch {
      return false;
    }
  });
  let checked = 0;

  it("finds loss cases", () => {
    expect(fx, `TSORCH_FIXTURES=${root} is set but no ops.jsonl was found`).not.toBeNull();
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c: OpsCase) => {
    const node = parsePyExpr(c.expr) as Extract<PyNode, { t: "call" }>;
    const env: Record<string, unknown> = { ...c.params };
    const inputs: Record<string, Tensor> = {};
    for (const [name, ref] of Object.entries(c.inputs)) {
      const t = opsTensor(fx!, ref.key).clone();
      if (ref.requires_grad) t.requiresGrad_();
      inputs[name] = env[name] = t;
    }
    const kw = Object.fromEntries(node.kwargs.map(([k, v]) => [k, arg(v, env)]));
    const module = LOSSES[lossName(node)!](kw);
    const [input, target] = node.args.map((a) => arg(a, env) as Tensor);
    const out = (module as unknown as { forward(a: Tensor, b: Tensor): Tensor }).forward(input, target);
    const r = compareWithGolden(out, opsTensor(fx!, c.outputs[0].key), c.outputs[0], `${c.name} forward`);
    expect(r.ok, `${c.expr}\n${r.message}`).toBe(true);
    if (c.grads && c.upstream?.length) {
      out.mul(opsTensor(fx!, c.upstream[0].key)).sum().backward();
      for (const [name, ref] of Object.entries(c.grads)) {
        const g = compareWithGolden(inputs[name].grad!, opsTensor(fx!, ref.key), ref, `${c.name} grad ${name}`);
        expect(g.ok, `${c.expr}\n${g.message}`).toBe(true);
      }
    }
    checked++;
  });

  afterAll(() => console.log(`nn loss fixtures: ${checked}/${cases.length} cases checked (forward and input gradients)`));
});
