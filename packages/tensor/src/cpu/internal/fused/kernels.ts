// The CPU backend's fused-kernel table (FusedAttrs of backend/ops.ts): forward and backward of every fused op, float32 and float64.

import type { FusedAttrs, FusedKernelTable, StorageArray } from "../../../backend/index.js";
import { adamwForward } from "./adamw.js";
import { type KT, statShape } from "./common.js";
import { crossEntropyBackward, crossEntropyForward, crossEntropyOutputs } from "./cross-entropy.js";
import { geluBackward, geluForward } from "./gelu.js";
import { layerNormBackward, layerNormForward, rmsNormBackward, rmsNormForward } from "./norms.js";
import { softmaxBackward, softmaxForward } from "./rows.js";
import { sdpaBackward, sdpaForward, sdpaOutputs } from "./sdpa.js";

const DTYPES = ["float32", "float64"] as const;

/** The fused kernels of the CPU backend: plain loops over contiguous typed arrays, reductions in double. */
export function cpuFusedKernels(): FusedKernelTable<StorageArray> {
  const same = (ins: readonly KT[]) => [{ dtype: ins[0].dtype, shape: ins[0].shape }];
  return {
    softmax: {
      dtypes: DTYPES,
      outputs: same,
      forward: (ins, outs) => softmaxForward(false, ins[0], outs[0]),
      backward: (_ins, outs, g, grads) => softmaxBackward(false, outs[0], g, grads[0]),
    },
    logSoftmax: {
      dtypes: DTYPES,
      outputs: same,
      forward: (ins, outs) => softmaxForward(true, ins[0], outs[0]),
      backward: (_ins, outs, g, grads) => softmaxBackward(true, outs[0], g, grads[0]),
    },
    layerNorm: {
      dtypes: DTYPES,
      outputs: (ins) => [...same(ins), { dtype: ins[0].dtype, shape: statShape(ins[0]) }, { dtype: ins[0].dtype, shape: statShape(ins[0]) }],
      forward: (ins, outs, a) => layerNormForward(ins, outs, a),
      backward: (ins, _outs, g, grads, a) => layerNormBackward(ins, g, grads, a),
    },
    rmsNorm: {
      dtypes: DTYPES,
      outputs: (ins) => [...same(ins), { dtype: ins[0].dtype, shape: statShape(ins[0]) }],
      forward: (ins, outs, a) => rmsNormForward(ins, outs, a),
      backward: (ins, _outs, g, grads, a) => rmsNormBackward(ins, g, grads, a),
    },
    gelu: {
      dtypes: DTYPES,
      outputs: same,
      forward: (ins, outs, a: FusedAttrs["gelu"]) => geluForward(ins[0], outs[0], a),
      backward: (ins, outs, g, grads, a) => geluBackward(ins[0], outs[0], g, grads[0], a),
    },
    sdpa: {
      dtypes: DTYPES,
      outputs: sdpaOutputs,
      forward: (ins, outs, a) => sdpaForward(ins, outs[0], a),
      backward: (ins, outs, g, grads, a) => sdpaBackward(ins, outs[0], g, grads, a),
    },
    crossEntropy: {
      dtypes: DTYPES,
      outputs: crossEntropyOutputs,
      forward: (ins, outs, a) => crossEntropyForward(ins, outs[0], a),
      backward: (ins, _outs, g, grads, a) => crossEntropyBackward(ins, g, grads[0], a),
    },
    adamwStep: {
      dtypes: DTYPES,
      outputs: () => [],
      forward: (ins, _outs, a) => adamwForward(ins, a),
    },
  };
}
