/**
 * Streams dropped files into a callback, entry by entry: zips are read from File.stream() with
 * core's zip reader (never whole in memory), other files are read as they are.
 */
import { createZipReader } from "@ser/core";

export interface InputFile {
  /** Path shown in reports: the folder-relative path for folder drops, else the file name. */
  path: string;
  file: File;
}

export type Entry = { kind: "file"; path: string; bytes: Uint8Array } | { kind: "skip"; path: string; reason: string };

/**
 * `onEntry` may return a promise: reading waits for it (backpressure for a busy worker pool).
 * With `enough`, reading stops as soon as it says so (one recording looked up again need not
 * stream the rest of its zip).
 */
export async function readFiles(inputs: readonly InputFile[], onEntry: (e: Entry) => void | Promise<void>, onFileDone?: (done: number, total: number) => void, enough?: () => boolean): Promise<void> {
  let done = 0;
  for (const { path, file } of inputs) {
    if (enough?.()) return;
    if (/\.zip$/i.test(path)) {
      try {
        const reader = createZipReader(path);
        const emit = async (events: ReturnType<typeof reader.push>) => {
          for (const ev of events) await onEntry(ev.kind === "entry" ? { kind: "file", path: ev.path, bytes: ev.bytes } : ev);
        };
        const stream = file.stream().getReader();
        let stopped = false;
        for (;;) {
          const { value, done: end } = await stream.read();
          if (end) break;
          await emit(reader.push(value, false));
          if (enough?.()) {
            stopped = true;
            await stream.cancel();
            break;
          }
        }
        if (!stopped) await emit(reader.push(new Uint8Array(0), true));
      } catch (e) {
        await onEntry({ kind: "skip", path, reason: (e as Error).message.replace(`${path}: `, "") });
      }
    } else {
      await onEntry({ kind: "file", path, bytes: new Uint8Array(await file.arrayBuffer()) });
    }
    onFileDone?.(++done, inputs.length);
  }
}
