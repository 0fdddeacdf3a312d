// The backend conformance suite: every primitive, view and core op of the catalogue on a device, against the reference CPU backend (DESIGN.md "The backend contract").

import { getBackend, hasBackend, registerBackend, unregisterBackend, type Backend, type DType } from "../backend/index.js";
import { createCpuBackend, scope } from "../index.js";
import { CaseContext, type TestCase } from "./internal/case.js";
import { CORE_CASES } from "./internal/cases-views.js";
import { FUSED_CASES } from "./internal/cases-fused.js";
import { checkCatalogue, checkDtypeRefusal, checkMemory, checkReads } from "./internal/contract-checks.js";
import type { ConformanceTolerance } from "./internal/harness.js";
import { PRIMITIVE_CASES } from "./internal/primitive-cases.js";

export type { ConformanceTolerance, Tol } from "./internal/harness.js";
export { DEFAULT_TOLERANCE } from "./internal/harness.js";
export { PRIMITIVE_CASES } from "./internal/primitive-cases.js";
export { CORE_CASES } from "./internal/cases-views.js";
export { FUSED_CASES } from "./internal/cases-fused.js";
export type { CoreOp } from "./internal/cases-views.js";
export type { TestCase, CaseContext } from "./internal/case.js";

/** A test function as vitest / jest / mocha take it (no parameters, so runners never treat it as callback-style). */
type TestFn = () => Promise<void> | void;
/** The subset of a test runner the suite uses. */
export interface TestApi {
  describe(name: string, fn: () => void): void;
  it: ((name: string, fn: TestFn, timeout?: number) => void) & { skip?: (name: string, fn: TestFn) => void };
  beforeAll(fn: () => Promise<void> | void, timeout?: number): void;
  afterAll(fn: () => Promise<void> | void, timeout?: number): void;
  expect?: unknown;
}

/** Options of {@link runBackendConformance}. */
export interface ConformanceOptions {
  /** The backend, or a function that creates it (async for devices that need `await navigator.gpu.requestAdapter()`). */
  readonly backend: Backend | (() => Backend | Promise<Backend>);
  /** Title of the test group (default: `backend conformance: "<device>"`). */
  readonly name?: string;
  /** Ops (test names: `"matmul"`, `"transfer"`, `"memory"`) to skip, each printed with its reason. */
  readonly skip?: readonly string[] | Readonly<Record<string, string>>;
  /** Tolerances of the float comparisons with the CPU reference. */
  readonly tolerance?: ConformanceTolerance;
  /** Iterations of the memory check (default 1000). */
  readonly memoryIterations?: number;
  /**
   * The test runner's functions (vitest, jest, mocha, `node:test` — pass `before`/`after` as `beforeAll`/`afterAll`).
   * The kit imports no runner; `@tsorch/tensor/testing/vitest` passes vitest's for you.
   */
  readonly describe: TestApi["describe"];
  readonly it: TestApi["it"];
  readonly beforeAll: TestApi["beforeAll"];
  readonly afterAll: TestApi["afterAll"];
  /** Unused (kept so older call sites type-check); the suite checks with its own assertions. */
  readonly expect?: unknown;
}

/** Name the reference CPU backend (without fused kernels: composites on primitives) is registered under while the suite runs. */
export const REFERENCE_DEVICE = "conformance-reference-cpu";

/**
 * Registers `backend` under its own name and runs the conformance suite on it: one test per primitive of
 * `PRIMITIVE_OPS` and per view / core op, each over the dtypes the device holds, strided (transposed, broadcast,
 * offset, stepped), odd, 0-d and empty inputs, compared with the reference CPU backend; plus Philox streams, dtype
 * refusal, asynchronous reads, error surfacing and the memory contract. Call it at the top level of a test file.
 * @example
 * // my-backend.test.ts
 * import { describe, it, beforeAll, afterAll } from "vitest"; // or jest's globals, or node:test's before/after
 * import { runBackendConformance } from "@tsorch/tensor/testing";
 * import { createMyBackend } from "./my-backend.js";
 * runBackendConformance({ describe, it, beforeAll, afterAll, backend: () => createMyBackend(), tolerance: { float32: { rtol: 1e-4, atol: 1e-5 } } });
 */
export function runBackendConformance(options: ConformanceOptions): void {
  const { describe, it, beforeAll, afterAll } = options;
  for (const fn of ["describe", "it", "beforeAll", "afterAll"] as const) {
    if (typeof options[fn] !== "function") {
      throw new Error(
        `runBackendConformance: options.${fn} is missing. Pass your test runner's describe/it/beforeAll/afterAll ` +
          `(node:test: before/after), or import runBackendConformance from "@tsorch/tensor/testing/vitest".`,
      );
    }
  }
  const skip: Record<string, string> = Array.isArray(options.skip)
    ? Object.fromEntries((options.skip as string[]).map((op) => [op, "skipped by the caller"]))
    : { ...((options.skip as Record<string, string>) ?? {}) };
  const tolerance = options.tolerance ?? {};
  const staticName = typeof options.backend === "function" ? undefined : options.backend.name;
  const title = options.name ?? `backend conformance: "${staticName ?? "backend"}"`;

  let backend: Backend | undefined;
  let previous: Backend | undefined;
  let checks = 0;
  const dtypeSkips = new Set<DType>();
  const cases = new Map<string, number>();

  const current = (): Backend => {
    if (!backend) throw new Error(`${title}: the backend was not created (see the error of the setup hook).`);
    return backend;
  };

  const test = (name: string, fn: (b: Backend) => Promise<void>, timeout?: number): void => {
    if (name in skip) {
      console.warn(`[conformance] ${title}: skipping "${name}": ${skip[name]}`);
      if (it.skip) it.skip(name, () => undefined);
      return;
    }
    it(name, () => fn(current()), timeout);
  };

  const runCase = (op: string, tc: TestCase) => async (b: Backend) => {
    const missing = (tc.needs ?? []).filter((d) => !b.dtypes.includes(d));
    if (missing.length) {
      console.warn(`[conformance] "${b.name}": "${op}" skipped: the case needs ${missing.join(", ")}, which the device does not hold.`);
      return;
    }
    for (const dtype of tc.dtypes) {
      if (!b.dtypes.includes(dtype)) {
        dtypeSkips.add(dtype);
        continue;
      }
      const c = new CaseContext(op, b, REFERENCE_DEVICE, tolerance);
      await scope(() => tc.run(c, dtype));
      checks += c.checks;
      cases.set(op, (cases.get(op) ?? 0) + c.checks);
    }
  };

  describe(title, () => {
    beforeAll(async () => {
      const b = typeof options.backend === "function" ? await options.backend() : options.backend;
      previous = hasBackend(b.name) ? getBackend(b.name) : undefined;
      registerBackend(b);
      registerBackend({ ...createCpuBackend({ fused: false }), name: REFERENCE_DEVICE });
      backend = b;
    });

    afterAll(() => {
      if (backend) {
        unregisterBackend(backend.name);
        if (previous) registerBackend(previous);
      }
      unregisterBackend(REFERENCE_DEVICE);
      const skipped = [...dtypeSkips];
      console.log(
        `[conformance] "${backend?.name}": ${checks} checks over ${cases.size} ops` +
          (skipped.length ? `; dtype(s) ${skipped.join(", ")} skipped: not in backend.dtypes` : "; every dtype tested") +
          (Object.keys(skip).length ? `; skipped by the caller: ${Object.keys(skip).join(", ")}` : "") +
          ".",
      );
    });

    describe("contract", () => {
      test("covers every primitive of PRIMITIVE_OPS with a kernel", async (b) => checkCatalogue(b));
      test("dtype refusal", async (b) => {
        if (!(await checkDtypeRefusal(b, REFERENCE_DEVICE)))
          console.warn(`[conformance] "${b.name}": "dtype refusal" has nothing to check: the device holds every dtype.`);
      });
      test("asynchronous reads", async (b) => checkReads(b));
    });

    describe("primitives", () => {
      for (const [op, tc] of Object.entries(PRIMITIVE_CASES)) test(op, runCase(op, tc));
    });

    describe("views and core ops", () => {
      for (const [op, tc] of Object.entries(CORE_CASES)) test(op, runCase(op, tc));
    });

    describe("fused kernels (where the backend has them)", () => {
      for (const [op, tc] of Object.entries(FUSED_CASES)) test(`fused ${op}`, runCase(op, tc));
    });

    describe("memory", () => {
      test(
        "memory",
        async (b) => {
          const iterations = options.memoryIterations ?? 1000;
          const note = await checkMemory(b, iterations);
          if (typeof note !== "string") throw new Error(`${title}: the memory check returned no report.`);
          checks++;
        },
        120_000,
      );
    });
  });
}
