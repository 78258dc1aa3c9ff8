/**
 * Reading + ingestion + features, the one flow the CLI and the page's trainer share: the caller
 * supplies a reader (folders and zips from disk, or dropped files) and, optionally, a worker
 * pool; the corpus is the same either way (items in admission order).
 */
import type { IngestOptions } from "../data/ingest.ts";
import type { Frontend } from "../features/frontend.ts";
import { type BuiltCorpus, createCorpusBuilder, createParallelCorpusBuilder, type RecordingSink } from "./corpus-builder.ts";
import type { FeaturePool } from "./worker-pool.ts";
import type { FeatureView } from "../augment/feature-views.ts";
import { bindFeatureCache, type FeatureCacheStore } from "./feature-cache.ts";

/** A file with its bytes, one the reader could not deliver, or one another process reads (a shard's others). */
export type ReadEvent = { kind: "file"; path: string; bytes: Uint8Array } | { kind: "skip"; path: string; reason: string } | { kind: "elsewhere"; path: string };

/** Calls `emit` for every input file or skip, awaiting it (that is the backpressure). */
export type CorpusReader = (emit: (e: ReadEvent) => Promise<void>) => Promise<void>;

export interface LoadCorpusOptions {
  frontend: Frontend;
  ingest?: IngestOptions;
  /** Decode and features in these workers (created with the same views); without one, in this thread. */
  pool?: FeaturePool;
  /** Training views to compute beside each clip's features (feature-views.ts); none by default. */
  views?: readonly FeatureView[];
  /** Reuse features computed before (feature-cache.ts), in this thread; a pool brings its own. */
  cache?: FeatureCacheStore;
  /** Keep each item's prepared waveform (default true); false keeps features only (needsWaveforms(spec) decides). */
  keepWaves?: boolean;
  /** After each recording is done (kept or skipped), with the number done so far. */
  onProcessed?: (done: number) => void;
  /** Each recording goes here as it is done and none is kept (feature shards); the corpus returned has no items. */
  sink?: RecordingSink;
}

export async function loadCorpus(read: CorpusReader, o: LoadCorpusOptions): Promise<BuiltCorpus> {
  const ingest = o.ingest ?? {};
  let done = 0;
  if (!o.pool || o.pool.size <= 0) {
    const cache = o.cache ? bindFeatureCache(o.cache, o.frontend.config, o.views ?? []) : undefined;
    const builder = createCorpusBuilder(o.frontend, ingest, o.views, cache, o.keepWaves ?? true, o.sink);
    await read(async (e) => {
      if (e.kind === "skip") return builder.skip(e.path, e.reason);
      if (e.kind === "elsewhere") return builder.elsewhere(e.path);
      await builder.accept(e.path, e.bytes);
      o.onProcessed?.(++done);
    });
    return await builder.finish();
  }
  const pool = o.pool;
  const asked = o.views ?? [];
  if (pool.views.length !== asked.length || pool.views.some((v, i) => v !== asked[i])) {
    throw new Error(`the feature pool computes views [${pool.views.join(", ")}] but the corpus was asked for [${asked.join(", ")}]: create the pool with the same views.`);
  }
  const builder = createParallelCorpusBuilder(o.frontend, ingest, pool.process, o.keepWaves ?? true, o.sink);
  await read(async (e) => {
    if (e.kind === "skip") return builder.skip(e.path, e.reason);
    if (e.kind === "elsewhere") return builder.elsewhere(e.path);
    // A failure is raised by room() below (and finish()), not by this promise.
    void builder.accept(e.path, e.bytes).then(() => o.onProcessed?.(++done), () => {});
    // Backpressure: a few files per worker in memory; reading resumes as soon as one is done,
    // so the workers never wait for the reader to refill a drained queue.
    await builder.room(pool.size * 4);
  });
  return await builder.finish();
}
