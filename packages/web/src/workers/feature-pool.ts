import { createFeaturePool, defaultWorkerCount, type FeaturePool, type FeatureView, type FrontendConfig } from "@ser/core";

/** Core's feature pool over Web Workers running ./feature.worker.ts (one per core, at most 8, by default). */
export function createWebFeaturePool(config: FrontendConfig, size = defaultWorkerCount(navigator.hardwareConcurrency), views: readonly FeatureView[] = []): FeaturePool {
  return createFeaturePool(() => new Worker(new URL("./feature.worker.ts", import.meta.url), { type: "module" }), config, size, { views });
}
