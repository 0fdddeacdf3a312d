// nn.init: in-place initialisers drawing from the seeded Philox generator, as torch.nn.init (uniform, normal, xavier, kaiming, …).

import { fromTypedArray, rand, randn } from "@tsorch/tensor";
import type { Generator, Tensor } from "@tsorch/tensor";

/** Options shared by the random initialisers. */
export interface InitOptions {
  generator?: Generator;
}

/** Which fan Kaiming initialisation preserves. */
export type FanMode = "fan_in" | "fan_out";

/** Nonlinearities `calculateGain` knows, as PyTorch's names. */
export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" | "conv_transpose3d"
  | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu";

let skipping = 0;

/**
 * Runs `fn` with every initialiser of this module turned into a no-op, as HF's `no_init_weights` / PyTorch's
 * `skip_init`: for models whose weights are about to be overwritten by a checkpoint, so building them costs no random
 * draws and no temporaries. Parameters keep their allocated (zeroed) memory.
 * @example const model = init.noInit(() => new BigModel(config)); await loadWeights(model);
 */
export function noInit<R>(fn: () => R): R {
  skipping++;
  try {
    return fn();
  } finally {
    skipping--;
  }
}

// Writes through a detached view: initialisation is not an op to record (PyTorch runs it under no_grad).
function write(t: Tensor, f: (d: Tensor) => void): Tensor {
  if (skipping > 0) return t;
  const d = t.detach();
  try {
    f(d);
  } finally {
    d.dispose();
  }
  return t;
}

/**
 * The recommended gain for a nonlinearity, as `nn.init.calculate_gain`.
 * @example calculateGain("leaky_relu", 0.2) // sqrt(2 / (1 + 0.04))
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear": case "conv1d": case "conv2d": case "conv3d":
    case "conv_transpose1d": case "conv_transpose2d": case "conv_transpose3d": case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leaky_relu": {
      const a = param ?? 0.01;
      return Math.sqrt(2 / (1 + a * a));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new RangeError(`calculateGain: unsupported nonlinearity ${JSON.stringify(nonlinearity)}.`);
  }
}

/**
 * (fan_in, fan_out) of a weight: dims 1 and 0 times the receptive field, as PyTorch's `_calculate_fan_in_and_fan_out`.
 * @example calculateFanInAndFanOut(zeros([64, 32])) // [32, 64]
 */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2)
    throw new RangeError(`nn.init: fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (got shape [${t.shape.join(", ")}]).`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

/** Fills with U(a, b), as `nn.init.uniform_`. @example uniform_(w, -0.1, 0.1) */
export function uniform_(t: Tensor, a = 0, b = 1, opts: InitOptions = {}): Tensor {
  return write(t, (d) => d.uniform_(a, b, opts));
}

/** Fills with N(mean, std²), as `nn.init.normal_`. @example normal_(w, 0, 0.02) */
export function normal_(t: Tensor, mean = 0, std = 1, opts: InitOptions = {}): Tensor {
  return write(t, (d) => d.normal_(mean, std, opts));
}

/** Fills with a constant, as `nn.init.constant_`. @example constant_(b, 0.1) */
export function constant_(t: Tensor, value: number): Tensor {
  return write(t, (d) => d.fill_(value));
}

/** Fills with zeros, as `nn.init.zeros_`. @example zeros_(bias) */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills with ones, as `nn.init.ones_`. @example ones_(ln.weight) */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Fills a 2-D tensor with the identity, as `nn.init.eye_`. @example eye_(w) */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2) throw new RangeError(`eye_: only 2-D tensors are supported, got shape [${t.shape.join(", ")}].`);
  const [r, c] = t.shape;
  const a = new Float32Array(r * c);
  for (let i = 0; i < Math.min(r, c); i++) a[i * c + i] = 1;
  return copyHost(t, a);
}

function copyHost(t: Tensor, a: Float32Array): Tensor {
  const src = fromTypedArray(a, t.shape, { device: t.device });
  try {
    return write(t, (d) => d.copy_(src));
  } finally {
    src.dispose();
  }
}

const normCdf = (x: number) => (1 + erf(x / Math.SQRT2)) / 2;

// Abramowitz–Stegun 7.1.26 is too coarse for the inverse; a float64 series with Newton polishing is exact to float32.
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  if (a > 6) return s;
  // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)) for small x; continued fraction of erfc for large x.
  if (a < 2.5) {
    let sum = a;
    let term = a;
    for (let n = 1; n < 80; n++) {
      term *= (-a * a) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return s * (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (a + f);
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + f);
  return s * (1 - erfc);
}

function erfinv(y: number): number {
  if (y <= -1) return -Infinity;
  if (y >= 1) return Infinity;
  // Giles' single-precision approximation as a start, then Newton steps on erf.
  let w = -Math.log((1 - y) * (1 + y));
  let x: number;
  if (w < 5) {
    w -= 2.5;
    let p = 2.81022636e-8;
    for (const c of [3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]) p = c + p * w;
    x = p * y;
  } else {
    w = Math.sqrt(w) - 3;
    let p = -0.000200214257;
    for (const c of [0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]) p = c + p * w;
    x = p * y;
  }
  for (let i = 0; i < 2; i++) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}

/**
 * Fills with N(mean, std²) truncated to [a, b] by inverse-CDF sampling, as `nn.init.trunc_normal_`.
 * @example truncNormal_(w, 0, 0.02, -0.04, 0.04)
 */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2, opts: InitOptions = {}): Tensor {
  if (!(std > 0)) throw new RangeError(`truncNormal_: std must be positive, got ${std}.`);
  if (!(a < b)) throw new RangeError(`truncNormal_: expected a < b, got a=${a}, b=${b}.`);
  const l = normCdf((a - mean) / std);
  const u = normCdf((b - mean) / std);
  // The uniform draw comes from the generator on the CPU so the result is the same on every device.
  const draw = rand([t.numel()], { generator: opts.generator, device: "cpu", dtype: "float64" });
  const v = draw.dataSync() as Float64Array;
  draw.dispose();
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = erfinv(2 * (l + (u - l) * v[i]) - 1) * std * Math.SQRT2 + mean;
    out[i] = Math.min(b, Math.max(a, x));
  }
  return copyHost(t, out);
}

/**
 * Xavier/Glorot uniform: U(-g·sqrt(6 / (fan_in + fan_out)), …), as `nn.init.xavier_uniform_`.
 * @example xavierUniform_(w, calculateGain("relu"))
 */
export function xavierUniform_(t: Tensor, gain = 1, opts: InitOptions = {}): Tensor {
  const [fi, fo] = calculateFanInAndFanOut(t);
  const a = gain * Math.sqrt(6 / (fi + fo));
  return uniform_(t, -a, a, opts);
}

/** Xavier/Glorot normal: N(0, g²·2 / (fan_in + fan_out)), as `nn.init.xavier_normal_`. @example xavierNormal_(w) */
export function xavierNormal_(t: Tensor, gain = 1, opts: InitOptions = {}): Tensor {
  const [fi, fo] = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fi + fo)), opts);
}

/** Options of the Kaiming initialisers, as PyTorch's (`a` is the negative slope of leaky ReLU). */
export interface KaimingOptions extends InitOptions {
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, t: Tensor, o: KaimingOptions): number {
  const mode = o.mode ?? "fan_in";
  if (mode !== "fan_in" && mode !== "fan_out") throw new RangeError(`${op}: mode ${JSON.stringify(mode)} not supported, please use one of fan_in, fan_out.`);
  const [fi, fo] = calculateFanInAndFanOut(t);
  const fan = mode === "fan_in" ? fi : fo;
  return calculateGain(o.nonlinearity ?? "leaky_relu", o.a ?? 0) / Math.sqrt(fan);
}

/**
 * He uniform: U(-bound, bound), bound = gain·sqrt(3 / fan), as `nn.init.kaiming_uniform_` (`nn.Linear` uses a = √5).
 * @example kaimingUniform_(w, { a: Math.sqrt(5) })
 */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd("kaimingUniform_", t, opts);
  return uniform_(t, -bound, bound, opts);
}

/** He normal: N(0, (gain / sqrt(fan))²), as `nn.init.kaiming_normal_`. @example kaimingNormal_(w, { mode: "fan_out", nonlinearity: "relu" }) */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd("kaimingNormal_", t, opts), opts);
}

/**
 * A (semi-)orthogonal matrix from the QR decomposition of a normal draw, times `gain`, as `nn.init.orthogonal_`.
 * @example orthogonal_(w)
 */
export function orthogonal_(t: Tensor, gain = 1, opts: InitOptions = {}): Tensor {
  if (t.ndim < 2) throw new RangeError(`orthogonal_: only tensors with 2 or more dimensions are supported, got shape [${t.shape.join(", ")}].`);
  const rows = t.shape[0];
  const cols = t.numel() / rows;
  const draw = randn([rows * cols], { generator: opts.generator, device: "cpu", dtype: "float64" });
  const flat = draw.dataSync() as Float64Array;
  draw.dispose();
  // Work on the tall orientation (m >= n), as PyTorch transposes when rows < cols.
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const a = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[tall ? i * n + j : j * n + i] = flat[i * cols + j];
  const q = householderQ(a, m, n);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = gain * (tall ? q[i * n + j] : q[j * n + i]);
  return copyHost(t, out);
}

// Thin Q (m x n, m >= n) of A = QR by Householder reflections, with the signs fixed so that diag(R) > 0 (PyTorch's
// `q *= sign(diag(r))`), which makes the result unique.
function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const r = Float64Array.from(a);
  const vs: Float64Array[] = [];
  const signs = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    const alpha = r[k * n + k] > 0 ? -norm : norm;
    const v = new Float64Array(m);
    for (let i = k; i < m; i++) v[i] = r[i * n + k];
    v[k] -= alpha;
    let vn = 0;
    for (let i = k; i < m; i++) vn += v[i] ** 2;
    if (vn > 0) {
      for (let j = k; j < n; j++) {
        let dot = 0;
        for (let i = k; i < m; i++) dot += v[i] * r[i * n + j];
        const f = (2 * dot) / vn;
        for (let i = k; i < m; i++) r[i * n + j] -= f * v[i];
      }
    }
    vs.push(vn > 0 ? v.map((x) => x / Math.sqrt(vn)) : v);
    signs[k] = r[k * n + k] < 0 ? -1 : 1;
  }
  // Q = H_0 H_1 … H_{n-1} applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i] * q[i * n + j];
      for (let i = k; i < m; i++) q[i * n + j] -= 2 * dot * v[i];
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q[i * n + j] *= signs[j];
  return q;
}
