// Finding a WebGPU implementation: the browser's navigator.gpu, or in Node the optional `webgpu` package (Dawn), pointed at SwiftShader when no GPU driver exists.
/// <reference types="@webgpu/types" preserve="true" />

/** Where a GPU object came from, or why none was found. */
export interface GpuSource {
  readonly gpu: GPU | null;
  /** How it was found ("navigator.gpu", "webgpu package"), or why not. */
  readonly how: string;
}

const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";
// Specifiers in variables: bundlers for the browser then leave these Node-only imports alone (the package stays optional).
const NODE_FS = "node:fs";
const WEBGPU_PACKAGE = "webgpu";

let nodeGpu: Promise<GpuSource> | undefined;

/**
 * Finds a `GPU` object: `navigator.gpu` in browsers (and Deno), else the `webgpu` npm package in Node.
 * In Node, when `VK_ICD_FILENAMES` is unset and Chromium's SwiftShader driver is installed, that driver is used,
 * so machines without a GPU still run WebGPU (slowly) on the CPU.
 * @example
 * const { gpu, how } = await findGPU();
 * if (!gpu) console.warn(`no WebGPU: ${how}`);
 */
export async function findGPU(): Promise<GpuSource> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, how: "navigator.gpu" };
  const proc = (globalThis as { process?: { versions?: { node?: string }; env: Record<string, string | undefined> } }).process;
  if (!proc?.versions?.node) return { gpu: null, how: "this runtime has no navigator.gpu (WebGPU is not enabled in this browser)" };
  nodeGpu ??= (async (): Promise<GpuSource> => {
    try {
      const fs = await import(/* @vite-ignore */ NODE_FS);
      if (proc.env.VK_ICD_FILENAMES === undefined && fs.existsSync(SWIFTSHADER_ICD)) proc.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    } catch {
      // no file system: keep the environment as it is
    }
    let mod: { create: (flags: string[]) => GPU; globals: Record<string, unknown> };
    try {
      mod = await import(/* @vite-ignore */ WEBGPU_PACKAGE);
    } catch (e) {
      return { gpu: null, how: `the optional "webgpu" package (Dawn for Node) is not installed or failed to load: ${String(e)}. Install it with "npm install webgpu", or pass { gpu } to createWebGPUBackend.` };
    }
    // The package's constants (GPUBufferUsage, ...) are expected as globals by WebGPU code.
    for (const [k, v] of Object.entries(mod.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
    return { gpu: mod.create([]), how: "webgpu package" };
  })();
  return nodeGpu;
}

/**
 * Requests an adapter and a device with the adapter's largest buffer limits (and shader-f16 when offered).
 * Returns null with the reason when there is no adapter.
 * @example const r = await requestDevice(); if (r.device) console.log(r.device.limits.maxBufferSize);
 */
export async function requestDevice(gpu?: GPU): Promise<{ device: GPUDevice | null; adapter: GPUAdapter | null; reason: string }> {
  let how = "passed by the caller";
  if (!gpu) {
    const src = await findGPU();
    how = src.how;
    if (!src.gpu) return { device: null, adapter: null, reason: src.how };
    gpu = src.gpu;
  }
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) {
    const hint =
      how === "webgpu package"
        ? ` On Linux without a GPU, install Chromium (its SwiftShader Vulkan driver) and run with LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=${SWIFTSHADER_ICD}, or install libvulkan1.`
        : "";
    return { device: null, adapter: null, reason: `no WebGPU adapter found (GPU from ${how}).${hint}` };
  }
  const l = adapter.limits;
  const requiredFeatures: GPUFeatureName[] = adapter.features.has("shader-f16") ? ["shader-f16"] : [];
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxBufferSize: l.maxBufferSize,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    },
  });
  return { device, adapter, reason: "" };
}
