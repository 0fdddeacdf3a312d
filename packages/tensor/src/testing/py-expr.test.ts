// Unit tests of the golden-expression interpreter: parsing (precedence, tails, slices) and evaluation against direct tsorch calls.
import { describe, expect, it } from "vitest";
import { arange, tensor } from "@tsorch/tensor";
import type { Tensor } from "@tsorch/tensor";
import { evalPyExpr, parsePyExpr, parseOpsJsonl } from "@tsorch/tensor/testing";

const x = arange(0, 24, 1, { dtype: "float32" }).view(2, 3, 4).sub(10).div(7);
const list = (t: Tensor) => t.tolistSync();
const one = (expr: string, env: Record<string, unknown> = {}) => {
  const out = evalPyExpr(expr, { x, ...env } as never);
  expect(out.length).toBe(1);
  return out[0];
};

describe("parsePyExpr", () => {
  it("follows Python precedence: ** binds tighter than unary minus, and is right-associative", () => {
    expect(parsePyExpr("-x ** 2")).toMatchObject({ t: "unary", op: "-", x: { t: "bin", op: "**" } });
    expect(parsePyExpr("2 ** -1")).toMatchObject({ t: "bin", op: "**", b: { t: "num", v: -1, float: false } });
    expect(parsePyExpr("a + b * c @ d")).toMatchObject({ t: "bin", op: "+", b: { t: "bin", op: "@" } });
    expect(parsePyExpr("a > b + 1")).toMatchObject({ t: "bin", op: ">", b: { t: "bin", op: "+" } });
  });

  it("keeps int vs float literals", () => {
    expect(parsePyExpr("1.0")).toEqual({ t: "num", v: 1, float: true });
    expect(parsePyExpr("1e-5")).toEqual({ t: "num", v: 1e-5, float: true });
    expect(parsePyExpr("-3")).toEqual({ t: "num", v: -3, float: false });
  });

  it("strips comments, `-> …` tails and trailing prose in parentheses", () => {
    expect(parsePyExpr("torch.max(x, dim=1) -> (values, indices)")).toEqual(parsePyExpr("torch.max(x, dim=1)"));
    expect(parsePyExpr("torch.matmul(a, b)  # (2,1,M,K) @ (H,K,N)")).toEqual(parsePyExpr("torch.matmul(a, b)"));
    expect(parsePyExpr("a + b (b is 1-D over last dim)")).toEqual(parsePyExpr("a + b"));
    expect(parsePyExpr("x.masked_fill(m, '#')")).toMatchObject({ t: "call", args: [{ t: "name" }, { t: "str", v: "#" }] });
  });

  it("parses subscripts with slices, steps, Ellipsis and None", () => {
    const n = parsePyExpr("x[..., ::2, 1:-1, None, 0]");
    expect(n).toMatchObject({ t: "index", tuple: true });
    expect((n as unknown as { subs: unknown[] }).subs).toHaveLength(5);
  });

  it("reports where it failed", () => {
    expect(() => parsePyExpr("torch.sum(x,, 1)")).toThrow(/py-expr: expected an expression at 12/);
  });
});

describe("evalPyExpr", () => {
  it("maps torch / F / methods with positional and keyword arguments", () => {
    expect(list(one("torch.clamp(x, -0.5, 0.8)"))).toEqual(list(x.clamp(-0.5, 0.8)));
    expect(list(one("F.leaky_relu(x, negative_slope=0.3)"))).toEqual(list(x.leakyRelu(0.3)));
    expect(list(one("x.sum(dim=(0, 2), keepdim=True)"))).toEqual(list(x.sum([0, 2], true)));
    expect(list(one("x.var(dim=-1, unbiased=False, keepdim=True)"))).toEqual(list(x.var(-1, { unbiased: false, keepdim: true })));
    expect(list(one("torch.flip(x, dims=[0, 2])"))).toEqual(list(x.flip(0, 2)));
    expect(list(one("x ** 1.7"))).toEqual(list(x.pow(1.7)));
  });

  it("returns tuples as several outputs", () => {
    const [v, i] = evalPyExpr("torch.max(x, dim=1) -> (values, indices)", { x });
    const r = x.max(1);
    expect([list(v), list(i)]).toEqual([list(r.values), list(r.indices)]);
    expect(evalPyExpr("torch.split(x, [1, 1, x.shape[1] - 2], dim=1)", { x })).toHaveLength(3);
  });

  it("slices tensors and shape tuples as Python does", () => {
    expect(list(one("x[..., -3:, :-1]"))).toEqual(list(x.index("...", { start: -3, end: null, step: 1, kind: "slice" }, { start: null, end: -1, step: 1, kind: "slice" })));
    expect(one("x[:, 1::2, ::3]").shape).toEqual([2, 1, 2]);
    expect(one("F.layer_norm(x, x.shape[-2:])").shape).toEqual([2, 3, 4]);
    expect(one("x.reshape(*x.shape[:-1], 2, 2)").shape).toEqual([2, 3, 2, 2]);
  });

  it("keeps Python's int/float distinction for dtypes", () => {
    expect(one("torch.arange(start, end, step)", { start: parseParam(0.0), end: parseParam(5.0), step: parseParam(1.0) }).dtype).toBe("float32");
    expect(one("torch.arange(2, 17, 3)").dtype).toBe("int64");
    expect(one("torch.full((T, T), float('-inf')).triu(1)", { T: parseParam(3, false) }).tolistSync()).toEqual([
      [0, -Infinity, -Infinity],
      [0, 0, -Infinity],
      [0, 0, 0],
    ]);
    expect(one("m * 1.0", { m: tensor([1, 2]) }).dtype).toBe("float32");
    expect(one("torch.finfo(torch.float32).min").itemSync()).toBe(-3.4028234663852886e38);
  });

  it("names the unknown function or name", () => {
    expect(() => evalPyExpr("torch.frobnicate(x)", { x })).toThrow(/torch has no attribute 'frobnicate'/);
    expect(() => evalPyExpr("y + 1", { x })).toThrow(/name 'y' is not defined/);
  });
});

/** A param value as the loader builds it from JSON (`0.0` stays a float). */
function parseParam(v: number, float = true): unknown {
  const [c] = parseOpsJsonl(JSON.stringify({ name: "p", expr: "v", outputs: [], params: { v } }).replace(/"v":(-?\d+)([,}])/, float ? '"v":$1.0$2' : '"v":$1$2'));
  return c.pyParams.v;
}
