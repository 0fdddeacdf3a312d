// @tsorch/tensor/testing: helpers for tests against PyTorch goldens (op fixtures loader, expression interpreter, tolerance rule).

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
