// Test support: finds a WebGPU device for the test files, or the reason there is none (tests then skip, saying why).
/// <reference types="@webgpu/types" />

import { requestDevice } from "./acquire.js";

/** Chromium's bundled Vulkan loader: Dawn needs libvulkan.so.1, which the library path must hold at process start. */
export const CHROMIUM_VULKAN_DIR = "/usr/lib/chromium";

/** A device for tests, or the reason there is none. Memoised: one device per test process. */
let probe: Promise<{ device: GPUDevice | null; reason: string }> | undefined;

/**
 * Requests the test device once per process.
 * @example const { device, reason } = await testDevice(); if (!device) console.warn(reason);
 */
export function testDevice(): Promise<{ device: GPUDevice | null; reason: string }> {
  probe ??= requestDevice().then((r) => ({ device: r.device, reason: r.reason }));
  return probe;
}

/**
 * The environment under which a child process would find SwiftShader's Vulkan (Chromium's loader on the library
 * path), or null when that would change nothing here.
 * @example const env = await vulkanRetryEnv(); if (env) spawn(process.execPath, args, { env });
 */
export async function vulkanRetryEnv(): Promise<Record<string, string> | null> {
  const fs = await import("node:fs");
  const lib = `${CHROMIUM_VULKAN_DIR}/libvulkan.so.1`;
  const cur = process.env.LD_LIBRARY_PATH ?? "";
  if (!fs.existsSync(lib) || cur.split(":").includes(CHROMIUM_VULKAN_DIR) || process.env.TSORCH_WEBGPU_CHILD) return null;
  return {
    ...(process.env as Record<string, string>),
    LD_LIBRARY_PATH: cur ? `${CHROMIUM_VULKAN_DIR}:${cur}` : CHROMIUM_VULKAN_DIR,
    VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? `${CHROMIUM_VULKAN_DIR}/vk_swiftshader_icd.json`,
    TSORCH_WEBGPU_CHILD: "1",
  };
}
