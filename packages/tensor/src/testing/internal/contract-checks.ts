// Conformance checks of the backend contract beyond single ops: catalogue coverage, dtype refusal, async reads, memory, errors.

import { DTYPES, PRIMITIVE_OPS, STORAGE_ARRAY_NAME, type Backend, type DType } from "../../backend/index.js";
import { cat, full, memoryReport, oneHot, scope, tensor, zeros, type Tensor } from "../../index.js";
import { Dev, drainDevice } from "./harness.js";
import { PRIMITIVE_CASES } from "./primitive-cases.js";


function fail(msg: string): never {
  throw new Error(msg);
}

async function throwsMatching(what: string, fn: () => unknown, pattern: RegExp): Promise<void> {
  try {
    await scope(async () => {
      await fn();
    });
  } catch (e) {
    const m = String((e as Error)?.message ?? e);
    if (!pattern.test(m)) fail(`${what}: the error "${m}" does not match ${pattern}.`);
    return;
  }
  fail(`${what}: expected an error matching ${pattern}, but nothing was thrown.`);
}

/** Every primitive has a case and a kernel; the backend holds float32 and declares only known dtypes. */
export function checkCatalogue(backend: Backend): void {
  const cases = PRIMITIVE_CASES as Record<string, unknown>;
  for (const op of PRIMITIVE_OPS) if (!cases[op]) fail(`conformance suite: no case for primitive "${op}" (add one to PRIMITIVE_CASES).`);
  for (const op of Object.keys(cases)) if (!PRIMITIVE_OPS.includes(op as never)) fail(`conformance suite: case "${op}" is not in PRIMITIVE_OPS.`);
  const kernels = backend.kernels as unknown as Record<string, unknown>;
  const missing = PRIMITIVE_OPS.filter((op) => typeof kernels[op] !== "function");
  if (missing.length) fail(`backend "${backend.name}" has no kernel for: ${missing.join(", ")}. Every primitive of PRIMITIVE_OPS needs one.`);
  if (!backend.dtypes.includes("float32")) fail(`backend "${backend.name}" must hold float32 (it computes everywhere); its dtypes are ${backend.dtypes.join(", ")}.`);
  for (const d of backend.dtypes) if (!DTYPES.includes(d)) fail(`backend "${backend.name}" declares the unknown dtype ${String(d)}.`);
  for (const [k, f] of Object.entries(backend.fused ?? {}))
    if (f && (typeof f.outputs !== "function" || typeof f.forward !== "function")) fail(`backend "${backend.name}": fused kernel "${k}" needs outputs() and forward().`);
}

/**
 * Dtypes the device lacks are refused at creation and on transfer, with an error naming the device.
 * Returns false when the device holds every dtype (nothing to refuse).
 */
export async function checkDtypeRefusal(backend: Backend, refDevice: string): Promise<boolean> {
  const device = backend.name;
  const missing = DTYPES.filter((d) => !backend.dtypes.includes(d));
  const named = new RegExp(`"${device.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`);
  for (const dtype of missing) {
    await throwsMatching(`tensor([1], { dtype: "${dtype}", device: "${device}" })`, () => tensor([1], { dtype, device }), named);
    await throwsMatching(`zeros([2], { dtype: "${dtype}" }) on "${device}"`, () => zeros([2], { dtype, device }), named);
    await throwsMatching(`full([], 1, { dtype: "${dtype}" }) on "${device}"`, () => full([], 1, { dtype, device }), named);
    await throwsMatching(`.to("${device}") of a ${dtype} tensor`, () => tensor([1, 0], { dtype, device: refDevice }).to(device), named);
    await throwsMatching(`.to("${dtype}") on "${device}"`, () => tensor([1, 2], { dtype: "float32", device }).to(dtype), named);
  }
  return missing.length > 0;
}

/** data / item / tolist on every dtype; dataSync only with readSync, else a clear error; toString never throws. */
export async function checkReads(backend: Backend): Promise<void> {
  const device = backend.name;
  const d = new Dev(device);
  await scope(async () => {
    for (const dtype of backend.dtypes) {
      const t = d.gen([2, 3], dtype);
      const a = await t.data();
      if (a.constructor.name !== STORAGE_ARRAY_NAME[dtype]) fail(`data() of a ${dtype} tensor on "${device}" gave a ${a.constructor.name}, expected ${STORAGE_ARRAY_NAME[dtype]}.`);
      if (a.length !== 6) fail(`data() of a [2, 3] ${dtype} tensor on "${device}" gave ${a.length} elements.`);
      // A read is a fresh copy: writing into it must not change the tensor.
      const first = a[0];
      (a as Uint8Array)[0] = (typeof first === "bigint" ? first + 1n : (first as number) + 1) as never;
      const again = await t.data();
      if (again[0] !== first) fail(`data() on "${device}" returned a view of the device buffer, not a fresh array (${dtype}).`);
      const v = await t.select(0, 1).select(0, 2).item();
      const list = (await t.tolist()) as unknown[][];
      if (list.length !== 2 || list[1].length !== 3 || list[1][2] !== v) fail(`tolist() / item() of a ${dtype} tensor on "${device}" disagree: ${JSON.stringify(list, (_, x) => (typeof x === "bigint" ? `${x}n` : x))} vs ${String(v)}.`);
    }
    const x = tensor([[1, 2], [3, 4]], { dtype: "float32", device });
    const s = x.toString();
    if (typeof s !== "string" || s.length === 0) fail(`toString() on "${device}" gave nothing.`);
    if (backend.readSync) {
      const sync = x.dataSync();
      if (Array.from(sync as Float32Array).join() !== "1,2,3,4") fail(`dataSync() on "${device}" gave ${Array.from(sync as Float32Array)}.`);
      if (x.select(0, 0).select(0, 1).itemSync() !== 2) fail(`itemSync() on "${device}" is wrong.`);
    } else {
      await throwsMatching(`dataSync() on the async-only "${device}"`, () => x.dataSync(), /await t\.data\(\)/);
      await throwsMatching(`tolistSync() on the async-only "${device}"`, () => x.tolistSync(), /await t\.data\(\)/);
      if (!s.includes(device)) fail(`toString() on the async-only "${device}" should say where the tensor is, got: ${s}`);
      if (backend.dtypes.includes("int64") && backend.dtypes.includes("bool")) {
        const labels = tensor([0, 2, 1], { dtype: "int64", device });
        await throwsMatching(`oneHot(labels) with numClasses -1 on "${device}"`, () => oneHot(labels), /numClasses/);
        const oh = oneHot(labels, 3);
        const got = Array.from(await oh.data(), (v: number | bigint) => Number(v)).join();
        if (got !== "1,0,0,0,0,1,0,1,0") fail(`oneHot(labels, 3) on "${device}" gave ${got}.`);
      }
      // The tensor layer never waits synchronously: a chain of ops returns before any read resolves.
      const y = x.mul(2).add(1).sum();
      if (Number(await y.item()) !== 24) fail(`an op chain on "${device}" read back ${String(await y.item())}, expected 24.`);
    }
  });
  await drainDevice(backend);
}

const OP_MIX: readonly ((x: Tensor, i: number) => Tensor)[] = [
  (x) => x.add(1),
  (x) => x.mul(x).sum(),
  (x) => x.exp().amax(0),
  (x) => x.view(4, 4).matmul(x.view(4, 4).T),
  (x, i) => cat([x, x.slice(0, i % 8)]),
  (x) => x.gt(0).where(x, 0),
  (x) => x.sort().values,
  (x) => x.to("float32").neg(),
  (x) => x.view(4, 4).sum(1, true).expand(4, 4).contiguous(),
  (x) => x.cumsum(0).flip(0),
];

/** Bytes the tensor layer and the backend account for this device. */
function usage(backend: Backend): { live: number; bytes: number; allocated: number | undefined } {
  const r = memoryReport();
  return { live: r.liveTensors, bytes: r.bytesByDevice[backend.name] ?? 0, allocated: backend.memory?.().allocatedBytes };
}

/**
 * After `iterations` small ops inside `scope()` (sync, then async with reads), the live tensors, the bytes per device
 * in `memoryReport()` and the backend's `memory().allocatedBytes` are back where they started.
 */
export async function checkMemory(backend: Backend, iterations: number): Promise<string> {
  const x = tensor(Array.from({ length: 16 }, (_, i) => (i % 5) - 2), { dtype: "float32", device: backend.name });
  try {
    await drainDevice(backend);
    const before = usage(backend);
    scope(() => {
      for (let i = 0; i < iterations; i++) OP_MIX[i % OP_MIX.length](x, i);
    });
    const mid = usage(backend);
    await scope(async () => {
      for (let i = 0; i < iterations; i++) {
        const y = OP_MIX[i % OP_MIX.length](x, i);
        if (i % 100 === 0) await y.data();
      }
    });
    await drainDevice(backend);
    const after = usage(backend);
    for (const [phase, u] of [["sync scope", mid], ["async scope", after]] as const) {
      if (u.live !== before.live) fail(`memory on "${backend.name}" after ${iterations} ops in a ${phase}: ${u.live - before.live} tensors still live.`);
      if (u.bytes !== before.bytes) fail(`memory on "${backend.name}" after ${iterations} ops in a ${phase}: memoryReport().bytesByDevice went from ${before.bytes} to ${u.bytes}.`);
      if (u.allocated !== before.allocated)
        fail(`memory on "${backend.name}" after ${iterations} ops in a ${phase}: backend.memory().allocatedBytes went from ${before.allocated} to ${u.allocated} (free() must return what alloc() counted).`);
    }
    return backend.memory ? `allocatedBytes ${before.allocated} before and after` : `backend "${backend.name}" has no memory(); only memoryReport() was checked`;
  } finally {
    x.dispose();
  }
}
