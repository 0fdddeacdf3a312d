// The process-wide state of @tsorch/tensor under one versioned global key, and the loud error when two incompatible copies load.
//
// Follows TF.js's single global engine (`tf.ENV`): state every copy must agree on (the backend registry) lives on
// `globalThis[Symbol.for(RUNTIME_KEY)]`, so two evaluations of the same version (ESM and CommonJS, a test runner that
// re-imports modules) share it, and a copy of another release refuses to load instead of splitting the app in two.

import type { Backend } from "../backend/backend.js";

declare const __TSORCH_VERSION__: string | undefined;

/** This copy's package version (set by the build; "source" when run from the repository's sources). */
export const TENSOR_VERSION: string = typeof __TSORCH_VERSION__ === "string" ? __TSORCH_VERSION__ : "source";

/** The global key; its suffix changes when the shape of {@link Runtime} does. */
export const RUNTIME_KEY = "@tsorch/tensor.runtime.v1";

/** The state shared by every copy of @tsorch/tensor in the process. */
export interface Runtime {
  /** Version of the copy that created the runtime. */
  readonly version: string;
  /** Registered backends by device name. */
  readonly backends: Map<string, Backend>;
  /** Why a known device cannot be used here, by name. */
  readonly unavailable: Map<string, string>;
}

/** Releases share state when they agree on major (>= 1) or major.minor (0.x); "source" matches anything. */
export function compatibleVersions(a: string, b: string): boolean {
  if (a === "source" || b === "source") return true;
  const [am, an] = a.split(".");
  const [bm, bn] = b.split(".");
  return am === bm && (am !== "0" || an === bn);
}

function createOrJoin(): Runtime {
  const g = globalThis as { [key: symbol]: Runtime | undefined };
  const key = Symbol.for(RUNTIME_KEY);
  const existing = g[key];
  if (existing) {
    if (!compatibleVersions(existing.version, TENSOR_VERSION)) {
      throw new Error(
        `@tsorch/tensor: two incompatible copies are loaded in this process: ${existing.version} (loaded first) and ` +
          `${TENSOR_VERSION}. Tensors, devices and autograd of one are invisible to the other. Make @tsorch/tensor a ` +
          `peer dependency of packages that extend it and install one version (\`npm ls @tsorch/tensor\` shows who ` +
          `brings which; \`npm dedupe\` or an "overrides" entry fixes it).`,
      );
    }
    return existing;
  }
  const runtime: Runtime = { version: TENSOR_VERSION, backends: new Map(), unavailable: new Map() };
  Object.defineProperty(g, key, { value: runtime, enumerable: false, configurable: false, writable: false });
  return runtime;
}

/** The runtime of this process (created by the first copy to load, joined by the others). */
export const runtime: Runtime = createOrJoin();
