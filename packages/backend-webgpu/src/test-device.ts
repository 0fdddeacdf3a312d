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

/**
 * Reruns one test file in a child vitest whose environment finds SwiftShader (see {@link vulkanRetryEnv}).
 * Returns the exit status and the output lines worth printing.
 * @example const r = await runFileInChild(fileURLToPath(import.meta.url), env); expect(r.status).toBe(0);
 */
export async function runFileInChild(file: string, env: Record<string, string>): Promise<{ status: number | null; out: string; summary: string }> {
  const { spawnSync } = await import("node:child_process");
  const { fileURLToPath } = await import("node:url");
  const vitest = fileURLToPath(new URL("../../../node_modules/vitest/vitest.mjs", import.meta.url));
  const r = spawnSync(process.execPath, [vitest, "run", file], { env, encoding: "utf8", cwd: process.cwd(), timeout: 900_000 });
  const out = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
  const summary = out
    .split("\n")
    .filter((l) => /\[conformance\]|webgpu|Tests |Test Files|×|FAIL/.test(l))
    .slice(-40)
    .join("\n");
  return { status: r.status, out, summary };
}
