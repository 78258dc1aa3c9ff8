import { createFeaturePool, defaultWorkerCount as coreDefault, type FeaturePool, type FeatureView, type FrontendConfig } from "@ser/core";

/** Default pool size: one worker per core, capped (core's rule). */
export function defaultWorkerCount(): number {
  return coreDefault(navigator.hardwareConcurrency);
}

/** Core's feature pool over Deno workers running ./feature.worker.ts. */
export function createDenoFeaturePool(frontend: FrontendConfig, size: number, views: readonly FeatureView[] = [], cacheDir?: string): FeaturePool {
  return createFeaturePool(() => new Worker(new URL("./feature.worker.ts", import.meta.url), { type: "module" }), frontend, size, { views, ...(cacheDir ? { cache: cacheDir } : {}) });
}
