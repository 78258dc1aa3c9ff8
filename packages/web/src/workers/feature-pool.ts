import { createFeaturePool, defaultWorkerCount, type FeaturePool, type FrontendConfig } from "@ser/core";

/** The page's own Worker, taken before an encoder runtime (onnxruntime-web) can replace it. */
const NativeWorker = globalThis.Worker;

/** Core's feature pool over Web Workers running ./feature.worker.ts (one per core, at most 8, by default). */
export function createWebFeaturePool(config: FrontendConfig, size = defaultWorkerCount(navigator.hardwareConcurrency)): FeaturePool {
  return createFeaturePool(() => new NativeWorker(new URL("./feature.worker.ts", import.meta.url), { type: "module" }), config, size);
}
