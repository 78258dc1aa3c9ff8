import type { DatasetChoice, Frontend, LabelPolicy } from "@ser/core";
import { createCorpusBuilder, type CorpusBuilder } from "@ser/core/ml.ts";
import { readInputs } from "./read-inputs.ts";

export type LoadedCorpus = ReturnType<CorpusBuilder["finish"]>;

/** Reads folders and zips from disk into core's corpus builder (ingest, features, normalisation). */
export async function loadCorpus(
  paths: string[],
  options: { dataset: DatasetChoice; labels: LabelPolicy; frontend: Frontend },
): Promise<LoadedCorpus> {
  const builder = createCorpusBuilder(options.frontend, { dataset: options.dataset, labels: options.labels });
  for await (const ev of readInputs(paths)) {
    if (ev.kind === "skip") builder.skip(ev.path, ev.reason);
    else builder.accept(ev.path, ev.bytes);
  }
  return builder.finish();
}
