import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import { installSoftwareGpuKernels, isSoftwareAdapter } from "./software-gpu-kernels.ts";

export type BackendChoice = "auto" | "webgpu" | "cpu";

export interface BackendInfo {
  backend: string;
  /** The WebGPU adapter, when WebGPU runs ("vendor architecture (description)"). */
  adapter?: string;
  /** Set when WebGPU was wanted but the CPU runs instead, saying why. */
  warning?: string;
  /** "register-tiled" when the adapter is a software rasteriser and our matmul/conv kernels run. */
  kernels?: "register-tiled";
}

interface GpuLike {
  requestAdapter(): Promise<{ info?: Record<string, string> } | null>;
}

/**
 * WebGPU first (any Vulkan/Metal/D3D device, including Mesa's software Vulkan driver), then
 * the CPU with a warning. tfjs's setBackend returns false and silently keeps another backend
 * when no adapter exists, so the result is checked with getBackend().
 */
export async function selectBackend(choice: BackendChoice = "auto"): Promise<BackendInfo> {
  if (choice === "cpu") {
    await tf.setBackend("cpu");
    await tf.ready();
    return { backend: tf.getBackend() };
  }
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  let reason = "";
  let adapterName: string | undefined;
  if (!gpu) reason = "this runtime has no WebGPU (navigator.gpu is missing)";
  else {
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) reason = "no WebGPU adapter is available (no GPU, and no software Vulkan driver such as Mesa's lavapipe)";
      else {
        const i = adapter.info ?? {};
        adapterName = [i.vendor, i.architecture, i.description ? `(${i.description})` : ""].filter(Boolean).join(" ") || "unnamed adapter";
      }
    } catch (e) {
      reason = `requesting a WebGPU adapter failed: ${(e as Error).message}`;
    }
  }
  if (!reason) {
    try {
      const ok = await tf.setBackend("webgpu");
      await tf.ready();
      if (!ok || tf.getBackend() !== "webgpu") reason = "TensorFlow.js could not start its WebGPU backend";
    } catch (e) {
      reason = `TensorFlow.js could not start its WebGPU backend: ${(e as Error).message}`;
    }
  }
  if (!reason) {
    watchDeviceLoss();
    // On a CPU posing as a GPU, register tiles beat tfjs's shared-memory tiles (software-gpu-kernels.ts).
    const tiled = isSoftwareAdapter(adapterName) && installSoftwareGpuKernels();
    return { backend: "webgpu", adapter: adapterName, ...(tiled ? { kernels: "register-tiled" as const } : {}) };
  }
  if (choice === "webgpu") throw new Error(`WebGPU was requested but ${reason}.`);
  await tf.setBackend("cpu");
  await tf.ready();
  return { backend: tf.getBackend(), warning: `WebGPU is not available: ${reason}; training on the CPU, which is much slower.` };
}

let lost: { reason: string; message: string } | undefined;
let watched: unknown;

/** Remembers why tfjs's WebGPU device was lost (driver reset, GPU removed, destroy()), if it was. */
function watchDeviceLoss(): void {
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ reason?: string; message?: string }> } }).device;
  if (!device?.lost || watched === device) return;
  watched = device;
  lost = undefined;
  void device.lost.then((info) => {
    lost = { reason: info?.reason ?? "unknown", message: info?.message ?? "" };
  });
}

/** Why the WebGPU device was lost, when it was; WebGPU errors after a loss say little by themselves. */
export function gpuDeviceLost(): { reason: string; message: string } | undefined {
  return lost;
}
