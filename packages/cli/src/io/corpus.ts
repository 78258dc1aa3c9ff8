import type { DatasetChoice, Frontend, LabelPolicy } from "@ser/core";
import { type BuiltCorpus, createCorpusBuilder, createParallelCorpusBuilder } from "@ser/core";
import { createFeaturePool } from "./feature-pool.ts";
import { readInputs } from "./read-inputs.ts";

export type LoadedCorpus = BuiltCorpus;

/**
 * Reads folders and zips from disk into core's corpus builder (ingest, features, normalisation).
 * With `workers` > 1, decoding and features run in a pool of Deno workers while this thread
 * reads and admits files; the corpus is the same either way (items in admission order).
 */
export async function loadCorpus(
  paths: string[],
  options: { dataset: DatasetChoice; labels: LabelPolicy; frontend: Frontend; workers?: number },
): Promise<LoadedCorpus> {
  const ingest = { dataset: options.dataset, labels: options.labels };
  const workers = options.workers ?? 1;
  if (workers <= 1) {
    const builder = createCorpusBuilder(options.frontend, ingest);
    for await (const ev of readInputs(paths)) {
      if (ev.kind === "skip") builder.skip(ev.path, ev.reason);
      else builder.accept(ev.path, ev.bytes);
    }
    return builder.finish();
  }
  const pool = createFeaturePool(options.frontend.config, workers);
  try {
    const builder = createParallelCorpusBuilder(options.frontend, ingest, pool.process);
    for await (const ev of readInputs(paths)) {
      if (ev.kind === "skip") {
        builder.skip(ev.path, ev.reason);
        continue;
      }
      void builder.accept(ev.path, ev.bytes);
      // Backpressure: a few files per worker in memory; reading resumes as soon as one is done,
      // so the workers never wait for the reader to refill a drained queue.
      await builder.room(pool.size * 4);
    }
    return await builder.finish();
  } finally {
    pool.close();
  }
}
