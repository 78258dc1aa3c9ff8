import { createIngestor, type CorpusSummary, type DatasetChoice, type Frontend, type LabelPolicy, normalizeCorpus, summarizeCorpus } from "@ser/core";
import { type PreparedItem, prepareItem } from "@ser/core/ml.ts";
import { readInputs } from "./read-inputs.ts";

export interface LoadedCorpus {
  items: PreparedItem[];
  summary: CorpusSummary;
}

/**
 * Reads folders and zips, keeps usable recordings, and runs the front end on each (resample,
 * trim, features) as it arrives, so decoded audio is dropped right away. Per-utterance or
 * per-speaker normalisation (front-end config) is applied last, using no labels.
 */
export async function loadCorpus(
  paths: string[],
  options: { dataset: DatasetChoice; labels: LabelPolicy; frontend: Frontend; onFile?: (n: number) => void },
): Promise<LoadedCorpus> {
  const ingestor = createIngestor({ dataset: options.dataset, labels: options.labels });
  const prepared = new Map<string, PreparedItem>();
  let n = 0;
  for await (const ev of readInputs(paths)) {
    if (ev.kind === "skip") {
      ingestor.skip(ev.path, ev.reason);
      continue;
    }
    const r = ingestor.accept(ev.path, ev.bytes);
    if (r.kind === "item") {
      try {
        prepared.set(r.item.path, prepareItem(options.frontend, r.item, r.audio));
      } catch (e) {
        ingestor.skip(r.item.path, `features could not be computed: ${(e as Error).message}`);
      }
    }
    options.onFile?.(++n);
  }
  const { items, skipped } = ingestor.finish();
  // finish() may fill in genders (CREMA-D demographics): take the final metadata.
  const usable = items.filter((i) => prepared.has(i.path)).map((i) => ({ ...prepared.get(i.path)!, ...i }));
  normalizeCorpus(usable, options.frontend);
  return { items: usable, summary: summarizeCorpus(usable, skipped) };
}
