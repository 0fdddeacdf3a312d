// Entry of the browser test's bundle: registers the WebGPU backend on navigator.gpu and exposes the workload to the page.

import { registerBackend } from "@tsorch/tensor";
import "@tsorch/autograd";
import { createWebGPUBackend } from "../index.js";
import { runWorkload } from "./browser-workload.js";

declare global {
  interface Window {
    tsorchRun?: () => Promise<{ ok: true; results: Record<string, number[]> } | { ok: false; error: string }>;
  }
}

window.tsorchRun = async () => {
  try {
    const gpu = await createWebGPUBackend();
    registerBackend(gpu);
    return { ok: true, results: await runWorkload("webgpu", true) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) };
  }
};
