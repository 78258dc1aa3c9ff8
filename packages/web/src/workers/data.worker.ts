/**
 * The data worker: reads dropped zips and folders with core's streaming zip reader and
 * ingestor (the same code as `ser info`) and returns the corpus summary. Zips are read from
 * File.stream() chunk by chunk, never whole.
 */
import { expose } from "comlink";
import { createIngestor, createZipReader, type CorpusSummary, summarizeCorpus } from "@ser/core";

export interface InputFile {
  /** Path shown in reports: the folder-relative path for folder drops, else the file name. */
  path: string;
  file: File;
}

const api = {
  async summarize(inputs: InputFile[], onProgress?: (done: number, total: number) => void): Promise<CorpusSummary> {
    const ingestor = createIngestor();
    let done = 0;
    for (const { path, file } of inputs) {
      if (/\.zip$/i.test(path)) {
        let reader;
        try {
          reader = createZipReader(path);
          const stream = file.stream().getReader();
          for (;;) {
            const { value, done: end } = await stream.read();
            if (end) break;
            for (const ev of reader.push(value, false)) {
              if (ev.kind === "entry") ingestor.accept(ev.path, ev.bytes);
              else ingestor.skip(ev.path, ev.reason);
            }
          }
          for (const ev of reader.push(new Uint8Array(0), true)) {
            if (ev.kind === "entry") ingestor.accept(ev.path, ev.bytes);
            else ingestor.skip(ev.path, ev.reason);
          }
        } catch (e) {
          ingestor.skip(path, (e as Error).message.replace(`${path}: `, ""));
        }
      } else {
        ingestor.accept(path, new Uint8Array(await file.arrayBuffer()));
      }
      onProgress?.(++done, inputs.length);
    }
    const { items, skipped } = ingestor.finish();
    return summarizeCorpus(items, skipped);
  },
};

export type DataApi = typeof api;
expose(api);
