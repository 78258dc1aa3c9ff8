/** The header's backend line: starts the model worker's TensorFlow.js and says what it runs on. */
import type { Remote } from "comlink";
import type { ModelApi } from "../workers/model.worker.ts";
import { $ } from "./dom.ts";

/**
 * The header names the backend that actually ran the last job: the model worker's at start, then
 * training's own choice (the mlp trains on WebAssembly where the WebGPU adapter is a CPU).
 */
export function reportBackend(job: string, name: string, adapter?: string) {
  const backend = $("backend");
  backend.textContent = `${job} ran on ${name === "webgpu" ? `WebGPU${adapter ? ` (${adapter})` : ""}` : name === "wasm" ? "WebAssembly (CPU)" : name}.`;
  backend.dataset.backend = name;
  backend.className = "";
}

export function setupBackend(api: Remote<ModelApi>) {
  const backend = $("backend");
  // Controls work at once; the worker queues their calls until its backend is up.
  api.init().then((info) => {
    backend.textContent = info.backend === "webgpu"
      ? `Backend: WebGPU (${info.adapter ?? "adapter"})`
      : `Backend: ${info.backend}. ${info.warning ?? ""}`;
    backend.dataset.backend = info.backend;
    if (info.warning) backend.className = "warning";
  }, (e: Error) => {
    backend.textContent = `Could not start TensorFlow.js: ${e.message}`;
    backend.className = "error";
  });
}
