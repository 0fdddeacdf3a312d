// Tensor lifetimes: live-tensor accounting, scopes that free what they created, the GC safety net, the memory report.

import { ContextVar, contextFollowsAwait } from "./internal/context.js";
import { liveStorageCount, storageBytesByDevice } from "./storage.js";
import type { Storage } from "./storage.js";
import { listBackends, getBackend } from "./backend/registry.js";

/** Anything scope tracking can free. */
export interface Disposable {
  dispose(): void;
  readonly isDisposed: boolean;
}

interface ScopeFrame {
  readonly tracked: Disposable[];
  readonly kept: Set<Disposable>;
}

const currentScope = new ContextVar<ScopeFrame | null>(null);
let liveTensors = 0;

// When a tensor is garbage-collected without dispose(), its storage reference is dropped here.
const registry =
  typeof FinalizationRegistry !== "undefined"
    ? new FinalizationRegistry<Storage>((storage) => {
        liveTensors--;
        storage.release();
      })
    : undefined;

/** Called by every new tensor: counts it, ties its storage to the GC safety net, and records it in the open scope. */
export function trackTensor(t: Disposable, storage: Storage): void {
  liveTensors++;
  registry?.register(t, storage, t);
  const s = currentScope.get();
  if (s) s.tracked.push(t);
}

/** Called by `dispose()`: the tensor leaves the accounting and the safety net. */
export function untrackTensor(t: Disposable): void {
  liveTensors--;
  registry?.unregister(t);
}

/** Collects the tensors (and nested arrays / objects of them) a scope returns, so they survive it. */
function collect(value: unknown, out: Set<Disposable>, depth = 0): void {
  if (value === null || typeof value !== "object" || depth > 8) return;
  if (typeof (value as Disposable).dispose === "function" && "isDisposed" in (value as object)) {
    out.add(value as Disposable);
    return;
  }
  if (Array.isArray(value)) for (const v of value) collect(v, out, depth + 1);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collect(v, out, depth + 1);
}

function closeFrame(frame: ScopeFrame, result: unknown): void {
  const keep = new Set(frame.kept);
  collect(result, keep);
  const parent = currentScope.get();
  for (const t of frame.tracked) {
    if (keep.has(t)) {
      // A kept tensor belongs to the enclosing scope from now on.
      if (parent && !t.isDisposed) parent.tracked.push(t);
    } else if (!t.isDisposed) t.dispose();
  }
}

/**
 * Runs `fn` and disposes every tensor created inside it except those it returns (or passes to `keep`).
 * Works with async functions: in Node the scope follows `await` exactly; in browsers nested async scopes must not interleave.
 * @example
 * const y = scope(() => x.mul(2).add(1).relu()); // intermediates freed, y kept
 * const z = await scope(async () => { const a = x.exp(); await a.data(); return a.sum(); });
 */
export function scope<R>(fn: () => R): R {
  const frame: ScopeFrame = { tracked: [], kept: new Set() };
  let out: R;
  try {
    out = currentScope.run(frame, fn);
  } catch (e) {
    closeFrame(frame, undefined);
    throw e;
  }
  if (out instanceof Promise) {
    return out.then(
      (v) => {
        closeFrame(frame, v);
        return v;
      },
      (e) => {
        closeFrame(frame, undefined);
        throw e;
      },
    ) as R;
  }
  closeFrame(frame, out);
  return out;
}

/**
 * Runs `fn` outside every scope: tensors it creates belong to no scope (autograd's `.grad`, caches). Nest a `scope`
 * inside to free intermediates; what that inner scope returns then stays alive until disposed or collected.
 * @example const g = untracked(() => scope(() => a.mul(b).sum())); // survives the caller's scope
 */
export function untracked<R>(fn: () => R): R {
  return currentScope.run(null, fn);
}

/** Marks a tensor to survive the scope it was created in (as TF.js's `keep`). Returns it. */
export function keep<T extends Disposable>(t: T): T {
  currentScope.get()?.kept.add(t);
  return t;
}

/** Live tensors and bytes per device, as a memory report. */
export interface MemoryReport {
  /** Tensors created and neither disposed nor garbage-collected. */
  readonly liveTensors: number;
  /** Storages (buffers) still held; views share one. */
  readonly liveStorages: number;
  /** Bytes held by live storages, per device. */
  readonly bytesByDevice: Record<string, number>;
  /** What each backend says it holds (allocated and pooled bytes), where it reports it. */
  readonly backends: Record<string, { allocatedBytes: number; pooledBytes: number }>;
  /** Whether scopes follow `await` exactly on this platform. */
  readonly scopesFollowAwait: boolean;
}

/**
 * Live tensors and bytes per device.
 * @example const before = memoryReport().liveTensors; step(); expect(memoryReport().liveTensors).toBe(before);
 */
export function memoryReport(): MemoryReport {
  const backends: Record<string, { allocatedBytes: number; pooledBytes: number }> = {};
  for (const name of listBackends()) {
    const m = getBackend(name).memory?.();
    if (m) backends[name] = { allocatedBytes: m.allocatedBytes, pooledBytes: m.pooledBytes };
  }
  return {
    liveTensors,
    liveStorages: liveStorageCount(),
    bytesByDevice: Object.fromEntries(storageBytesByDevice()),
    backends,
    scopesFollowAwait: contextFollowsAwait,
  };
}
