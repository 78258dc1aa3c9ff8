/// <reference lib="deno.worker" />
/**
 * One ingestion worker: decode, resample, trim and compute features for the files the pool
 * sends. Imports only the tfjs-free half of core, so a worker starts in milliseconds.
 */
import { createFrontend, type Frontend, type FrontendConfig, processRecording } from "@ser/core";

export type WorkerRequest =
  | { kind: "init"; frontend: FrontendConfig; maxDurationS: number }
  | { kind: "process"; id: number; bytes: Uint8Array };

let frontend: Frontend | undefined;
let maxDurationS = 600;

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const msg = e.data;
  if (msg.kind === "init") {
    frontend = createFrontend(msg.frontend);
    maxDurationS = msg.maxDurationS;
    return;
  }
  if (!frontend) throw new Error("feature worker used before init");
  const r = processRecording(frontend, msg.bytes, maxDurationS);
  const transfer = [r.wave?.buffer, r.features?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  self.postMessage({ id: msg.id, result: r }, transfer);
};
