/**
 * A feature worker of the trainer's pool: decode, resample, trim and compute features for one
 * file at a time (core's processRecording). tfjs-free, so it starts fast; results are transferred.
 */
import { expose, transfer } from "comlink";
import { createFrontend, type Frontend, type FrontendConfig, processRecording, type ProcessedRecording } from "@ser/core";

let frontend: Frontend | undefined;

const api = {
  init(config: FrontendConfig): void {
    frontend = createFrontend(config);
  },
  process(bytes: Uint8Array): ProcessedRecording {
    if (!frontend) throw new Error("feature worker used before init");
    const r = processRecording(frontend, bytes);
    const buffers = [r.wave?.buffer, r.features?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    return transfer(r, buffers);
  },
};

export type FeatureApi = typeof api;
expose(api);
