import { createFeaturePool, defaultWorkerCount as coreDefault, type FeaturePool, type FrontendConfig } from "@ser/core";

/** Default pool size: one worker per core, capped (core's rule). */
export function defaultWorkerCount(): number {
  return coreDefault(navigator.hardwareConcurrency);
}

/** Core's feature pool over Deno workers running ./feature.worker.ts. */
export function createDenoFeaturePool(frontend: FrontendConfig, size: number): FeaturePool {
  return createFeaturePool(() => new Worker(new URL("./feature.worker.ts", import.meta.url), { type: "module" }), frontend, size);
}
