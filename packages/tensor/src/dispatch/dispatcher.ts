// The dispatcher: every op (primitive, view, in-place assign) passes through one function and a stack of interceptors (autograd is one).

import type { KernelTensor } from "../backend/backend.js";
import type { FusedAttrs, FusedOp, OutputSpec, PrimitiveAttrs, PrimitiveOp } from "../backend/ops.js";
import { FUSED_OPS } from "../backend/ops.js";
import { getBackend } from "../backend/registry.js";
import { fmtShape } from "../backend/layout.js";
import { Tensor } from "../tensor.js";
import { getDefaultDevice } from "../defaults.js";

/** View ops: no kernel, a new layout over the same storage. */
export interface ViewAttrs {
  /** New shape with strides that `viewStrides` accepted (the caller checked). */
  view: { readonly shape: readonly number[]; readonly strides: readonly number[] };
  permute: { readonly dims: readonly number[] };
  expand: { readonly shape: readonly number[] };
  /** Elements start, start+step, … < end along dim (start/end already clamped, step ≥ 1). */
  slice: { readonly dim: number; readonly start: number; readonly end: number; readonly step: number };
  /** Reverses the order along `dims` (negative strides; readers copy). */
  flip: { readonly dims: readonly number[] };
  /** A view with explicit shape, strides and offset relative to the input's own offset (no overlapping elements). */
  asStrided: { readonly shape: readonly number[]; readonly strides: readonly number[]; readonly offset: number };
}

/**
 * Core ops: atomic for autograd, executed by the dispatcher with the `fill` and `copy` kernels, so backends need nothing more.
 * - `cat`: inputs joined along `dim`.
 * - `embed`: a tensor of `shape` filled with `value`, with the input written into the strided region (`strides`,
 *   `offset`, relative to the contiguous output) — padding, and the backward of slicing; `asStrided` is its inverse.
 * - `transfer`: the input copied to another device.
 */
export interface CoreAttrs {
  cat: { readonly dim: number };
  embed: {
    readonly shape: readonly number[];
    readonly strides: readonly number[];
    readonly offset: number;
    readonly value: number;
  };
  transfer: { readonly device: string };
}

/** Every op the dispatcher routes, with its attributes. `assign` writes inputs[1] into inputs[0] in place; fused ops run a backend's fused kernel. */
export type DispatchAttrs = PrimitiveAttrs & ViewAttrs & CoreAttrs & FusedAttrs & { assign: Record<string, never> };
export type DispatchOp = keyof DispatchAttrs;

/** One call through the dispatcher. `outputs` lists the specs of what a primitive allocates. */
export interface OpCall<K extends DispatchOp = DispatchOp> {
  readonly op: K;
  readonly inputs: readonly Tensor[];
  readonly attrs: DispatchAttrs[K];
  readonly outputs?: readonly OutputSpec[];
  /** Device of an op without tensor inputs (creation); otherwise the inputs' device. */
  readonly device?: string;
}

/** A layer between the caller and the backend (autograd, profiling, tracing). Calls `next` to go on down. */
export type Interceptor = (call: OpCall, next: (call: OpCall) => Tensor[]) => Tensor[];

const interceptors: Interceptor[] = [];
// nexts[i] continues below interceptor i; built once per change of the stack, so a call allocates no closure.
let nexts: ((call: OpCall) => Tensor[])[] = [];

function rebuildNexts(): void {
  nexts = interceptors.map((_, i) => (c: OpCall) => (i === 0 ? execute(c) : interceptors[i - 1](c, nexts[i - 1])));
}

/**
 * Installs an interceptor above the ones already there (the last installed runs first), as a PyTorch dispatch key.
 * Returns a function that removes it.
 * @example const off = addInterceptor((call, next) => { console.log(call.op); return next(call); });
 */
export function addInterceptor(i: Interceptor): () => void {
  interceptors.push(i);
  rebuildNexts();
  return () => {
    const k = interceptors.indexOf(i);
    if (k >= 0) interceptors.splice(k, 1);
    rebuildNexts();
  };
}

/** Runs an op through the interceptors down to the backend. */
export function dispatch<K extends DispatchOp>(call: OpCall<K>): Tensor[] {
  const top = interceptors.length - 1;
  return top < 0 ? execute(call as OpCall) : interceptors[top](call as OpCall, nexts[top]);
}

/** Shorthand: one primitive with one output. */
export function run1<K extends PrimitiveOp>(op: K, inputs: readonly Tensor[], attrs: PrimitiveAttrs[K], out: OutputSpec, device?: string): Tensor {
  return dispatch({ op, inputs, attrs: attrs as DispatchAttrs[K], outputs: [out], device })[0];
}

/** A tensor as the strided view a kernel receives (for code that calls a backend's kernels directly, e.g. fused backwards). */
export function kernelView(t: Tensor): KernelTensor {
  return { buffer: t.storage.buffer, dtype: t.dtype, shape: t.shape, strides: t.strides, offset: t.offset };
}

function checkDevices(call: OpCall): string {
  if (call.op === "transfer") {
    call.inputs[0].assertAlive("to");
    return call.inputs[0].device;
  }
  const first = call.inputs[0];
  const device = first ? first.device : (call.device ?? getDefaultDevice());
  for (const t of call.inputs) {
    t.assertAlive(call.op);
    if (t.device !== device)
      throw new Error(
        `${call.op}: expected all tensors to be on the same device, but found "${device}" and "${t.device}" ` +
          `(shapes ${call.inputs.map((x) => fmtShape(x.shape)).join(", ")}). Move them with .to("${device}") first.`,
      );
  }
  return device;
}

/** The bottom of the stack: views make layouts, primitives call the backend's kernel. */
function execute(call: OpCall): Tensor[] {
  const device = checkDevices(call);
  switch (call.op) {
    case "view": {
      const a = call.attrs as ViewAttrs["view"];
      const x = call.inputs[0];
      return [x.viewOf(a.shape, a.strides, x.offset)];
    }
    case "permute": {
      const { dims } = call.attrs as ViewAttrs["permute"];
      const x = call.inputs[0];
      return [x.viewOf(dims.map((d) => x.shape[d]), dims.map((d) => x.strides[d]), x.offset)];
    }
    case "expand": {
      const { shape } = call.attrs as ViewAttrs["expand"];
      const x = call.inputs[0];
      const k = shape.length - x.shape.length;
      const strides = shape.map((s, i) => (i < k ? 0 : x.shape[i - k] === 1 && s !== 1 ? 0 : x.strides[i - k]));
      return [x.viewOf(shape, strides, x.offset)];
    }
    case "slice": {
      const { dim, start, end, step } = call.attrs as ViewAttrs["slice"];
      const x = call.inputs[0];
      const shape = [...x.shape];
      const strides = [...x.strides];
      shape[dim] = Math.max(0, Math.ceil((end - start) / step));
      strides[dim] = x.strides[dim] * step;
      return [x.viewOf(shape, strides, x.offset + (shape[dim] > 0 ? start * x.strides[dim] : 0))];
    }
    case "flip": {
      const { dims } = call.attrs as ViewAttrs["flip"];
      const x = call.inputs[0];
      const strides = [...x.strides];
      let offset = x.offset;
      for (const d of dims) {
        if (x.shape[d] > 0) offset += (x.shape[d] - 1) * x.strides[d];
        strides[d] = -strides[d];
      }
      return [x.viewOf([...x.shape], strides, offset)];
    }
    case "asStrided": {
      const a = call.attrs as ViewAttrs["asStrided"];
      const x = call.inputs[0];
      return [x.viewOf([...a.shape], [...a.strides], x.offset + a.offset)];
    }
    case "cat": {
      const { dim } = call.attrs as CoreAttrs["cat"];
      const backend = getBackend(device);
      const first = call.inputs[0];
      const shape = [...first.shape];
      shape[dim] = call.inputs.reduce((s, t) => s + t.shape[dim], 0);
      const out = Tensor.empty(shape, first.dtype, device, "cat");
      let at = 0;
      for (const t of call.inputs) {
        const dst: KernelTensor = { ...kernelView(out), shape: t.shape, offset: at * out.strides[dim] };
        if (t.numel() > 0) backend.kernels.copy([kernelView(t)], [dst], {} as Record<string, never>);
        at += t.shape[dim];
      }
      return [out];
    }
    case "embed": {
      const a = call.attrs as CoreAttrs["embed"];
      const x = call.inputs[0];
      const backend = getBackend(device);
      const out = Tensor.empty(a.shape, x.dtype, device, "embed");
      backend.kernels.fill([], [kernelView(out)], { value: x.dtype === "int64" ? BigInt(a.value) : a.value });
      if (x.numel() > 0)
        backend.kernels.copy([kernelView(x)], [{ ...kernelView(out), shape: x.shape, strides: a.strides, offset: a.offset }], {} as Record<string, never>);
      return [out];
    }
    case "transfer": {
      const { device: to } = call.attrs as CoreAttrs["transfer"];
      const x = call.inputs[0];
      const src = x.storage.backend;
      if (!src.readSync)
        throw new Error(
          `to("${to}"): device "${x.device}" cannot be read synchronously. Use "await t.toAsync('${to}')" to move this tensor off it.`,
        );
      const c = x.isContiguous() ? x : execute({ op: "copy", inputs: [x], attrs: {} as Record<string, never>, outputs: [{ dtype: x.dtype, shape: x.shape }] })[0];
      const host = src.readSync(c.storage.buffer, c.dtype, c.offset, c.numel());
      if (c !== x) c.dispose();
      const out = Tensor.empty(x.shape, x.dtype, to, `to("${to}")`);
      out.storage.backend.write(out.storage.buffer, out.dtype, host, 0);
      return [out];
    }
    case "assign": {
      const [dst, src] = call.inputs;
      const backend = getBackend(device);
      backend.kernels.copy([kernelView(src)], [kernelView(dst)], {} as Record<string, never>);
      dst.storage.version++;
      return [dst];
    }
    default: {
      if (FUSED.has(call.op)) return executeFused(call as OpCall<FusedOp>, device);
      const backend = getBackend(device);
      const err = backend.takeError?.();
      if (err) throw err;
      const specs = call.outputs ?? [];
      const outs = allocOutputs(specs, device, call.op);
      const kernel = backend.kernels[call.op as PrimitiveOp] as (i: KernelTensor[], o: KernelTensor[], a: unknown) => void;
      try {
        kernel(call.inputs.map(kernelView), outs.map(kernelView), call.attrs);
      } catch (e) {
        for (const o of outs) o.dispose();
        throw e;
      }
      return outs;
    }
  }
}

const FUSED = new Set<string>(FUSED_OPS);

/** The outputs of one kernel call; when the device refuses one, those already made are freed before the error. */
function allocOutputs(specs: readonly OutputSpec[], device: string, op: string): Tensor[] {
  const outs: Tensor[] = [];
  try {
    for (const s of specs) outs.push(Tensor.empty(s.shape, s.dtype, device, op));
  } catch (e) {
    for (const o of outs) o.dispose();
    throw e;
  }
  return outs;
}

/** A fused kernel: outputs as the backend describes them; adamwStep writes its inputs in place. */
function executeFused(call: OpCall<FusedOp>, device: string): Tensor[] {
  const backend = getBackend(device);
  const kernel = backend.fused?.[call.op] as
    | { outputs(i: KernelTensor[], a: unknown): OutputSpec[]; forward(i: KernelTensor[], o: KernelTensor[], a: unknown): void }
    | undefined;
  if (!kernel) throw new Error(`${call.op}: device "${device}" has no fused kernel for it; call the composite instead.`);
  const ins = call.inputs.map(kernelView);
  const outs = allocOutputs(kernel.outputs(ins, call.attrs as FusedAttrs[FusedOp]), device, call.op);
  try {
    kernel.forward(ins, outs.map(kernelView), call.attrs);
  } catch (e) {
    for (const o of outs) o.dispose();
    throw e;
  }
  if (call.op === "adamwStep") for (const t of call.inputs) if (t !== call.inputs[1]) t.storage.version++;
  return outs;
}
