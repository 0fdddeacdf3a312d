// One conformance test case and the context it runs in: compare with the CPU reference, closed-form values, expected errors.

import { isFloatingPoint, type Backend, type DType } from "../../backend/index.js";
import { scope, type Tensor } from "../../index.js";
import {
  DEFAULT_TOLERANCE,
  Dev,
  decode,
  describeMismatch,
  drainDevice,
  firstMismatch,
  outputList,
  type ConformanceTolerance,
  type FloatDType,
  type Outputs,
  type Tol,
} from "./harness.js";

/** One test of the suite: run once per dtype of `dtypes` the device holds. */
export interface TestCase {
  /** Dtypes the case runs for (those the device lacks are skipped with a printed reason). */
  readonly dtypes: readonly DType[];
  /** Other dtypes the case needs whatever the tested dtype (index int64, bool masks): without them it is skipped. */
  readonly needs?: readonly DType[];
  run(c: CaseContext, dtype: DType): Promise<void>;
}

/** Options of one comparison. */
export interface CompareOptions {
  /** Bitwise equality, whatever the dtype. */
  readonly exact?: boolean;
  /** A tolerance for this comparison only. */
  readonly tol?: Tol;
}

/**
 * What a case can do. Every method throws an Error naming the op, the case label and the device on failure.
 * @example await c.compare("float32 [7, 5] transposed", (d) => d.gen([7, 5], "float32", { layout: "transposed" }).exp());
 */
export class CaseContext {
  readonly dev: Dev;
  readonly ref: Dev;
  /** Number of checks done, for the log line. */
  checks = 0;

  constructor(
    readonly op: string,
    readonly backend: Backend,
    refDevice: string,
    readonly tolerance: ConformanceTolerance,
  ) {
    this.dev = new Dev(backend.name);
    this.ref = new Dev(refDevice);
  }

  get device(): string {
    return this.backend.name;
  }

  /** True when the device holds `dtype`. */
  has(dtype: DType): boolean {
    return this.backend.dtypes.includes(dtype);
  }

  tolFor(dtype: DType): Tol | null {
    if (!isFloatingPoint(dtype)) return null;
    const f = dtype as FloatDType;
    return this.tolerance.ops?.[this.op]?.[f] ?? this.tolerance[f] ?? DEFAULT_TOLERANCE[f];
  }

  /** Runs `fn` on the device and on the CPU reference; outputs must agree in count, dtype, shape and values. */
  async compare(label: string, fn: (d: Dev) => Outputs, opts: CompareOptions = {}): Promise<void> {
    const where = `${this.op} [${label}] on "${this.device}"`;
    await scope(async () => {
      const want = await this.read(this.ref, fn, `${where} (reference CPU run)`);
      const got = await this.read(this.dev, fn, where);
      if (got.length !== want.length) throw new Error(`${where}: ${got.length} outputs, the CPU gives ${want.length}.`);
      for (let k = 0; k < want.length; k++) {
        const g = got[k];
        const w = want[k];
        const at = want.length > 1 ? `${where}, output ${k}` : where;
        if (g.device !== this.device) throw new Error(`${at}: output is on "${g.device}", expected "${this.device}".`);
        if (g.dtype !== w.dtype) throw new Error(`${at}: dtype ${g.dtype}, the CPU gives ${w.dtype}.`);
        if (g.shape.join() !== w.shape.join()) throw new Error(`${at}: shape [${g.shape}], the CPU gives [${w.shape}].`);
        if (g.values.length !== w.values.length) throw new Error(`${at}: read ${g.values.length} values, expected ${w.values.length}.`);
        const tol = opts.exact ? null : (opts.tol ?? this.tolFor(w.dtype));
        const i = firstMismatch(g.values, w.values, tol);
        if (i >= 0)
          throw new Error(`${at} (${w.dtype}, shape [${w.shape}]${tol ? `, rtol ${tol.rtol}, atol ${tol.atol}` : ", exact"}): ${describeMismatch(i, g.values, w.values)}.`);
      }
      this.checks++;
    });
  }

  private async read(d: Dev, fn: (d: Dev) => Outputs, where: string) {
    let outs: Tensor[];
    try {
      outs = outputList(fn(d));
    } catch (e) {
      throw new Error(`${where} threw: ${(e as Error).message}`, { cause: e });
    }
    const res = [];
    for (const t of outs) {
      let data;
      try {
        data = await t.data();
      } catch (e) {
        throw new Error(`${where}: reading the output failed: ${(e as Error).message}`, { cause: e });
      }
      res.push({ device: t.device, dtype: t.dtype, shape: [...t.shape], values: decode(data, t.dtype) });
    }
    // The reads waited for the device's work; an error it raised meanwhile surfaces here.
    const pending = d === this.dev ? this.backend.takeError?.() : undefined;
    if (pending) throw new Error(`${where}: the device reported an error: ${pending.message}`, { cause: pending });
    return res;
  }

  /** A device tensor must hold exactly (or within the dtype's tolerance) these closed-form values. */
  async expectValues(label: string, t: Tensor, want: readonly (number | bigint | boolean)[], shape?: readonly number[], exact = false): Promise<void> {
    const where = `${this.op} [${label}] on "${this.device}"`;
    if (shape && t.shape.join() !== shape.join()) throw new Error(`${where}: shape [${t.shape}], expected [${shape}].`);
    const got = decode(await t.data(), t.dtype);
    const w = want.map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : t.dtype === "int64" ? BigInt(v) : Number(v)));
    if (got.length !== w.length) throw new Error(`${where}: ${got.length} values, expected ${w.length}.`);
    const i = firstMismatch(got, w, exact ? null : this.tolFor(t.dtype));
    if (i >= 0) throw new Error(`${where} (${t.dtype}${exact ? ", bitwise" : ""}): ${describeMismatch(i, got, w)}.`);
    this.checks++;
  }

  /** `fn` must throw (or reject) with a message matching `pattern`. */
  async expectThrows(label: string, fn: () => unknown, pattern: RegExp): Promise<void> {
    const where = `${this.op} [${label}] on "${this.device}"`;
    let error: unknown;
    try {
      await scope(async () => {
        await fn();
      });
    } catch (e) {
      error = e;
    }
    if (error === undefined) throw new Error(`${where}: expected an error matching ${pattern}, but nothing was thrown.`);
    if (!pattern.test(String((error as Error)?.message ?? error)))
      throw new Error(`${where}: the error "${(error as Error)?.message}" does not match ${pattern}.`);
    this.checks++;
  }

  /**
   * An error the device may report late: thrown by the op, by reading its output, or by the next op (takeError).
   * The device must be usable again afterwards.
   */
  async expectDeviceError(label: string, fn: (d: Dev) => Outputs, pattern: RegExp): Promise<void> {
    await this.expectThrows(
      label,
      async () => {
        for (const t of outputList(fn(this.dev))) await t.data();
        await drainDevice(this.backend);
        // A device that records errors raises them on the next op.
        const probe = this.dev.t([1, 2], "float32").add(1);
        await probe.data();
      },
      pattern,
    );
    await this.compare(`${label}: device usable after the error`, (d) => d.t([1, 2, 3], "float32").mul(2));
  }
}
