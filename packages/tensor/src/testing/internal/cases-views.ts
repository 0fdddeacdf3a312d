// Conformance cases of the dispatcher's view and core ops (view, permute, expand, slice, flip, asStrided, cat, embed, transfer, assign).

import { DTYPES, type DType } from "../../backend/index.js";
import { cat, pad, stack, type Tensor } from "../../index.js";
import { dispatch, type DispatchOp } from "../../dispatch/index.js";
import type { FusedOp, PrimitiveOp } from "../../backend/index.js";
import type { TestCase } from "./case.js";
import { ALL } from "./cases-elementwise.js";
import { Dev, LAYOUTS, decode } from "./harness.js";

/** The dispatcher's ops that are neither backend primitives nor optional fused kernels: each is tested by the suite too. */
export type CoreOp = Exclude<DispatchOp, PrimitiveOp | FusedOp>;

const padValue = (dtype: DType): number => (dtype === "bool" ? 1 : dtype === "uint8" || dtype.startsWith("int") ? 7 : -1.5);

function asStrided(x: Tensor, shape: number[], strides: number[], offset: number): Tensor {
  return dispatch({ op: "asStrided", inputs: [x], attrs: { shape, strides, offset } })[0];
}

/** Values of a device tensor must equal those of `src` (read on its own device) exactly. */
async function sameValues(d: Dev, src: Tensor, got: Tensor): Promise<void> {
  void d;
  const want = decode(await src.data(), src.dtype);
  const have = decode(await got.data(), got.dtype);
  if (got.shape.join() !== src.shape.join()) throw new Error(`transfer: shape [${got.shape}] after the move, expected [${src.shape}].`);
  for (let i = 0; i < want.length; i++)
    if (!Object.is(want[i], have[i]) && !(want[i] === have[i]))
      throw new Error(`transfer ${src.dtype} "${src.device}" -> "${got.device}": element ${i} is ${String(have[i])}, expected ${String(want[i])}.`);
}

export const CORE_CASES: { readonly [K in CoreOp]: TestCase } = {
  view: {
    dtypes: ALL,
    async run(c, dtype) {
      for (const layout of ["contiguous", "offset"] as const)
        for (const shape of [[2, 12], [-1], [4, 2, 3], [24, 1], [1, 4, 6]])
          await c.compare(`${dtype} [4, 6] ${layout} view(${shape})`, (d) => d.gen([4, 6], dtype, { layout }).view(shape));
      await c.compare(`${dtype} transposed view splitting a dim`, (d) => d.gen([4, 6], dtype, { layout: "transposed" }).view(4, 2, 3));
      await c.compare(`${dtype} view of 0-d and empty`, (d) => [d.gen([], dtype).view(1, 1), d.gen([0, 3], dtype).view(3, 0)]);
      await c.expectThrows("transposed view(-1)", () => c.dev.gen([4, 6], dtype, { layout: "transposed" }).view(-1), /reshape/);
    },
  },
  permute: {
    dtypes: ALL,
    async run(c, dtype) {
      for (const layout of LAYOUTS)
        for (const dims of [[2, 0, 1], [1, 2, 0], [0, 2, 1]])
          await c.compare(`${dtype} [3, 4, 5] ${layout} permute(${dims}) and an op on it`, (d) => {
            const p = d.gen([3, 4, 5], dtype, { layout }).permute(dims);
            return [p, p.eq(p.contiguous())];
          });
      await c.compare(`${dtype} .T and .mT`, (d) => [d.gen([3, 4], dtype).T, d.gen([2, 3, 4], dtype).mT]);
    },
  },
  expand: {
    dtypes: ALL,
    async run(c, dtype) {
      for (const layout of LAYOUTS)
        await c.compare(`${dtype} [3, 1, 5] ${layout} expand(2, 3, 4, 5)`, (d) => {
          const e = d.gen([3, 1, 5], dtype, { layout }).expand(2, 3, 4, 5);
          return [e, e.ne(e.flip(0))];
        });
      await c.compare(`${dtype} 0-d expand(3, 2)`, (d) => d.gen([], dtype).expand(3, 2));
      await c.compare(`${dtype} expand to an empty dim`, (d) => d.gen([1, 3], dtype).expand(0, 3));
    },
  },
  slice: {
    dtypes: ALL,
    async run(c, dtype) {
      const specs: [number, number | null, number | null, number][] = [[0, 1, null, 1], [1, -3, -1, 1], [1, 0, null, 2], [0, 2, 100, 3], [1, 3, 3, 1], [-1, null, null, 4]];
      for (const layout of LAYOUTS)
        for (const [dim, s, e, st] of specs)
          await c.compare(`${dtype} [7, 6] ${layout} slice(${dim}, ${s}, ${e}, ${st})`, (d) => d.gen([7, 6], dtype, { layout }).slice(dim, s, e, st));
      await c.compare(`${dtype} select / narrow / unbind`, (d) => {
        const x = d.gen([5, 4], dtype, { layout: "transposed" });
        return [x.select(1, -1), x.narrow(0, 1, 3), ...x.unbind(1)];
      });
      await c.expectThrows("select out of range", () => c.dev.gen([5, 4], dtype).select(0, 5), /out of bounds|out of range/);
    },
  },
  flip: {
    dtypes: ALL,
    async run(c, dtype) {
      for (const layout of LAYOUTS)
        for (const dims of [[0], [1], [0, 1], [-1]])
          await c.compare(`${dtype} [7, 5] ${layout} flip(${dims}) (negative strides)`, (d) => d.gen([7, 5], dtype, { layout }).flip(dims));
      await c.compare(`${dtype} flip of 0-d and empty`, (d) => [d.gen([], dtype).flip([]), d.gen([0, 3], dtype).flip(0, 1)]);
    },
  },
  asStrided: {
    dtypes: ALL,
    async run(c, dtype) {
      await c.compare(`${dtype} [12] asStrided([2, 3], [6, 2], 1)`, (d) => asStrided(d.gen([12], dtype), [2, 3], [6, 2], 1));
      await c.compare(`${dtype} offset storage asStrided([3, 2], [1, 3], 2)`, (d) => asStrided(d.gen([12], dtype, { layout: "offset" }), [3, 2], [1, 3], 2));
      await c.compare(`${dtype} asStrided then an op`, (d) => {
        const v = asStrided(d.gen([20], dtype), [2, 2, 2], [10, 4, 1], 3);
        return v.eq(v.clone());
      });
    },
  },
  cat: {
    dtypes: ALL,
    async run(c, dtype) {
      for (const layout of LAYOUTS)
        for (const dim of [0, 1, -1])
          await c.compare(`${dtype} three parts (${layout}, contiguous, stepped) dim=${dim}`, (d) => {
            const s = (k: number) => (dim === 0 ? [k, 4] : [3, k]);
            return cat([d.gen(s(3), dtype, { layout }), d.gen(s(2), dtype, { seed: 2 }), d.gen(s(1), dtype, { layout: "stepped", seed: 3 })], dim);
          });
      await c.compare(`${dtype} with an empty part`, (d) => cat([d.gen([2, 3], dtype), d.gen([0, 3], dtype), d.gen([1, 3], dtype, { seed: 4 })], 0));
      await c.compare(`${dtype} stack of 0-d`, (d) => stack([d.gen([], dtype), d.gen([], dtype, { seed: 5 })]));
      await c.compare(`${dtype} cat of [0] parts`, (d) => cat([d.gen([0], dtype), d.gen([0], dtype)]));
    },
  },
  embed: {
    dtypes: ALL,
    async run(c, dtype) {
      const pads = [[1, 2], [0, 0, 2, 1], [3, 0, 0, 4], [-1, 2, 1, -2], [2, 2, 2, 2]];
      for (const layout of LAYOUTS)
        for (const p of pads)
          await c.compare(`${dtype} [5, 4] ${layout} pad(${p}, ${padValue(dtype)})`, (d) => pad(d.gen([5, 4], dtype, { layout }), p, padValue(dtype)));
      await c.compare(`${dtype} pad of an empty tensor`, (d) => pad(d.gen([0, 3], dtype), [1, 1, 2, 0], padValue(dtype)));
    },
  },
  transfer: {
    dtypes: ALL,
    async run(c, dtype) {
      for (const layout of LAYOUTS)
        for (const shape of [[7, 5], [], [0, 3]]) {
          const src = c.ref.gen(shape, dtype, { layout, lo: dtype === "uint8" ? 0 : -300, hi: 300 });
          const moved = src.to(c.device);
          if (moved.device !== c.device) throw new Error(`transfer: .to("${c.device}") gave a tensor on "${moved.device}".`);
          await sameValues(c.dev, src, moved);
          const onDevice = c.dev.gen(shape, dtype, { layout });
          let back: Tensor;
          if (c.backend.readSync) back = onDevice.to(c.ref.device);
          else {
            await c.expectThrows(`${dtype} .to() off an async-only device`, () => onDevice.to(c.ref.device), /toAsync/);
            await c.expectThrows(`${dtype} copy_ from an async-only device`, () => c.ref.gen(shape, dtype).copy_(onDevice), /toAsync/);
            back = await onDevice.toAsync(c.ref.device);
          }
          await sameValues(c.dev, onDevice, back);
          c.checks++;
        }
      if (dtype === "int64") {
        const big = c.ref.t([9007199254740993n, -(2n ** 63n)], "int64");
        await sameValues(c.dev, big, big.to(c.device));
      }
      if (c.device !== "cpu" && dtype === "float32")
        await c.expectValues("a 0-d CPU tensor acts as a scalar next to device tensors", c.dev.t([1, 2], dtype).add(new Dev("cpu").t(1, dtype)), [2, 3]);
    },
  },
  assign: {
    dtypes: ALL,
    async run(c, dtype) {
      for (const other of DTYPES.filter((t) => c.has(t)))
        await c.compare(`${dtype} copy_ from ${other} into a transposed view, a stepped view, with broadcast`, (d) => {
          const x = d.gen([6, 5], dtype);
          x.T.copy_(d.gen([5, 6], other, { layout: "offset", lo: 0, hi: 100 }));
          x.slice(1, 1, null, 2).copy_(d.gen([2], other, { lo: 0, hi: 100, seed: 3 }));
          return x;
        });
      await c.compare(`${dtype} fill_ and zero_ on views`, (d) => {
        const x = d.gen([4, 6], dtype);
        x.narrow(0, 1, 2).fill_(dtype === "bool" ? true : 3);
        x.select(1, 0).zero_();
        return x;
      });
      await c.compare(`${dtype} copy_ from the reference CPU into the device`, (d) => {
        const x = d.gen([3, 4], dtype);
        return x.copy_(c.ref.gen([3, 4], dtype, { seed: 11, layout: "transposed" }));
      });
      const x = c.dev.gen([3], dtype);
      const v = x.storage.version;
      x.copy_(c.dev.gen([3], dtype, { seed: 2 }));
      if (x.storage.version !== v + 1) throw new Error(`assign on "${c.device}": copy_ must bump the storage version once (was ${v}, now ${x.storage.version}).`);
    },
  },
};
