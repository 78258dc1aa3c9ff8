import { type Remote, transfer, wrap } from "comlink";
import type { FrontendConfig, ProcessedRecording } from "@ser/core";
import type { FeatureApi } from "./feature.worker.ts";

export interface FeaturePool {
  readonly size: number;
  process(path: string, bytes: Uint8Array): Promise<ProcessedRecording>;
  close(): void;
}

/** One worker per core (at most 8), each fed the next file as soon as it is free. */
export function createFeaturePool(config: FrontendConfig, size = Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2))): FeaturePool {
  const workers: { raw: Worker; api: Remote<FeatureApi>; busy: number }[] = [];
  for (let i = 0; i < size; i++) {
    const raw = new Worker(new URL("./feature.worker.ts", import.meta.url), { type: "module" });
    const api = wrap<FeatureApi>(raw);
    void api.init(config);
    workers.push({ raw, api, busy: 0 });
  }
  return {
    size,

    async process(_path, bytes) {
      const w = workers.reduce((a, b) => (b.busy < a.busy ? b : a));
      w.busy++;
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      try {
        return await w.api.process(transfer(own, [own.buffer as ArrayBuffer]));
      } finally {
        w.busy--;
      }
    },
    close() {
      for (const w of workers) w.raw.terminate();
    },
  };
}
