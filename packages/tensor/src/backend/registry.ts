// The backend registry: devices by name, so third-party backends plug in the same way the built-in ones do.

import type { Backend } from "./backend.js";
import { runtime } from "../internal/runtime.js";

// Shared by every compatible copy of @tsorch/tensor in the process (see internal/runtime.ts).
const { backends, unavailable } = runtime;

/**
 * Registers a backend under its name; tensors can then be created on or moved to it.
 * @example registerBackend(new CpuBackend()); tensor([1]).to("cpu")
 */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
  unavailable.delete(backend.name);
}

/** Records why a known device cannot be used here, so asking for it says why. */
export function markBackendUnavailable(name: string, reason: string): void {
  if (!backends.has(name)) unavailable.set(name, reason);
}

/** Removes a backend (its live buffers stay owned by their tensors). */
export function unregisterBackend(name: string): boolean {
  return backends.delete(name);
}

/** True when a backend of that name is registered. */
export function hasBackend(name: string): boolean {
  return backends.has(name);
}

/** Names of registered backends. */
export function listBackends(): string[] {
  return [...backends.keys()];
}

/**
 * The backend registered under `name`, or an error saying what is registered and how to add it.
 * @example getBackend("cpu").name // "cpu"
 */
export function getBackend(name: string): Backend {
  const b = backends.get(name);
  if (b) return b;
  const why = unavailable.get(name);
  if (why) throw new Error(`device "${name}" is not available: ${why}`);
  throw new Error(
    `unknown device "${name}": registered devices are ${[...backends.keys()].map((n) => `"${n}"`).join(", ") || "none"}. ` +
      `Import the backend package that provides it (for example "@tsorch/backend-webgpu") and register it.`,
  );
}
