import { createIngestor, type IngestOptions } from "../data/ingest.ts";
import { type CorpusSummary, summarizeCorpus } from "../data/summary.ts";
import { type PreparedItem, prepareItem } from "./experiment.ts";
import type { Frontend } from "./frontend.ts";
import { normalizeCorpus } from "./normalize.ts";

export interface CorpusBuilder {
  /** One input file (from a folder or a zip entry): kept as a prepared item, or skipped with a reason. */
  accept(path: string, bytes: Uint8Array): void;
  /** An entry the reader could not deliver. */
  skip(path: string, reason: string): void;
  /** The prepared, normalised items and the corpus summary. */
  finish(): { items: PreparedItem[]; summary: CorpusSummary };
}

/**
 * Ingest + front end in one pass: each usable recording is resampled, trimmed and turned into
 * features as it arrives, so decoded audio is dropped right away. The CLI and the page's
 * trainer worker feed it from their own readers. Normalisation (per utterance or per speaker,
 * no labels used) runs last, when every clip of a speaker is known.
 */
export function createCorpusBuilder(frontend: Frontend, options: IngestOptions = {}): CorpusBuilder {
  const ingestor = createIngestor(options);
  const prepared = new Map<string, PreparedItem>();
  return {
    accept(path, bytes) {
      const r = ingestor.accept(path, bytes);
      if (r.kind !== "item") return;
      try {
        prepared.set(r.item.path, prepareItem(frontend, r.item, r.audio));
      } catch (e) {
        ingestor.skip(r.item.path, `features could not be computed: ${(e as Error).message}`);
      }
    },
    skip: (path, reason) => ingestor.skip(path, reason),
    finish() {
      const { items, skipped } = ingestor.finish();
      // finish() may fill in genders (CREMA-D demographics): take its metadata over the early copy.
      const usable = items.filter((i) => prepared.has(i.path)).map((i) => ({ ...prepared.get(i.path)!, ...i }));
      normalizeCorpus(usable, frontend);
      return { items: usable, summary: summarizeCorpus(usable, skipped) };
    },
  };
}
