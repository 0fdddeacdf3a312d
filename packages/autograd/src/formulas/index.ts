// @tsorch/autograd/formulas: the gradient table and the formula types, for layer authors (adding an op, checking coverage); users need none of it.

export { GRAD_TABLE } from "./table.js";
export type { GradFormula, GradTable, FormulaContext, TensorInfo } from "../internal/formula.js";
