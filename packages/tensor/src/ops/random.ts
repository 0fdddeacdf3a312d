// Random numbers from one counter-based Philox generator (seed + offset), the same on every backend (torch.manual_seed, rand, randn, …).

import type { DType } from "../backend/dtype.js";
import { isFloatingPoint } from "../backend/dtype.js";
import { checkShape } from "../backend/layout.js";
import { run1 } from "../dispatch/dispatcher.js";
import type { Tensor } from "../tensor.js";
import { getDefaultDevice, getDefaultDtype } from "../defaults.js";
import type { CreateOptions } from "./creation.js";

/** A Philox stream position: the seed (64 bits as two words) and how many 4-word blocks were used. */
export interface GeneratorState {
  readonly seed: bigint;
  readonly offset: number;
}

/**
 * A random generator, as `torch.Generator`: counter-based, so a state is just (seed, offset) and every backend
 * reproduces the same numbers.
 * @example const g = new Generator(42); rand([3], { generator: g })
 */
export class Generator {
  private key: [number, number] = [0, 0];
  private seedValue = 0n;
  /** Next unused Philox block. */
  offset = 0;

  constructor(seed: number | bigint = 67280421310721n) {
    this.manualSeed(seed);
  }

  /** Resets the stream to `seed`. */
  manualSeed(seed: number | bigint): this {
    const s = BigInt.asUintN(64, BigInt(typeof seed === "number" ? Math.trunc(seed) : seed));
    this.seedValue = s;
    this.key = [Number(s & 0xffffffffn), Number(s >> 32n)];
    this.offset = 0;
    return this;
  }

  initialSeed(): bigint {
    return this.seedValue;
  }

  /** The state to save in a checkpoint. */
  getState(): GeneratorState {
    return { seed: this.seedValue, offset: this.offset };
  }

  /** Restores a saved state: the following numbers are the same as after `getState()`. */
  setState(state: GeneratorState): void {
    this.manualSeed(state.seed);
    this.offset = state.offset;
  }

  /** Internal: reserves the blocks for `n` numbers and returns the Philox attributes. */
  take(n: number): { key: [number, number]; offset: number } {
    const offset = this.offset;
    this.offset += Math.ceil(n / 4);
    return { key: this.key, offset };
  }
}

/** The default generator, as `torch.default_generator`. */
export const defaultGenerator = new Generator();

/**
 * Seeds the default generator, as `torch.manual_seed`.
 * @example manualSeed(0); const a = randn([2]); manualSeed(0); // randn([2]) equals a
 */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** The default generator's state (for checkpoints), as `torch.get_rng_state`. */
export function getRngState(): GeneratorState {
  return defaultGenerator.getState();
}

/** Restores the default generator's state, as `torch.set_rng_state`. */
export function setRngState(state: GeneratorState): void {
  defaultGenerator.setState(state);
}

export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

function floatDtype(op: string, opts?: RandomOptions): DType {
  const d = opts?.dtype ?? getDefaultDtype();
  if (!isFloatingPoint(d)) throw new TypeError(`${op}: expected a floating-point dtype, got ${d}; use randint for integers.`);
  return d;
}

function draw(kind: "randUniform" | "randNormal", shape: readonly number[], dtype: DType, opts?: RandomOptions): Tensor {
  checkShape(shape, kind === "randUniform" ? "rand" : "randn");
  const n = shape.reduce((a, b) => a * b, 1);
  const g = opts?.generator ?? defaultGenerator;
  const t = run1(kind, [], g.take(n), { dtype, shape }, opts?.device ?? getDefaultDevice());
  if (opts?.requiresGrad) t.requiresGrad = true;
  return t;
}

/**
 * Uniform samples in [0, 1), as `torch.rand`.
 * @example manualSeed(1); rand([2, 3])
 */
export function rand(shape: readonly number[], opts?: RandomOptions): Tensor {
  return draw("randUniform", shape, floatDtype("rand", opts), opts);
}

/**
 * Standard normal samples, as `torch.randn`.
 * @example randn([4, 4], { dtype: "float64" })
 */
export function randn(shape: readonly number[], opts?: RandomOptions): Tensor {
  return draw("randNormal", shape, floatDtype("randn", opts), opts);
}

/**
 * Integers uniform in [low, high), as `torch.randint` (int64 unless `dtype` says otherwise).
 * @example randint(0, 10, [5])
 */
export function randint(low: number, high: number, shape: readonly number[], opts?: RandomOptions): Tensor {
  if (!(high > low)) throw new RangeError(`randint: expected low < high, but got low=${low} and high=${high}.`);
  using u = draw("randUniform", shape, "float64", { ...opts, dtype: "float64", requiresGrad: false });
  using scaled = u.mul(high - low);
  using floored = scaled.floor();
  const r = floored.add(low);
  if (r.dtype === (opts?.dtype ?? "int64")) return r;
  using values = r;
  return values.to(opts?.dtype ?? "int64");
}

/**
 * A random permutation of 0..n-1, as `torch.randperm` (argsort of uniform keys).
 * @example randperm(5)
 */
export function randperm(n: number, opts?: RandomOptions): Tensor {
  using u = draw("randUniform", [n], "float64", { ...opts, dtype: "float64", requiresGrad: false });
  const p = u.argsort();
  if (p.dtype === (opts?.dtype ?? "int64")) return p;
  using order = p;
  return order.to(opts?.dtype ?? "int64");
}

/** Uniform samples shaped like `t`. @example randLike(x) */
export function randLike(t: Tensor, opts?: RandomOptions): Tensor {
  return rand(t.shape, { dtype: t.dtype, device: t.device, ...opts });
}

/** Normal samples shaped like `t`. @example randnLike(x) */
export function randnLike(t: Tensor, opts?: RandomOptions): Tensor {
  return randn(t.shape, { dtype: t.dtype, device: t.device, ...opts });
}

/** Integers in [low, high) shaped like `t`. @example randintLike(x, 0, 5) */
export function randintLike(t: Tensor, low: number, high: number, opts?: RandomOptions): Tensor {
  return randint(low, high, t.shape, { device: t.device, ...opts });
}
