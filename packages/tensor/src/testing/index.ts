// @tsorch/tensor/testing: the backend conformance suite and test-only backends, for backend authors' test files.

export { runBackendConformance, REFERENCE_DEVICE, DEFAULT_TOLERANCE, PRIMITIVE_CASES, CORE_CASES, FUSED_CASES } from "./conformance.js";
export type { ConformanceOptions, ConformanceTolerance, Tol, TestApi, TestCase, CaseContext, CoreOp } from "./conformance.js";
export { createAsyncOnlyBackend } from "./async-backend.js";
export type { AsyncOnlyBackendOptions } from "./async-backend.js";

// Op goldens (models/ops): loader, the `expr` interpreter and the fixtures' tolerance rule.
export {
  checkOpsCaseForward,
  compareWithGolden,
  evaluateOpsCase,
  loadOpsFixtures,
  opsCaseEnv,
  opsFixturesCandidates,
  opsFixturesFromBytes,
  opsFixturesRoot,
  opsTensor,
  parseOpsJsonl,
} from "./ops-fixtures.js";
export type { OpsCase, OpsComparison, OpsFixtures, OpsOutputRef, OpsTensorRef } from "./ops-fixtures.js";
export { evalPyExpr } from "./py-eval.js";
export { parsePyExpr } from "./py-expr.js";
export type { PyNode, PySub } from "./py-expr.js";
export type { PyValue } from "./py-values.js";
export { cpuMsSince, fuzzRuns, fuzzSeed } from "./fuzz-settings.js";
