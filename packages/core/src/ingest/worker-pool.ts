/**
 * The feature-worker pool, one implementation for Deno and the browser: both give workers the
 * same interface (postMessage / onmessage / onerror / terminate), so the runtimes only supply
 * `spawn`, a one-line adapter that starts their feature.worker.ts. Files go to the least-busy
 * worker; bytes are transferred, not copied, and results come back transferred.
 */
import type { FrontendConfig } from "../features/frontend.ts";
import type { FeatureView } from "../augment/feature-views.ts";
import type { RecordingProcessor } from "./corpus-builder.ts";
import type { ProcessedRecording } from "./process-recording.ts";

/**
 * What the pool needs of a worker (a subset of both Deno's and the DOM's Worker). Core compiles
 * without the DOM library, so the events are typed by what the pool reads of them.
 */
export interface WorkerLike {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  // deno-lint-ignore no-explicit-any -- the runtimes' MessageEvent / ErrorEvent, structurally
  onmessage: ((e: any) => void) | null;
  // deno-lint-ignore no-explicit-any
  onerror: ((e: any) => void) | null;
  terminate(): void;
}

/** The parts of a MessageEvent and an ErrorEvent the pool and the worker use. */
export interface MessageLike<T> {
  data: T;
}
interface ErrorLike {
  message: string;
  preventDefault(): void;
}

export type FeatureWorkerRequest =
  | { kind: "init"; frontend: FrontendConfig; maxDurationS: number; views?: readonly FeatureView[]; cache?: string }
  | { kind: "process"; id: number; bytes: Uint8Array };

export type FeatureWorkerReply = { id: number; result: ProcessedRecording } | { id: number; error: string };

export interface FeaturePool {
  readonly size: number;
  /** The training views every worker computes beside the features. */
  readonly views: readonly FeatureView[];
  process: RecordingProcessor;
  close(): void;
}

/** One worker per core, capped (more buys nothing once reading is the limit). */
export function defaultWorkerCount(hardwareConcurrency: number | undefined): number {
  return Math.max(1, Math.min(8, hardwareConcurrency || 1));
}

export interface FeaturePoolOptions {
  maxDurationS?: number;
  /** Training views each worker computes beside the features (see feature-views.ts). */
  views?: readonly FeatureView[];
  /** Where the workers' feature cache lives, in the runtime's terms (the CLI: a folder); none when absent. */
  cache?: string;
}

export function createFeaturePool(spawn: () => WorkerLike, frontend: FrontendConfig, size: number, options: FeaturePoolOptions = {}): FeaturePool {
  const { maxDurationS = 600, views = [], cache } = options;
  interface Slot {
    worker: WorkerLike;
    pending: Map<number, { resolve: (r: ProcessedRecording) => void; reject: (e: Error) => void }>;
  }
  let nextId = 0;
  const slots: Slot[] = [];
  for (let i = 0; i < size; i++) {
    const worker = spawn();
    const slot: Slot = { worker, pending: new Map() };
    worker.onmessage = (e: MessageLike<FeatureWorkerReply>) => {
      const p = slot.pending.get(e.data.id);
      slot.pending.delete(e.data.id);
      if ("error" in e.data) p?.reject(new Error(e.data.error));
      else p?.resolve(e.data.result);
    };
    // A crash in a worker is a bug, not bad input: fail its files with the message rather than hang.
    worker.onerror = (e: ErrorLike) => {
      e.preventDefault();
      const failed = [...slot.pending.values()];
      slot.pending.clear();
      for (const p of failed) p.reject(new Error(`feature worker failed: ${e.message}`));
    };
    worker.postMessage({ kind: "init", frontend, maxDurationS, views, ...(cache ? { cache } : {}) } satisfies FeatureWorkerRequest, []);
    slots.push(slot);
  }
  return {
    size,
    views,
    process(_path, bytes) {
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      // Transfer when the view owns its whole buffer; copy a view into a shared buffer (zip chunks).
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
      const payload = own ? bytes : bytes.slice();
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ kind: "process", id, bytes: payload } satisfies FeatureWorkerRequest, [payload.buffer as ArrayBuffer]);
      });
    },
    close() {
      for (const s of slots) s.worker.terminate();
    },
  };
}
