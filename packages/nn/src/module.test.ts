// Tests of Module: registration names as state-dict keys, traversal, modes, to(), state dicts, repr.
import { describe, expect, it } from "vitest";
import { arange, manualSeed, ones, randn, tensor, zeros, type Tensor } from "@tsorch/tensor";
import { Embedding, LayerNorm, Linear, Module, ModuleList, ReLU, Sequential, StateDictError, Dropout, ParameterList, ModuleDict, GELU, Conv1d, MultiheadAttention } from "@tsorch/nn";

class SelfAttention extends Module {
  readonly query = this.registerModule("query", new Linear(4, 4));
  readonly key = this.registerModule("key", new Linear(4, 4));
  forward(x: Tensor): Tensor {
    return this.query.forward(x).add(this.key.forward(x));
  }
}

class Block extends Module {
  readonly selfAttn = this.registerModule("self", new SelfAttention());
  readonly layerNorm = this.registerModule("LayerNorm", new LayerNorm(4));
  readonly positionIds = this.registerBuffer("position_ids", arange(0, 8).view(1, 8));
  readonly scratch = this.registerBuffer("scratch", zeros([2]), { persistent: false });
  forward(x: Tensor): Tensor {
    return this.layerNorm.forward(this.selfAttn.forward(x));
  }
}

class Lm extends Module {
  readonly wte = this.registerModule("wte", new Embedding(10, 4));
  readonly layers = this.registerModule("layer", new ModuleList([new Block(), new Block()]));
  readonly lmHead = this.registerModule("lm_head", new Linear(4, 10, { bias: false }));
  constructor() {
    super();
    this.lmHead.weight = this.lmHead.registerParameter("weight", this.wte.weight); // tie
  }
  forward(ids: Tensor): Tensor {
    let h = this.wte.forward(ids);
    for (const b of this.layers) h = b.forward(h);
    return this.lmHead.forward(h);
  }
}

describe("Module", () => {
  it("uses the registered names as state-dict keys and keeps camelCase properties", () => {
    const m = new Lm();
    expect(Object.keys(m.stateDict())).toEqual([
      "wte.weight",
      "layer.0.position_ids", // own buffers come before children, as PyTorch
      "layer.0.self.query.weight",
      "layer.0.self.query.bias",
      "layer.0.self.key.weight",
      "layer.0.self.key.bias",
      "layer.0.LayerNorm.weight",
      "layer.0.LayerNorm.bias",
      "layer.1.position_ids", // own buffers come before children, as PyTorch
      "layer.1.self.query.weight",
      "layer.1.self.query.bias",
      "layer.1.self.key.weight",
      "layer.1.self.key.bias",
      "layer.1.LayerNorm.weight",
      "layer.1.LayerNorm.bias",
      "lm_head.weight",
    ]);
    expect(m.layers.get(0).selfAttn.query.weight.shape).toEqual([4, 4]);
    // The tied weight appears once in parameters, under its first name.
    const names = m.namedParameters().map(([n]) => n);
    expect(names).not.toContain("lm_head.weight");
    expect(names.length).toBe(13);
    expect(m.numParameters()).toBe(40 + 2 * (2 * 20 + 8));
    expect(m.namedBuffers().map(([n]) => n)).toEqual(["layer.0.position_ids", "layer.0.scratch", "layer.1.position_ids", "layer.1.scratch"]);
    expect(m.namedModules().map(([n]) => n)).toEqual(["", "wte", "layer", "layer.0", "layer.0.self", "layer.0.self.query", "layer.0.self.key", "layer.0.LayerNorm", "layer.1", "layer.1.self", "layer.1.self.query", "layer.1.self.key", "layer.1.LayerNorm", "lm_head"]);
    expect(m.children().length).toBe(3);
    expect(m.getParameter("layer.1.self.key.bias")).toBe(m.layers.get(1).selfAttn.key.bias);
    expect(() => m.getSubmodule("layer.7")).toThrow(/no submodule "7"/);
  });

  it("refuses names with dots and duplicate names across kinds", () => {
    class Bad extends Module {
      forward() {}
    }
    const b = new Bad();
    expect(() => b.registerParameter("a.b", zeros([1]))).toThrow(/without "."/);
    b.registerBuffer("x", zeros([1]));
    expect(() => b.registerParameter("x", zeros([1]))).toThrow(/already registered as a buffer/);
  });

  it("switches train / eval recursively, freezes, and zeroes grads", () => {
    const m = new Sequential(new Linear(2, 3), new Dropout(0.5), new ReLU());
    expect(m.training).toBe(true);
    m.eval();
    expect(m.modules().every((x) => !x.training)).toBe(true);
    m.train();
    expect((m.get(1) as Dropout).training).toBe(true);
    m.requiresGrad_(false);
    expect(m.parameters().every((p) => !p.requiresGrad)).toBe(true);
    m.requiresGrad_(true);
    const p = m.parameters()[0];
    p.grad = ones(p.shape);
    m.zeroGrad({ setToNone: false });
    expect(Array.from(p.grad!.dataSync() as Float32Array)).toEqual(new Array(6).fill(0));
    m.zeroGrad();
    expect(p.grad).toBeNull();
    const visited: string[] = [];
    m.apply((x) => visited.push(x.constructor.name));
    expect(visited).toEqual(["Linear", "Dropout", "ReLU", "Sequential"]);
  });

  it("to(dtype) converts floating tensors and updates the properties", () => {
    const m = new Block();
    const before = m.layerNorm.weight;
    m.to("float64");
    expect(m.layerNorm.weight).not.toBe(before);
    expect(m.layerNorm.weight!.dtype).toBe("float64");
    expect(m.layerNorm.weight!.requiresGrad).toBe(true);
    expect(m.stateDict()["LayerNorm.weight"]).toBe(m.layerNorm.weight);
    expect(m.positionIds.dtype).toBe("int64"); // integer buffers are not cast
    expect(m.selfAttn.query.weight.dtype).toBe("float64");
  });

  it("loads a state dict and reports missing, unexpected keys and shape mismatches by key", () => {
    manualSeed(1);
    const a = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
    const b = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
    b.loadStateDict(a.stateDict());
    expect(Array.from(b.get(2).stateDict()["weight"].dataSync() as Float32Array)).toEqual(Array.from((a.get(2) as Linear).weight.dataSync() as Float32Array));
    const sd = { ...a.stateDict() };
    delete sd["2.bias"];
    sd["3.weight"] = zeros([1]);
    let err: unknown;
    try {
      b.loadStateDict(sd);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateDictError);
    expect((err as Error).message).toMatch(/Missing key\(s\) in state_dict: "2.bias"/);
    expect((err as Error).message).toMatch(/Unexpected key\(s\) in state_dict: "3.weight"/);
    expect(b.loadStateDict(sd, { strict: false })).toEqual({ missingKeys: ["2.bias"], unexpectedKeys: ["3.weight"] });
    expect(() => b.loadStateDict({ ...a.stateDict(), "0.weight": zeros([3, 3]) }, { strict: false })).toThrow(
      /size mismatch for 0.weight: copying a param with shape \[3, 3\] from checkpoint, the shape in current model is \[3, 2\]/,
    );
  });

  it("prints PyTorch's module repr", () => {
    const m = new Sequential(new Linear(2, 64), new GELU("tanh"), new Dropout(0.1), new LayerNorm(64, { eps: 1e-12 }), new Linear(64, 2, { bias: false }));
    expect(String(m)).toBe(
      [
        "Sequential(",
        "  (0): Linear(in_features=2, out_features=64, bias=True)",
        "  (1): GELU(approximate='tanh')",
        "  (2): Dropout(p=0.1, inplace=False)",
        "  (3): LayerNorm((64,), eps=1e-12, elementwise_affine=True)",
        "  (4): Linear(in_features=64, out_features=2, bias=False)",
        ")",
      ].join("\n"),
    );
    const nested = new ModuleDict({ enc: new Sequential(new Embedding(5, 3, { paddingIdx: 0 }), new ReLU()), conv: new Conv1d(4, 8, 3, { stride: 2, bias: false }) });
    expect(String(nested)).toBe(
      [
        "ModuleDict(",
        "  (enc): Sequential(",
        "    (0): Embedding(5, 3, padding_idx=0)",
        "    (1): ReLU()",
        "  )",
        "  (conv): Conv1d(4, 8, kernel_size=(3,), stride=(2,), bias=False)",
        ")",
      ].join("\n"),
    );
    expect(String(new MultiheadAttention(8, 2))).toBe(
      "MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)\n)",
    );
    expect(Object.keys(new MultiheadAttention(8, 2).stateDict())).toEqual(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]);
  });

  it("ParameterList and ModuleDict register under indices and names", () => {
    const pl = new ParameterList([randn([2]), tensor([1, 2, 3], { dtype: "float32" })]);
    expect(Object.keys(pl.stateDict())).toEqual(["0", "1"]);
    expect(pl.get(1).requiresGrad).toBe(true);
    const md = new ModuleDict<Module>({ a: new Linear(1, 1) });
    md.set("b", new ReLU());
    expect(md.keys()).toEqual(["a", "b"]);
    expect(Object.keys(md.stateDict())).toEqual(["a.weight", "a.bias"]);
  });
});

describe("forward hooks", () => {
  it("run around forward in call(), may replace args and output, and can be removed", () => {
    const fc = new Linear(2, 2);
    const seen: string[] = [];
    const h1 = fc.registerForwardPreHook((_m, args) => {
      seen.push("pre");
      return [(args[0] as Tensor).mul(0)];
    });
    const h2 = fc.registerForwardHook((m, _args, out) => {
      seen.push(`post ${m.outFeatures}`);
      return (out as Tensor).add(1);
    });
    const y = fc.call(ones([1, 2]));
    expect(seen).toEqual(["pre", "post 2"]);
    const b = fc.bias!.dataSync() as Float32Array;
    expect(Array.from(y.dataSync() as Float32Array)).toEqual([b[0] + 1, b[1] + 1].map(Math.fround));
    h1.remove();
    h2.remove();
    const seq = new Sequential(fc, new ReLU());
    const feats: Tensor[] = [];
    fc.registerForwardHook((_m, _a, out) => void feats.push(out as Tensor));
    seq.forward(ones([1, 2]));
    expect(feats.length).toBe(1); // Sequential calls its children through their hooks
  });
});
