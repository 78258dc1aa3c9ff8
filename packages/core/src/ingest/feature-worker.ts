/**
 * The inside of a feature worker, for Deno and the browser alike: the runtimes' worker files
 * only call `serveFeatureWorker(self)`. Decode, resample, trim and compute features for one file
 * at a time (processRecording); results are transferred back. tfjs-free, so a worker starts fast.
 */
import { createFrontend, type Frontend } from "../features/frontend.ts";
import { processRecording } from "./process-recording.ts";
import type { FeatureWorkerReply, FeatureWorkerRequest } from "./worker-pool.ts";

export interface WorkerScope {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}

export function serveFeatureWorker(scope: WorkerScope): void {
  let frontend: Frontend | undefined;
  let maxDurationS = 600;
  scope.onmessage = (e: MessageEvent<FeatureWorkerRequest>) => {
    const msg = e.data;
    if (msg.kind === "init") {
      frontend = createFrontend(msg.frontend);
      maxDurationS = msg.maxDurationS;
      return;
    }
    if (!frontend) {
      scope.postMessage({ id: msg.id, error: "feature worker used before init" } satisfies FeatureWorkerReply, []);
      return;
    }
    const r = processRecording(frontend, msg.bytes, maxDurationS);
    const transfer = [r.wave?.buffer, r.features?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    scope.postMessage({ id: msg.id, result: r } satisfies FeatureWorkerReply, transfer);
  };
}
