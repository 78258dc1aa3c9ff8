import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { ConfigError } from "../errors.ts";
import type { ModelName } from "../models/model-names.ts";
import { installSoftwareGpuKernels, isSoftwareAdapter } from "./software-gpu-kernels.ts";
import { installWasmKernels } from "./wasm-kernels.ts";

export const BACKEND_CHOICES = ["auto", "webgpu", "wasm", "cpu"] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface BackendInfo {
  backend: string;
  /** The WebGPU adapter, when WebGPU runs or was passed over ("vendor architecture (description)"). */
  adapter?: string;
  /** Set when WebGPU was wanted but the CPU runs instead, saying why. */
  warning?: string;
  /** Why "auto" chose this backend when it is not the obvious one (a software adapter passed over). */
  note?: string;
  /** "register-tiled" when the adapter is a software rasteriser and our matmul/conv kernels run. */
  kernels?: "register-tiled";
}

export interface BackendOptions {
  /**
   * The model about to run: "auto" then picks the fastest backend for it where no hardware GPU
   * is there (see WASM_TRAINS and WASM_BEATS_SOFTWARE_GPU).
   */
  model?: ModelName;
  /** The model will be trained (not only run): an explicit "wasm" is refused for models it cannot train. */
  training?: boolean;
  /**
   * Where tfjs's .wasm binaries are served from (a URL prefix, or file name to URL), for the page;
   * Deno finds them beside the npm package.
   */
  wasmPaths?: string | Record<string, string>;
}

/**
 * Models tfjs's wasm backend trains: dense layers, and Conv1D because conv-gradient.ts computes
 * its filter gradient with products (tfjs-wasm has no Conv2DBackpropFilter, which the 2-D
 * convolutions of cnn2d and the transformer's front end need).
 */
export const WASM_TRAINS: ReadonlySet<ModelName> = new Set(["mlp", "cnn1d", "crnn"]);

/**
 * Where the only WebGPU adapter is a CPU in disguise (llvmpipe, SwiftShader), the wasm backend
 * trains these faster (measured here, 2 cores, llvmpipe, one epoch after a warm-up: mlp on 716 x
 * 512, 0.11 s against 0.9 s; crnn on 64 x 251 x 80, 1.0 s against 4.4 s; cnn1d the same 0.9 s on
 * both, so it stays on WebGPU, whose register-tiled kernels use every core).
 */
export const WASM_BEATS_SOFTWARE_GPU: ReadonlySet<ModelName> = new Set(["mlp", "crnn"]);

interface GpuLike {
  requestAdapter(): Promise<{ info?: Record<string, string> } | null>;
}

let wasmPathsSet = false;

/** tfjs's WebAssembly backend (XNNPACK) with our BatchMatMul fix; the reason it cannot start, or undefined. */
async function startWasm(options: BackendOptions): Promise<string | undefined> {
  try {
    if (options.wasmPaths && !wasmPathsSet) {
      setWasmPaths(options.wasmPaths);
      wasmPathsSet = true;
    }
    const ok = await tf.setBackend("wasm");
    await tf.ready();
    if (!ok || tf.getBackend() !== "wasm") return "TensorFlow.js could not start its WebAssembly backend";
    installWasmKernels();
    return undefined;
  } catch (e) {
    return `TensorFlow.js could not start its WebAssembly backend: ${(e as Error).message}`;
  }
}

async function startCpu(): Promise<void> {
  await tf.setBackend("cpu");
  await tf.ready();
}

/**
 * WebGPU first (any Vulkan/Metal/D3D device, including Mesa's software Vulkan driver), then
 * the CPU with a warning: WebAssembly for the models it trains, else tfjs's plain JavaScript
 * backend (7-15x slower for cnn1d and crnn here). With a model named, a software adapter is
 * passed over for WebAssembly where that is faster (WASM_BEATS_SOFTWARE_GPU). tfjs's
 * setBackend returns false and silently keeps another backend when no adapter exists, so the
 * result is checked with getBackend(). Called again (another model), it switches.
 */
export async function selectBackend(choice: BackendChoice = "auto", options: BackendOptions = {}): Promise<BackendInfo> {
  const model = options.model;
  if (choice === "cpu") {
    await startCpu();
    return { backend: tf.getBackend() };
  }
  if (choice === "wasm") {
    if (options.training && model && !WASM_TRAINS.has(model)) {
      throw new ConfigError(`the wasm backend cannot train the ${model} (TensorFlow.js's WebAssembly backend has no gradient for 2-D convolutions); it trains ${[...WASM_TRAINS].join(", ")}. Use --backend webgpu or cpu.`);
    }
    const failed = await startWasm(options);
    if (failed) throw new Error(`WebAssembly was requested but ${failed}.`);
    return { backend: "wasm" };
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
  if (!reason && choice === "auto" && model && WASM_BEATS_SOFTWARE_GPU.has(model) && isSoftwareAdapter(adapterName) && !(await startWasm(options))) {
    return { backend: "wasm", adapter: adapterName, note: `the WebGPU adapter is a CPU (${adapterName}), on which the ${model} runs faster on WebAssembly` };
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
  if (model && WASM_TRAINS.has(model) && !(await startWasm(options))) {
    return { backend: "wasm", warning: `WebGPU is not available: ${reason}; training on the CPU (WebAssembly), which is slower than a GPU.` };
  }
  await startCpu();
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
