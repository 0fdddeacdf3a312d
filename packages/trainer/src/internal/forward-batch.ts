// Calling the model's forward on a batch for the Trainer (any Module's forward, checked at run time as HF's duck typing) and recognising allocation failures.

import type { Module } from "@tsorch/nn";
import type { Batch } from "./rows.js";

/**
 * Runs `model.forward(batch)` and checks it returned an object (a `ModelOutput`). `Module.forward` is declared with
 * `never[]` arguments, so the Trainer cannot type it; this is the one place it is called.
 */
export function forwardBatch(model: Module, batch: Batch): Record<string, unknown> {
  const out = (model.forward as (b: Batch) => unknown).call(model, batch);
  if (out === null || typeof out !== "object")
    throw new TypeError(`Trainer: ${model.constructor.name}.forward returned ${out === null ? "null" : typeof out}; it must take a batch object and return { loss?, logits?, … } as HF's ModelOutput.`);
  return out as Record<string, unknown>;
}

/**
 * Allocation failures, whichever layer reports them: @tsorch/tensor's creation limit ("cannot allocate …"), V8
 * ("Array buffer allocation failed", "Invalid typed array length"), the native CPU backend ("out of memory for the
 * kernel's scratch buffers"), WebGPU ("maxBufferSize", "out of memory").
 */
export function isAllocationFailure(e: unknown): boolean {
  for (let x = e, depth = 0; x instanceof Error && depth < 4; x = x.cause, depth++)
    if (/cannot allocate|array buffer allocation failed|invalid (typed )?array (buffer )?length|out of memory|allocation failed|maxBufferSize/i.test(x.message)) return true;
  return false;
}
