/**
 * The inside of a feature worker, for Deno and the browser alike: the runtimes' worker files
 * only call `serveFeatureWorker(self)`. Decode, resample, trim and compute features for one file
 * at a time (processRecording); results are transferred back. tfjs-free, so a worker starts fast.
 */
import { type Frontend, openFrontend } from "../features/frontend.ts";
import { processRecording } from "./process-recording.ts";
import type { FeatureView } from "../augment/feature-views.ts";
import { bindFeatureCache, type FeatureCache, type FeatureCacheStore } from "./feature-cache.ts";
import type { FeatureWorkerReply, FeatureWorkerRequest, MessageLike } from "./worker-pool.ts";

export interface WorkerScope {
  // deno-lint-ignore no-explicit-any -- the runtime's MessageEvent, structurally
  onmessage: ((e: any) => void) | null;
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
}

/** What a runtime adds to its workers: how to open the feature cache the pool names (no I/O in core). */
export interface FeatureWorkerHooks {
  openCache?(location: string): FeatureCacheStore;
}

export function serveFeatureWorker(scope: WorkerScope, hooks: FeatureWorkerHooks = {}): void {
  let frontend: Promise<Frontend> | undefined;
  let maxDurationS = 600;
  let views: readonly FeatureView[] = [];
  let cache: FeatureCache | undefined;
  scope.onmessage = async (e: MessageLike<FeatureWorkerRequest>) => {
    const msg = e.data;
    if (msg.kind === "init") {
      // Encoder weights load asynchronously; files that arrive meanwhile wait for them.
      frontend = openFrontend(msg.frontend);
      // A failure is answered to every file that asks (below), never left to kill the worker
      // as an unhandled rejection (the pool would then wait for replies that never come).
      frontend.catch(() => {});
      maxDurationS = msg.maxDurationS;
      views = msg.views ?? [];
      cache = msg.cache && hooks.openCache ? bindFeatureCache(hooks.openCache(msg.cache), msg.frontend, views) : undefined;
      return;
    }
    let fe: Frontend;
    try {
      if (!frontend) throw new Error("feature worker used before init");
      fe = await frontend;
    } catch (err) {
      scope.postMessage({ id: msg.id, error: (err as Error).message } satisfies FeatureWorkerReply, []);
      return;
    }
    const r = await processRecording(fe, msg.bytes, maxDurationS, views, cache);
    const transfer = [r.wave?.buffer, r.features?.buffer, ...Object.values(r.views ?? {}).map((v) => v.buffer)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    scope.postMessage({ id: msg.id, result: r } satisfies FeatureWorkerReply, transfer);
  };
}
