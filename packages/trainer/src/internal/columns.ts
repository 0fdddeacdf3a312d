// Dataset columns against the model's inputs (HF's remove_unused_columns) and labels against numLabels.

import type { Module } from "@tsorch/nn";
import type { TrainingArguments } from "../training-args.js";
import type { Row, RowSource } from "./rows.js";

const camel = (k: string): string => (k === "label" || k === "label_ids" ? "labels" : k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()));

/**
 * Drops (removeUnusedColumns) or refuses (otherwise) the columns the model does not take, when the model declares
 * `inputNames`; a model without `inputNames` receives every column.
 */
export function prepareColumns(src: RowSource, model: Module & { inputNames?: readonly string[] }, args: TrainingArguments, what: string): RowSource {
  const cols0 = src.columns();
  for (const l of args.labelNames ?? [])
    if (!cols0.some((c) => camel(c) === camel(l)))
      throw new RangeError(`Trainer: labelNames names "${l}", but ${what} has no such column (its columns: ${cols0.join(", ")}); fix labelNames or rename the column.`);
  const names = model.inputNames;
  if (!names) return src;
  const accepted = new Set([...names.map(camel), ...(args.labelNames ?? ["labels"]).map(camel), "labels"]);
  const cols = src.columns();
  const unused = cols.filter((c) => !accepted.has(camel(c)));
  if (unused.length === 0) return src;
  if (!args.removeUnusedColumns)
    throw new RangeError(
      `Trainer: ${what} has column(s) ${unused.map((c) => `"${c}"`).join(", ")} that ${model.constructor.name}.forward does not take (its inputs: ${names.join(", ")}); ` +
        "remove them from the dataset or set removeUnusedColumns: true.",
    );
  const kept = cols.filter((c) => accepted.has(camel(c)));
  if (kept.length === 0)
    throw new RangeError(`Trainer: no column of ${what} (${cols.join(", ")}) is an input of ${model.constructor.name} (${names.join(", ")}); name the columns after the model's inputs.`);
  return {
    size: src.size,
    columns: () => kept,
    row: (i) => {
      const r = src.row(i);
      const out: Row = {};
      for (const k of kept) out[k] = r[k];
      return out;
    },
  };
}

function numLabelsOf(model: unknown): number | null {
  const cfg = (model as { config?: Record<string, unknown> }).config;
  // Language models (causal, masked, seq2seq) take token ids as labels: numLabels says nothing about them.
  const name = (model as { constructor?: { name?: string } }).constructor?.name ?? "";
  if (cfg?.isEncoderDecoder === true || /(LM|LMHeadModel|ForConditionalGeneration|MTModel|ForCausalLM|ForMaskedLM)$/.test(name)) return null;
  const n = cfg?.numLabels ?? cfg?.num_labels;
  return typeof n === "number" ? n : null;
}

/** Checks class labels against the model config's numLabels (-100 is HF's ignore index). */
export function checkLabels(rows: Row[], model: unknown): void {
  const n = numLabelsOf(model);
  if (n === null) return;
  for (const [ri, r] of rows.entries()) {
    const v = r.labels ?? r.label;
    const vals = Array.isArray(v) ? (v.flat(4) as unknown[]) : [v];
    for (const x of vals) {
      if (typeof x !== "number" && typeof x !== "bigint") continue;
      const k = Number(x);
      if (k !== -100 && (k < 0 || k >= n || !Number.isInteger(k)))
        throw new RangeError(`Trainer: label ${k} in row ${ri} of a batch is out of range for numLabels = ${n} (expected 0..${n - 1}, or -100 to ignore); fix the labels or the model config.`);
    }
  }
}
