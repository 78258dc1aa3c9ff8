import { type BuiltCorpus, type DatasetChoice, type FeatureView, type Frontend, type LabelPolicy, type Manifest, loadCorpus as loadCorpusWith } from "@ser/core";
import { createDenoFeaturePool } from "./feature-pool.ts";
import { openFileCache } from "./feature-cache.ts";
import { readInputs } from "./read-inputs.ts";
import { registerCliFrontendAssets } from "./speech-embedding-assets.ts";

// Benchmarks load corpora through here without main.ts: encoder files are found the same way.
registerCliFrontendAssets();

export type LoadedCorpus = BuiltCorpus;

/**
 * Reads folders and zips from disk into core's corpus loader (ingest, features, normalisation).
 * With `workers` > 1, decoding and features run in a pool of Deno workers while this thread
 * reads and admits files; the corpus is the same either way.
 */
export async function loadCorpus(
  paths: string[],
  options: { dataset: DatasetChoice; labels: LabelPolicy; manifest?: Manifest; speakerPattern?: RegExp; frontend: Frontend; workers?: number; views?: readonly FeatureView[];
    /** Feature cache folder (feature-cache.ts); none: no cache. */
    cacheDir?: string;
    /** Keep each clip's waveform (default true); core's needsWaveforms(spec) says when training needs them. */
    keepWaves?: boolean;
    /** Recordings with features so far (for progress). */
    onProcessed?: (n: number) => void },
): Promise<LoadedCorpus> {
  const workers = options.workers ?? 1;
  const pool = workers > 1 ? createDenoFeaturePool(options.frontend.config, workers, options.views, options.cacheDir) : undefined;
  try {
    return await loadCorpusWith(async (emit) => {
      for await (const ev of readInputs(paths)) await emit(ev);
    }, { frontend: options.frontend, ingest: { dataset: options.dataset, labels: options.labels, manifest: options.manifest, speakerPattern: options.speakerPattern }, pool, views: options.views, keepWaves: options.keepWaves ?? true, onProcessed: options.onProcessed, ...(options.cacheDir && !pool ? { cache: openFileCache(options.cacheDir) } : {}) });
  } finally {
    pool?.close();
  }
}
