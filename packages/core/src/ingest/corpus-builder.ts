import { type Candidate, createIngestor, type IngestOptions } from "../data/ingest.ts";
import { type CorpusSummary, summarizeCorpus } from "../data/summary.ts";
import type { Frontend } from "../features/frontend.ts";
import type { FeatureView } from "../augment/feature-views.ts";
import type { FeatureCache } from "./feature-cache.ts";
import { normalizeCorpus } from "../features/normalize.ts";
import { type PreparedItem, processRecording, type ProcessedRecording } from "./process-recording.ts";

export interface BuiltCorpus {
  items: PreparedItem[];
  summary: CorpusSummary;
  /** How many recordings' features came from the feature cache. */
  fromCache: number;
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
  /** A file another process reads (ingest.ts's `elsewhere`). */
  elsewhere(path: string): void;
  /** Waits for every accepted file, then normalises and summarises. */
  finish(): Promise<BuiltCorpus>;
}

/**
 * Where each finished recording goes instead of the corpus (feature-shards.ts writes it to a
 * shard file): with its place in the admission order, so a reader can put rows from several
 * processes back in the order one process would have read them.
 */
export type RecordingSink = (item: SinkRecording, order: number) => void | Promise<void>;

/** A finished recording as a sink receives it: with its prepared waveform. */
export type SinkRecording = PreparedItem & { wave: Float32Array };

function createCore(frontend: Frontend, options: IngestOptions, keepWaves: boolean, sink?: RecordingSink) {
  const ingestor = createIngestor(options, { keepItems: sink === undefined });
  const prepared = new Map<string, PreparedItem>();
  let fromCache = 0;
  const maxDurationS = options.maxDurationS ?? 600;
  const settle = async (candidate: Candidate, r: ProcessedRecording): Promise<void> => {
    const item = ingestor.complete(candidate, r.outcome);
    if (item !== null && r.wave && r.features && r.cached) fromCache++;
    if (item === null || !r.wave || !r.features) return;
    const full = { ...item, wave: r.wave, features: r.features, ...(r.views ? { views: r.views } : {}) };
    if (sink) return await sink(full, candidate.seq);
    // Without keepWaves the waveform is dropped here: features only (the CREMA-D-size corpus's
    // 16 kHz waveforms were 1.4 GB of its 1.5 GiB peak).
    if (!keepWaves) delete (full as PreparedItem).wave;
    prepared.set(item.path, full);
  };
  const finish = (): BuiltCorpus => {
    const { items, skipped } = ingestor.finish();
    // finish() may fill in genders (CREMA-D demographics): take its metadata over the early copy.
    const usable = items.filter((i) => prepared.has(i.path)).map((i) => ({ ...prepared.get(i.path)!, ...i }));
    normalizeCorpus(usable, frontend);
    return { items: usable, summary: summarizeCorpus(usable, skipped), fromCache };
  };
  return { ingestor, settle, finish, maxDurationS };
}

/**
 * Ingest + front end in one pass, in this thread: each usable recording is resampled, trimmed
 * and turned into features as it arrives, so decoded audio is dropped right away. Per-utterance
 * normalisation runs last; per-speaker statistics are the experiment's (items keep raw features).
 * Await each accept to process files one at a time. `views`: training views computed beside the
 * features (feature-views.ts).
 */
export function createCorpusBuilder(frontend: Frontend, options: IngestOptions = {}, views: readonly FeatureView[] = [], cache?: FeatureCache, keepWaves = true, sink?: RecordingSink): ParallelCorpusBuilder {
  return createParallelCorpusBuilder(frontend, options, (_path, bytes) => processRecording(frontend, bytes, options.maxDurationS ?? 600, views, cache), keepWaves, sink);
}

/** The same corpus as `createCorpusBuilder`, with decoding and features done by `process` (a worker pool). */
export function createParallelCorpusBuilder(
  frontend: Frontend,
  options: IngestOptions,
  process: RecordingProcessor,
  keepWaves = true,
  /** Hands each recording here as it is done, keeping none (the built corpus then has no items). */
  sink?: RecordingSink,
): ParallelCorpusBuilder {
  const core = createCore(frontend, options, keepWaves, sink);
  const pending = new Set<Promise<void>>();
  let failure: unknown;
  let waiters: { limit: number; resolve: () => void }[] = [];
  const wake = () => {
    const ready = waiters.filter((w) => pending.size < w.limit);
    waiters = waiters.filter((w) => pending.size >= w.limit);
    for (const w of ready) w.resolve();
  };
  return {
    accept(path, bytes) {
      // A sink that failed (a full disk) stops the reading at once, not after the whole corpus.
      if (failure !== undefined) return Promise.reject(failure);
      const a = core.ingestor.admit(path, bytes);
      if (a.kind !== "candidate") return Promise.resolve();
      const job = process(path, bytes).then(
        (r) => core.settle(a.candidate, r),
        (e: unknown) => core.settle(a.candidate, { outcome: { ok: false, reason: `could not be processed: ${(e as Error).message}` } }),
      ).catch((e: unknown) => {
        // Only the sink can throw here (a full disk): kept for finish() to raise, never lost.
        failure ??= e;
      }).finally(() => {
        pending.delete(job);
        wake();
      });
      pending.add(job);
      return job;
    },
    room(limit) {
      if (failure !== undefined) return Promise.reject(failure);
      return pending.size < limit ? Promise.resolve() : new Promise((resolve) => waiters.push({ limit, resolve }));
    },
    skip: (path, reason) => core.ingestor.skip(path, reason),
    elsewhere: (path) => core.ingestor.elsewhere(path),
    async finish() {
      await Promise.all(pending);
      if (failure !== undefined) throw failure;
      return core.finish();
    },
  };
}
