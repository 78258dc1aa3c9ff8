/**
 * The data worker: reads dropped zips and folders with core's streaming zip reader and
 * ingestor (the same code as `ser info`) and returns the corpus summary.
 */
import { expose } from "comlink";
import { createIngestor, type CorpusSummary, summarizeCorpus } from "@ser/core";
import { type InputFile, readFiles } from "./read-files.ts";

export type { InputFile };

const api = {
  async summarize(inputs: InputFile[], onProgress?: (done: number, total: number) => void): Promise<CorpusSummary> {
    const ingestor = createIngestor();
    await readFiles(inputs, (e) => (e.kind === "file" ? ingestor.accept(e.path, e.bytes) : ingestor.skip(e.path, e.reason)), onProgress);
    const { items, skipped } = ingestor.finish();
    return summarizeCorpus(items, skipped);
  },
};

export type DataApi = typeof api;
expose(api);
