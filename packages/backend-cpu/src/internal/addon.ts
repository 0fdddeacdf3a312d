// Loads the compiled addon (build/Release/tsorch_cpu.node) once, or records why it is absent (install-time status file).

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The functions the C++ addon exports (native/addon.cc); `meta` carries shapes, strides and offsets as float64. */
export interface NativeAddon {
  info(): { isa: string; threads: number; hardwareThreads: number; asan: boolean };
  setNumThreads(n: number): void;
  matmul(a: Float32Array, b: Float32Array, c: Float32Array, meta: Float64Array): void;
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array, meta: Float64Array): void;
  unary(op: number, x: Float32Array, out: Float32Array, meta: Float64Array): void;
  copy(x: Float32Array, out: Float32Array, meta: Float64Array): void;
  sum(x: Float32Array, out: Float32Array, meta: Float64Array): void;
  softmax(log: boolean, x: Float32Array, y: Float32Array, meta: Float64Array): void;
  softmaxBwd(log: boolean, y: Float32Array, g: Float32Array, dx: Float32Array, meta: Float64Array): void;
  layerNorm(rms: boolean, x: Float32Array, w: Float32Array | null, b: Float32Array | null, y: Float32Array, mean: Float32Array | null, rstd: Float32Array, meta: Float64Array): void;
  layerNormBwd(rms: boolean, x: Float32Array, w: Float32Array | null, g: Float32Array, dx: Float32Array | null, dw: Float32Array | null, db: Float32Array | null, meta: Float64Array): void;
  gelu(tanh: boolean, x: Float32Array, y: Float32Array, meta: Float64Array): void;
  geluBwd(tanh: boolean, x: Float32Array, y: Float32Array, g: Float32Array, dx: Float32Array, meta: Float64Array): void;
  sdpa(q: Float32Array, k: Float32Array, v: Float32Array, mask: Float32Array | Uint8Array | null, out: Float32Array, meta: Float64Array): void;
  sdpaBwd(
    q: Float32Array, k: Float32Array, v: Float32Array, mask: Float32Array | Uint8Array | null, out: Float32Array, dout: Float32Array,
    dq: Float32Array | null, dk: Float32Array | null, dv: Float32Array | null, meta: Float64Array,
  ): void;
  ceRows(x: Float32Array, cls: Int32Array, loss: Float64Array, meta: Float64Array): void;
  ceBwd(x: Float32Array, cls: Int32Array, coef: Float64Array, dx: Float32Array, meta: Float64Array): void;
  adamw(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, meta: Float64Array): void;
  compare(op: number, a: Float32Array, b: Float32Array, out: Uint8Array, meta: Float64Array): void;
  where(cond: Uint8Array, a: Float32Array, b: Float32Array, out: Float32Array, meta: Float64Array): void;
  randUniform(out: Float32Array, meta: Float64Array): void;
}

/** The addon, or why there is none. */
export type AddonLoad = { addon: NativeAddon; reason: string } | { addon: null; reason: string };

let loaded: AddonLoad | undefined;

/** The package root, from src/internal (sources) or dist (the built package). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, "binding.gyp"))) return dir;
    dir = dirname(dir);
  }
  return dir;
}

/**
 * Loads the addon once per process. `TSORCH_CPU_NATIVE=0` turns it off (the TypeScript backend then serves "cpu").
 * @example const { addon, reason } = loadAddon(); if (!addon) console.log(reason);
 */
export function loadAddon(): AddonLoad {
  if (loaded) return loaded;
  if (process.env.TSORCH_CPU_NATIVE === "0") return (loaded = { addon: null, reason: "TSORCH_CPU_NATIVE=0 is set" });
  const root = packageRoot();
  const file = join(root, "build", "Release", "tsorch_cpu.node");
  if (!existsSync(file)) {
    let why = "the addon was not built (run `pnpm --filter @tsorch/backend-cpu build:addon`)";
    try {
      const s = JSON.parse(readFileSync(join(root, "build", "status.json"), "utf8")) as { ok: boolean; reason: string };
      if (!s.ok) why = `the addon was not built at install: ${s.reason}`;
    } catch {
      // No status file: the install script never ran (or the package was copied without it).
    }
    return (loaded = { addon: null, reason: why });
  }
  try {
    const addon = createRequire(import.meta.url)(file) as NativeAddon;
    const i = addon.info();
    return (loaded = { addon, reason: `native addon loaded (${i.isa}${i.asan ? ", AddressSanitizer" : ""})` });
  } catch (e) {
    return (loaded = { addon: null, reason: `the addon failed to load: ${e instanceof Error ? e.message : String(e)}` });
  }
}
