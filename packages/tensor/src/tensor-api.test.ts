// Unit tests of the Tensor API the op goldens don't reach: creation, views, repr, promotion, errors, dtypes, RNG and memory.
import { describe, expect, it } from "vitest";
import {
  Tensor,
  add,
  arange,
  createCpuBackend,
  fromTypedArray,
  gather,
  hasBackend,
  indexSelect,
  keep,
  manualSeed,
  matmul,
  memoryReport,
  rand,
  randn,
  registerBackend,
  scope,
  sl,
  tensor,
  zeros,
} from "@tsorch/tensor";

const values = (t: Tensor) => Array.from(t.dataSync() as ArrayLike<number>);

describe("creation", () => {
  it("builds tensors from nested arrays, typed arrays and scalars", () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.tolistSync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    const f = tensor(new Float32Array([1.5, 2.5]));
    expect([f.dtype, f.shape]).toEqual(["float32", [2]]);
    const i = tensor(new Int32Array([7, 8, 9]));
    expect(i.dtype).toBe("int32");
    const s = tensor(3.25);
    expect([s.shape, s.itemSync()]).toEqual([[], 3.25]);
    expect(tensor([]).shape).toEqual([0]);
  });

  it("copies a typed array given to tensor() (fromTypedArray takes it as is)", () => {
    const src = new Float32Array([1, 2]);
    const t = tensor(src);
    src[0] = 9;
    expect(values(t)).toEqual([1, 2]);
    const w = fromTypedArray(new Float32Array([1, 2, 3, 4]), [2, 2]);
    expect(w.tolistSync()).toEqual([[1, 2], [3, 4]]);
  });

  it("infers dtypes as torch.tensor does", () => {
    expect(tensor([1, 2]).dtype).toBe("int64");
    expect(tensor([1, 2.5]).dtype).toBe("float32");
    expect(tensor([true, false]).dtype).toBe("bool");
    expect(tensor([1n, 2n]).dtype).toBe("int64");
    expect(tensor([[1, 2]], { dtype: "float64" }).dtype).toBe("float64");
  });

  it("rejects ragged nested arrays with the path of the bad row", () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/expected sequence of length 2 at dim 1 \(got 1\) at data\[1\]/);
    expect(() => tensor([[1, 2], 3] as never)).toThrow(/expected a sequence at data\[1\]/);
  });
});

describe("views share storage", () => {
  const base = () => arange(0, 24, 1, { dtype: "float32" }).view(2, 3, 4);

  it("view / transpose / expand / permute alias the input", () => {
    const x = base();
    for (const v of [x.view(6, 4), x.transpose(0, 2), x.permute(2, 0, 1), x.unsqueeze(0).expand(5, -1, -1, -1), x.flatten()])
      expect(v.storage).toBe(x.storage);
    const e = tensor([[1], [2]], { dtype: "float32" }).expand(2, 3);
    expect(e.stride()).toEqual([1, 0]);
  });

  it("slice, narrow, select and index(sl()) are views: writes show through", () => {
    const x = base();
    x.narrow(2, 1, 2).fill_(-1);
    const want = (base().tolistSync() as number[][][]).map((m) => m.map((r) => [r[0], -1, -1, r[3]]));
    expect(x.tolistSync()).toEqual(want);
    const y = base();
    const sel = y.select(1, -1); // y[:, -1]
    expect(sel.shape).toEqual([2, 4]);
    expect(sel.storage).toBe(y.storage);
    sel.fill_(100);
    expect(y.index(0, 2).tolistSync()).toEqual([100, 100, 100, 100]);
    const z = base();
    const v = z.index("...", sl(null, null, 2), sl(1, -1)); // z[..., ::2, 1:-1]
    expect(v.shape).toEqual([2, 2, 2]);
    expect(v.storage).toBe(z.storage);
    expect(v.tolistSync()).toEqual([[[1, 2], [9, 10]], [[13, 14], [21, 22]]]);
    v.fill_(0);
    expect(values(z).filter((n) => n === 0).length).toBe(8 + 1);
    const s = z.slice(0, 1);
    expect([s.shape, s.offset]).toEqual([[1, 3, 4], 12]);
  });

  it("index with a tensor gathers a copy; index with null adds a dim", () => {
    const x = base();
    const g = x.index(tensor([1, 0]));
    expect(g.shape).toEqual([2, 3, 4]);
    expect(g.storage).not.toBe(x.storage);
    expect(x.index(null, 0).shape).toEqual([1, 3, 4]);
  });
});

describe("repr (toString) follows PyTorch", () => {
  it.each([
    [tensor([[1, 2], [3, 4]], { dtype: "float32" }), "tensor([[1., 2.],\n        [3., 4.]])"],
    [tensor([0.12345, 1]), "tensor([0.1235, 1.0000])"],
    [tensor([1, 2, 3]), "tensor([1, 2, 3])"],
    [tensor([1, 2, 3], { dtype: "int32" }), "tensor([1, 2, 3], dtype=torch.int32)"],
    [tensor([1.5, 2], { requiresGrad: true }), "tensor([1.5000, 2.0000], requires_grad=True)"],
    [tensor([true, false]), "tensor([ True, False])"],
    [tensor(3.5), "tensor(3.5000)"],
    [tensor([1e-5, 1]), "tensor([1.0000e-05, 1.0000e+00])"],
    [tensor([[1.5, -2.25], [3, 4]]), "tensor([[ 1.5000, -2.2500],\n        [ 3.0000,  4.0000]])"],
    [tensor([1, 2], { dtype: "float64" }), "tensor([1., 2.], dtype=torch.float64)"],
    [tensor([1, 2000], { dtype: "float32" }), "tensor([1.0000e+00, 2.0000e+03])"],
    [tensor([1, -Infinity]), "tensor([1., -inf])"],
    [tensor([NaN, 1.5, -Infinity]), "tensor([   nan, 1.5000,   -inf])"],
    [tensor([0.03125, 1.03125, -0.15625, 0.5]), "tensor([ 0.0312,  1.0312, -0.1562,  0.5000])"],
    [tensor([], { dtype: "int64" }), "tensor([], dtype=torch.int64)"],
    [zeros([2, 0]), "tensor([], size=(2, 0))"],
    [
      arange(0, 30),
      "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n" +
        "        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])",
    ],
    [
      arange(0, 2000, 1, { dtype: "float32" }),
      "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])",
    ],
    [arange(0, 1001), "tensor([   0,    1,    2,  ...,  998,  999, 1000])"],
  ])("%#: %s", (t, want) => {
    expect(String(t)).toBe(want);
  });

  it("summarizes big tensors from the shown elements only, and wraps suffixes past 80 columns", () => {
    const big = zeros([1_000_000]);
    expect(String(big)).toBe("tensor([0., 0., 0.,  ..., 0., 0., 0.])");
    const g = arange(0, 12, 1, { dtype: "float32" }).add(0.5).requiresGrad_();
    expect(String(g)).toBe(
      "tensor([ 0.5000,  1.5000,  2.5000,  3.5000,  4.5000,  5.5000,  6.5000,  7.5000,\n" +
        "         8.5000,  9.5000, 10.5000, 11.5000], requires_grad=True)",
    );
    const h = arange(0, 16, 1, { dtype: "float32" }).add(0.5).requiresGrad_();
    expect(String(h).endsWith("15.5000],\n       requires_grad=True)")).toBe(true);
  });
});

describe("type promotion", () => {
  it("follows torch.result_type", () => {
    expect(add(tensor([1, 2], { dtype: "int32" }), tensor([1.5, 2.5])).dtype).toBe("float32");
    expect(tensor([1, 2]).add(1.5).dtype).toBe("float32");
    expect(tensor([1, 2]).add(1).dtype).toBe("int64");
    expect(tensor([1, 2], { dtype: "int32" }).add(1).dtype).toBe("int32");
    expect(tensor([1, 2], { dtype: "float16" }).add(tensor([1.5, 2.5])).dtype).toBe("float32");
    expect(tensor([1, 2], { dtype: "float16" }).add(2.5).dtype).toBe("float16");
    // A 0-d tensor of the same category does not widen a dimensioned one.
    expect(tensor(2, { dtype: "float64" }).add(tensor([1.5, 2.5])).dtype).toBe("float32");
    expect(tensor(2.5, { dtype: "float64" }).add(tensor([1, 2])).dtype).toBe("float64");
    expect(tensor([1, 2]).div(2).dtype).toBe("float32");
    expect(tensor([1, 2]).gt(1).dtype).toBe("bool");
  });
});

describe("errors name the op, the inputs and the way out", () => {
  it("broadcasting mismatch", () => {
    expect(() => add(zeros([2, 3]), zeros([4]))).toThrow(/add: shapes \[2, 3\] and \[4\] cannot be broadcast/);
  });

  it("matmul mismatch", () => {
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]))).toThrow("matmul: shapes [2, 3] and [4, 5] cannot be multiplied (3 != 4)");
  });

  it("dim out of range", () => {
    expect(() => zeros([2, 3]).sum(2)).toThrow(/sum: dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/);
    expect(() => zeros([2, 3]).transpose(0, -3)).toThrow(/out of range/);
  });

  it("index out of range in gather / indexSelect (no silent wrap)", () => {
    expect(() => gather(zeros([2, 3]), 1, tensor([[0, 3], [1, 1]]))).toThrow(/gather: index 3 is out of bounds for dimension 1 with size 3/);
    expect(() => gather(zeros([2, 3]), 1, tensor([[0, -1], [1, 1]]))).toThrow(/gather: index -1 is out of bounds/);
    expect(() => indexSelect(zeros([2, 3]), 0, tensor([2]))).toThrow(/indexSelect: index 2 is out of bounds for dimension 0 with size 2/);
    expect(() => indexSelect(zeros([2, 3]), 0, tensor([-1]))).toThrow(/indexSelect: index -1 is out of bounds/);
  });

  it("view on incompatible strides", () => {
    expect(() => zeros([2, 3]).T.view(6)).toThrow(/view: size \[6\] is not compatible with the input's size \[3, 2\] and stride \[1, 3\].*Use \.reshape/);
    expect(zeros([2, 3]).T.reshape(6).shape).toEqual([6]);
  });

  it("reading or using a disposed tensor", () => {
    const z = zeros([2]);
    z.dispose();
    expect(() => z.dataSync()).toThrow(/dataSync: this tensor \(shape \[2\], float32, "cpu"\) was disposed/);
    expect(() => z.add(1)).toThrow(/add: this tensor .* was disposed/);
  });

  it("tensors on different devices", () => {
    if (!hasBackend("cpu2")) registerBackend({ ...createCpuBackend(), name: "cpu2" });
    const other = zeros([2], { device: "cpu2" });
    expect(other.device).toBe("cpu2");
    expect(() => zeros([2]).add(other)).toThrow('add: expected all tensors to be on the same device, but found "cpu" and "cpu2"');
    expect(values(other.to("cpu").add(1))).toEqual([1, 1]);
  });
});

describe("dtypes", () => {
  it("float16 and bfloat16 round trip (rounded to the nearest representable value)", () => {
    const h = tensor([1.5, 0.1, 65504, -2], { dtype: "float16" });
    expect(h.tolistSync()).toEqual([1.5, 0.0999755859375, 65504, -2]);
    expect(h.float().dtype).toBe("float32");
    expect(values(h.float())).toEqual([1.5, 0.0999755859375, 65504, -2]);
    const b = tensor([1.5, 0.1, -3], { dtype: "bfloat16" });
    expect(b.tolistSync()).toEqual([1.5, 0.10009765625, -3]);
    expect(values(tensor([0.1]).to("bfloat16").to("float32"))).toEqual([0.10009765625]);
  });

  it("int64 values beyond 2^53 round trip as BigInt", () => {
    const big = 2n ** 60n + 3n;
    const t = tensor([big, -big, 5n]);
    expect(t.dtype).toBe("int64");
    const d = t.dataSync();
    expect(d).toBeInstanceOf(BigInt64Array);
    expect(Array.from(d as BigInt64Array)).toEqual([big, -big, 5n]);
    expect(t.tolistSync()).toEqual([big, -big, 5]);
    expect(tensor([big]).itemSync()).toBe(big);
    expect(t.add(1n).dataSync()[0]).toBe(big + 1n);
  });
});

describe("random numbers (Philox)", () => {
  it("manualSeed reproduces; different seeds differ", () => {
    manualSeed(1234);
    const a = values(randn([16]));
    manualSeed(1234);
    const b = values(randn([16]));
    manualSeed(4321);
    const c = values(randn([16]));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    manualSeed(7);
    const r1 = values(rand([8]));
    const r2 = values(rand([8]));
    expect(r1).not.toEqual(r2);
  });

  it("rand is uniform on [0, 1) and randn standard normal (100k samples)", () => {
    manualSeed(0);
    const u = values(rand([100_000]));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(Math.abs(u.reduce((s, v) => s + v, 0) / u.length - 0.5)).toBeLessThan(0.005);
    const n = randn([100_000]);
    expect(Math.abs(n.mean().itemSync() as number)).toBeLessThan(0.01);
    expect(Math.abs((n.std().itemSync() as number) - 1)).toBeLessThan(0.01);
  });
});

describe("memory", () => {
  it("scope frees intermediates and keeps the result", () => {
    const x = tensor([1, 2, 3], { dtype: "float32" });
    const before = memoryReport().liveTensors;
    const y = scope(() => x.mul(2).add(1).relu().exp().sum());
    expect(memoryReport().liveTensors).toBe(before + 1);
    expect(y.isDisposed).toBe(false);
    y.dispose();
    expect(memoryReport().liveTensors).toBe(before);
  });

  it("keep() lets a tensor outlive its scope; a thrown error still frees", () => {
    const before = memoryReport().liveTensors;
    let kept: Tensor | undefined;
    scope(() => {
      kept = keep(zeros([3]).add(1));
      zeros([4]);
    });
    expect(kept!.isDisposed).toBe(false);
    expect(memoryReport().liveTensors).toBe(before + 1);
    kept!.dispose();
    expect(() =>
      scope(() => {
        zeros([5]).add(1);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(memoryReport().liveTensors).toBe(before);
  });

  it("an async scope follows await", async () => {
    const before = memoryReport().liveTensors;
    const out = await scope(async () => {
      const a = arange(0, 10, 1, { dtype: "float32" }).exp();
      await a.data();
      await new Promise((r) => setTimeout(r, 1));
      const b = a.mul(a);
      return b.sum();
    });
    expect(memoryReport().liveTensors).toBe(before + 1);
    out.dispose();
    expect(memoryReport().liveTensors).toBe(before);
  });

  it("dispose is idempotent and `using` disposes at block end", () => {
    const before = memoryReport().liveTensors;
    const t = zeros([2]);
    t.dispose();
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(memoryReport().liveTensors).toBe(before);
    let held: Tensor;
    {
      using u = zeros([3]);
      held = u;
      expect(memoryReport().liveTensors).toBe(before + 1);
    }
    expect(held.isDisposed).toBe(true);
    expect(memoryReport().liveTensors).toBe(before);
  });

  it("a view keeps its storage alive after the base is disposed", () => {
    const x = arange(0, 6, 1, { dtype: "float32" });
    const v = x.view(2, 3);
    x.dispose();
    expect(v.tolistSync()).toEqual([[0, 1, 2], [3, 4, 5]]);
    v.dispose();
    expect(v.storage.freed).toBe(true);
  });
});
