// The fused-kernel table of the WebGPU backend (FusedAttrs of @tsorch/tensor): forward and backward of every fused op, float32.

import type { FusedAttrs, FusedKernelTable } from "@tsorch/tensor/backend";
import { runElementwise } from "../elementwise.js";
import { unsupported } from "../kernel.js";
import type { GpuBuffer } from "../pool.js";
import type { GpuRuntime } from "../runtime.js";
import { familyOf } from "../wgsl-dtype.js";
import { adamwForward } from "./adamw.js";
import type { KT } from "./common.js";
import { crossEntropyBackward, crossEntropyForward, crossEntropyOutputs } from "./cross-entropy.js";
import { runRows } from "./rows.js";
import { geluBackward, layerNormBackward, rmsNormBackward, softmaxBackward } from "./rows-backward.js";
import { sdpaBackward, sdpaForward, sdpaOutputs } from "./sdpa.js";

const statShape = (x: KT): number[] => (x.shape.length === 0 ? [] : [...x.shape.slice(0, -1), 1]);

/** The fused kernels this backend offers (float32; other dtypes take the composites, which run on the primitives). */
export function fusedKernels(rt: GpuRuntime): FusedKernelTable<GpuBuffer> {
  const same = (ins: readonly KT[]) => [{ dtype: ins[0].dtype, shape: ins[0].shape }];
  return {
    softmax: {
      outputs: same,
      forward: (ins, outs) => runRows(rt, "softmax", ins[0], outs, null, null, 0),
      backward: (_ins, outs, g, grads) => softmaxBackward(rt, false, outs[0], g, grads[0]),
    },
    logSoftmax: {
      outputs: same,
      forward: (ins, outs) => runRows(rt, "logSoftmax", ins[0], outs, null, null, 0),
      backward: (_ins, outs, g, grads) => softmaxBackward(rt, true, outs[0], g, grads[0]),
    },
    layerNorm: {
      outputs: (ins) => [{ dtype: ins[0].dtype, shape: ins[0].shape }, { dtype: ins[0].dtype, shape: statShape(ins[0]) }, { dtype: ins[0].dtype, shape: statShape(ins[0]) }],
      forward: (ins, outs, a: FusedAttrs["layerNorm"]) => {
        const w = a.hasWeight ? ins[1] : null;
        const b = a.hasBias ? ins[a.hasWeight ? 2 : 1] : null;
        runRows(rt, "layerNorm", ins[0], outs, w, b, a.eps);
      },
      backward: (ins, outs, g, grads, a) => layerNormBackward(rt, ins, outs, g, grads, a),
    },
    rmsNorm: {
      outputs: (ins) => [{ dtype: ins[0].dtype, shape: ins[0].shape }, { dtype: ins[0].dtype, shape: statShape(ins[0]) }],
      forward: (ins, outs, a: FusedAttrs["rmsNorm"]) => runRows(rt, "rmsNorm", ins[0], outs, a.hasWeight ? ins[1] : null, null, a.eps),
      backward: (ins, outs, g, grads, a) => rmsNormBackward(rt, ins, outs, g, grads, a),
    },
    gelu: {
      outputs: same,
      forward: (ins, outs, a: FusedAttrs["gelu"]) => {
        const expr =
          a.approximate === "tanh"
            ? "0.5 * a0 * (1.0 + f_tanh(0.7978845608028654 * (a0 + 0.044715 * a0 * a0 * a0)))"
            : "0.5 * a0 * (1.0 + f_erf(a0 * 0.7071067811865476))";
        if (familyOf(ins[0].dtype) !== "F") unsupported("gelu", ins[0].dtype);
        runElementwise(rt, "gelu", [ins[0]], outs[0], expr, ins[0].dtype, ins[0].dtype);
      },
      backward: (ins, _outs, g, grads, a) => geluBackward(rt, ins[0], g, grads[0], a.approximate),
    },
    sdpa: {
      outputs: sdpaOutputs,
      forward: (ins, outs, a) => sdpaForward(rt, ins, outs[0], a),
      backward: (ins, outs, g, grads, a) => sdpaBackward(rt, ins, outs[0], g, grads, a),
    },
    crossEntropy: {
      outputs: crossEntropyOutputs,
      forward: (ins, outs, a) => crossEntropyForward(rt, ins, outs[0], a),
      backward: (ins, _outs, g, grads, a) => crossEntropyBackward(rt, ins, g, grads[0], a),
    },
    adamwStep: {
      outputs: () => [],
      forward: (ins, _outs, a) => adamwForward(rt, ins, a),
    },
  };
}
