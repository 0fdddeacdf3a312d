// Builds one monomorphic elementwise loop per (op, dtypes) from an expression, so V8 inlines the math and never sees two array types at a site.

import { accessKind, collapse, isDense, type CpuTensor } from "./strides.js";
import * as scalar from "./scalar-math.js";
import { numel, bfloat16BitsToFloat, floatToBfloat16Bits, floatToHalfBits, halfBitsToFloat } from "../../backend/index.js";

/** out <- f(x0, x1, x2) elementwise, all operands of `out.shape` (broadcast by strides). */
export type ElementwiseFn = (out: CpuTensor, x0?: CpuTensor, x1?: CpuTensor, x2?: CpuTensor) => void;

const HELPERS = {
  ...scalar,
  accessKind,
  collapse,
  isDense,
  numel,
  bfloat16BitsToFloat,
  floatToBfloat16Bits,
  floatToHalfBits,
  halfBitsToFloat,
};
const HELPER_NAMES = Object.keys(HELPERS);

/**
 * Compiles `out[i] = expr` where `expr` reads the input values as `a0`, `a1`, `a2` and may call the
 * helpers of scalar-math.ts by name. Each call returns a fresh function with its own type feedback:
 * this is why kernels are generated rather than shared closures (closures of one literal share feedback).
 */
export function compileElementwise(nin: number, expr: string): ElementwiseFn {
  const ins = Array.from({ length: nin }, (_, k) => k);
  const args = ["out", ...ins.map((k) => `x${k}`)].join(", ");
  const bufs = ins.map((k) => `const b${k} = x${k}.buffer;`).join(" ");
  const kinds = ins.map((k) => `const k${k} = accessKind(x${k});`).join(" ");

  // Fast paths over a dense output: each input is dense (k=0) or one broadcast scalar (k=1).
  const combos: number[][] = [];
  for (let m = 0; m < 1 << nin; m++) combos.push(ins.map((k) => (m >> k) & 1));
  const fast = combos
    .map((c) => {
      const cond = c.map((v, k) => `k${k} === ${v}`).join(" && ") || "true";
      const pre = c
        .map((v, k) => (v === 0 ? `const f${k} = x${k}.offset - oo;` : `const a${k} = b${k}[x${k}.offset];`))
        .join(" ");
      const loads = c.map((v, k) => (v === 0 ? `const a${k} = b${k}[i + f${k}];` : "")).join(" ");
      return `if (${cond}) { ${pre} for (let i = oo; i < end; i++) { ${loads} o[i] = ${expr}; } return; }`;
    })
    .join("\n");

  const strideLists = ["out.strides", ...ins.map((k) => `x${k}.strides`)].join(", ");
  const innerSt = ins.map((k) => `const i${k} = st${k}[last];`).join(" ");
  const stDecl = ins.map((k) => `const st${k} = C.strides[${k + 1}];`).join(" ");
  const pDecl = ins.map((k) => `let p${k} = x${k}.offset;`).join(" ");
  const qDecl = ins.map((k) => `let q${k} = p${k};`).join(" ");
  const qLoad = ins.map((k) => `const a${k} = b${k}[q${k}];`).join(" ");
  const qStep = ins.map((k) => `q${k} += i${k};`).join(" ");
  const pStep = ins.map((k) => `p${k} += st${k}[d];`).join(" ");
  const pBack = ins.map((k) => `p${k} -= st${k}[d] * (cs[d] - 1);`).join(" ");

  const src = `
"use strict";
const { ${HELPER_NAMES.join(", ")} } = H;
return function elementwise(${args}) {
  const o = out.buffer;
  const n = numel(out.shape);
  if (n === 0) return;
  ${bufs}
  if (isDense(out)) {
    const oo = out.offset;
    const end = oo + n;
    ${kinds}
    ${fast}
  }
  const C = collapse(out.shape, [${strideLists}]);
  const cs = C.shape;
  const last = cs.length - 1;
  const inner = cs[last];
  const sto = C.strides[0];
  ${stDecl}
  const io = sto[last];
  ${innerSt}
  const idx = new Int32Array(cs.length);
  let po = out.offset;
  ${pDecl}
  const outer = n / inner;
  for (let it = 0; it < outer; it++) {
    let qo = po;
    ${qDecl}
    for (let j = 0; j < inner; j++) {
      ${qLoad}
      o[qo] = ${expr};
      qo += io;
      ${qStep}
    }
    for (let d = last - 1; d >= 0; d--) {
      if (++idx[d] < cs[d]) { po += sto[d]; ${pStep} break; }
      idx[d] = 0;
      po -= sto[d] * (cs[d] - 1);
      ${pBack}
    }
  }
};`;
  return new Function("H", src)(HELPERS) as ElementwiseFn;
}
