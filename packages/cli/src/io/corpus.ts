import { type BuiltCorpus, type DatasetChoice, type FeatureView, type Frontend, isCorpusMetadata, type LabelPolicy, type Manifest, loadCorpus as loadCorpusWith, readsInShard, type RecordingSink, type ShardIndex } from "@ser/core";
import { createDenoFeaturePool } from "./feature-pool.ts";
import { openFileCache } from "./feature-cache.ts";
import { readInputs } from "./read-inputs.ts";

export type LoadedCorpus = BuiltCorpus & {
  /** Files the reading met (read, skipped or left to other shards). */
  filesSeen: number;
};

/**
 * Reads folders and zips from disk into core's corpus loader (ingest, features, normalisation).
 * With `workers` > 1, decoding and features run in a pool of Deno workers while this thread
 * reads and admits files; the corpus is the same either way. With `shard`, only that shard's
 * recordings are read (the others keep their place in the order), after the corpora's speaker
 * tables, and each goes to `sink` as it is done.
 */
export async function loadCorpus(
  paths: string[],
  options: { dataset: DatasetChoice; labels: LabelPolicy; manifest?: Manifest; speakerPattern?: RegExp; frontend: Frontend; workers?: number; views?: readonly FeatureView[];
    /** Feature cache folder (feature-cache.ts); none: no cache. */
    cacheDir?: string;
    /** Keep each clip's waveform (default true); core's needsWaveforms(spec) says when training needs them. */
    keepWaves?: boolean;
    /** Recordings with features so far (for progress). */
    onProcessed?: (n: number) => void;
    shard?: ShardIndex;
    sink?: RecordingSink },
): Promise<LoadedCorpus> {
  const workers = options.workers ?? 1;
  const pool = workers > 1 ? createDenoFeaturePool(options.frontend.config, workers, options.views, options.cacheDir) : undefined;
  const shard = options.shard;
  let filesSeen = 0;
  try {
    const built = await loadCorpusWith(async (emit) => {
      // A shard hands recordings on as they are done: the speaker tables (genders) come first.
      if (shard) for await (const ev of readInputs(paths, undefined, isCorpusMetadata)) if (ev.kind === "file") await emit(ev);
      for await (const ev of readInputs(paths, undefined, shard ? (path) => readsInShard(path, shard) : undefined)) {
        filesSeen++;
        await emit(ev);
      }
    }, { frontend: options.frontend, ingest: { dataset: options.dataset, labels: options.labels, manifest: options.manifest, speakerPattern: options.speakerPattern }, pool, views: options.views, keepWaves: options.keepWaves ?? true, onProcessed: options.onProcessed, ...(options.cacheDir && !pool ? { cache: openFileCache(options.cacheDir) } : {}), ...(options.sink ? { sink: options.sink } : {}) });
    return { ...built, filesSeen };
  } finally {
    pool?.close();
  }
}
