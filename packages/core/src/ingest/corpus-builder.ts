import { type Candidate, createIngestor, type IngestOptions } from "../data/ingest.ts";
import { type CorpusSummary, summarizeCorpus } from "../data/summary.ts";
import type { Frontend } from "../features/frontend.ts";
import { normalizeCorpus } from "../features/normalize.ts";
import { type PreparedItem, processRecording, type ProcessedRecording } from "./process-recording.ts";

export interface BuiltCorpus {
  items: PreparedItem[];
  summary: CorpusSummary;
}

export interface CorpusBuilder {
  /** One input file (from a folder or a zip entry): kept as a prepared item, or skipped with a reason. */
  accept(path: string, bytes: Uint8Array): void;
  /** An entry the reader could not deliver. */
  skip(path: string, reason: string): void;
  /** The prepared, normalised items and the corpus summary. */
  finish(): BuiltCorpus;
}

/** Decode + features for one file somewhere else (a worker); must behave like `processRecording`. */
export type RecordingProcessor = (path: string, bytes: Uint8Array) => Promise<ProcessedRecording>;

export interface ParallelCorpusBuilder {
  /**
   * Admits one file and, if it is a candidate, hands it to the processor. Resolves once that
   * file is done; the caller bounds how many are in flight. Items come out in admission order
   * whatever order the processor finishes in, so results do not depend on scheduling.
   */
  accept(path: string, bytes: Uint8Array): Promise<void>;
  /**
   * Resolves as soon as fewer than `limit` accepted files are still being processed: readers
   * await it after each accept, so memory stays bounded and workers never wait for a drained queue.
   */
  room(limit: number): Promise<void>;
  skip(path: string, reason: string): void;
  /** Waits for every accepted file, then normalises and summarises. */
  finish(): Promise<BuiltCorpus>;
}

function createCore(frontend: Frontend, options: IngestOptions) {
  const ingestor = createIngestor(options);
  const prepared = new Map<string, PreparedItem>();
  const maxDurationS = options.maxDurationS ?? 600;
  const settle = (candidate: Candidate, r: ProcessedRecording): void => {
    const item = ingestor.complete(candidate, r.outcome);
    if (item !== null && r.wave && r.features) prepared.set(item.path, { ...item, wave: r.wave, features: r.features });
  };
  const finish = (): BuiltCorpus => {
    const { items, skipped } = ingestor.finish();
    // finish() may fill in genders (CREMA-D demographics): take its metadata over the early copy.
    const usable = items.filter((i) => prepared.has(i.path)).map((i) => ({ ...prepared.get(i.path)!, ...i }));
    normalizeCorpus(usable, frontend);
    return { items: usable, summary: summarizeCorpus(usable, skipped) };
  };
  return { ingestor, settle, finish, maxDurationS };
}

/**
 * Ingest + front end in one pass: each usable recording is resampled, trimmed and turned into
 * features as it arrives, so decoded audio is dropped right away. The CLI and the page's
 * trainer worker feed it from their own readers. Normalisation (per utterance or per speaker,
 * no labels used) runs last, when every clip of a speaker is known.
 */
export function createCorpusBuilder(frontend: Frontend, options: IngestOptions = {}): CorpusBuilder {
  const core = createCore(frontend, options);
  return {
    accept(path, bytes) {
      const a = core.ingestor.admit(path, bytes);
      if (a.kind === "candidate") core.settle(a.candidate, processRecording(frontend, bytes, core.maxDurationS));
    },
    skip: (path, reason) => core.ingestor.skip(path, reason),
    finish: core.finish,
  };
}

/** The same corpus as `createCorpusBuilder`, with decoding and features done by `process` (a worker pool). */
export function createParallelCorpusBuilder(
  frontend: Frontend,
  options: IngestOptions,
  process: RecordingProcessor,
): ParallelCorpusBuilder {
  const core = createCore(frontend, options);
  const pending = new Set<Promise<void>>();
  let waiters: { limit: number; resolve: () => void }[] = [];
  const wake = () => {
    const ready = waiters.filter((w) => pending.size < w.limit);
    waiters = waiters.filter((w) => pending.size >= w.limit);
    for (const w of ready) w.resolve();
  };
  return {
    accept(path, bytes) {
      const a = core.ingestor.admit(path, bytes);
      if (a.kind !== "candidate") return Promise.resolve();
      const job = process(path, bytes).then(
        (r) => core.settle(a.candidate, r),
        (e: unknown) => core.settle(a.candidate, { outcome: { ok: false, reason: `could not be processed: ${(e as Error).message}` } }),
      ).finally(() => {
        pending.delete(job);
        wake();
      });
      pending.add(job);
      return job;
    },
    room(limit) {
      return pending.size < limit ? Promise.resolve() : new Promise((resolve) => waiters.push({ limit, resolve }));
    },
    skip: (path, reason) => core.ingestor.skip(path, reason),
    async finish() {
      await Promise.all(pending);
      return core.finish();
    },
  };
}
