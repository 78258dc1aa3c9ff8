import type { FrontendConfig, ProcessedRecording, RecordingProcessor } from "@ser/core";
import type { WorkerRequest } from "./feature.worker.ts";

export interface FeaturePool {
  readonly size: number;
  process: RecordingProcessor;
  close(): void;
}

/** Default pool size: one worker per core, capped (more buys nothing once reading is the limit). */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(8, navigator.hardwareConcurrency || 1));
}

/**
 * Deno workers running decode + features (core's processRecording), fed least-busy first.
 * File bytes are transferred, not copied; results come back transferred too.
 */
export function createFeaturePool(frontend: FrontendConfig, size: number, maxDurationS = 600): FeaturePool {
  interface Slot {
    worker: Worker;
    pending: Map<number, { resolve: (r: ProcessedRecording) => void; reject: (e: Error) => void }>;
  }
  let nextId = 0;
  const slots: Slot[] = [];
  for (let i = 0; i < size; i++) {
    const worker = new Worker(new URL("./feature.worker.ts", import.meta.url), { type: "module" });
    const slot: Slot = { worker, pending: new Map() };
    worker.onmessage = (e: MessageEvent<{ id: number; result: ProcessedRecording }>) => {
      const p = slot.pending.get(e.data.id);
      slot.pending.delete(e.data.id);
      p?.resolve(e.data.result);
    };
    // A crash in a worker is a bug, not bad input: fail its files with the message rather than hang.
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      const failed = [...slot.pending.values()];
      slot.pending.clear();
      for (const p of failed) p.reject(new Error(`feature worker failed: ${e.message}`));
    };
    worker.postMessage({ kind: "init", frontend, maxDurationS } satisfies WorkerRequest);
    slots.push(slot);
  }
  return {
    size,

    process(_path, bytes) {
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      // Transfer when the view owns its whole buffer; copy a view into a shared buffer (zip chunks).
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
      const payload = own ? bytes : bytes.slice();
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ kind: "process", id, bytes: payload } satisfies WorkerRequest, [payload.buffer as ArrayBuffer]);
      });
    },
    close() {
      for (const s of slots) s.worker.terminate();
    },
  };
}
