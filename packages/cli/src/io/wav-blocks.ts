import { open } from "node:fs/promises";
import { decodeWavFrames, readWavLayout, type WavLayout } from "@ser/core";
import { readError } from "./read-file.ts";

/** A WAV file read piece by piece: its layout, and its mono samples block by block. */
export interface WavBlocks {
  layout: WavLayout;
  /** Blocks of mono samples in order (the same buffer refilled: use each before asking for the next). */
  blocks(): AsyncGenerator<Float32Array>;
  close(): Promise<void>;
}

const PREFIX_BYTES = 1 << 20;

/**
 * Opens `path` for reading in blocks of `blockFrames` frames when it is a WAV file whose fmt and
 * data chunks start within its first MiB (every writer we know puts them there), so an hour of
 * 48 kHz audio never sits in memory whole; null for anything else (another format, a fmt chunk
 * after the data), which the caller decodes whole. Samples equal decodeWav's (same converter).
 */
export async function openWavBlocks(path: string, blockFrames = 1 << 18): Promise<WavBlocks | null> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, "r");
  } catch (e) {
    throw readError(path, e);
  }
  try {
    const stat = await file.stat();
    if (stat.isDirectory()) throw readError(path, Object.assign(new Error("directory"), { code: "EISDIR" }));
    const size = stat.size;
    const prefix = new Uint8Array(Math.min(size, PREFIX_BYTES));
    await file.read(prefix, 0, prefix.length, 0);
    const magic = String.fromCharCode(...prefix.subarray(0, 4));
    if (magic !== "RIFF" && magic !== "RIFX") {
      await file.close();
      return null;
    }
    const layout = readWavLayout(prefix, { source: path, totalBytes: size, stopAtData: true });
    if (!layout) {
      await file.close();
      return null;
    }
    return {
      layout,
      async *blocks() {
        const bytes = new Uint8Array(blockFrames * layout.blockAlign);
        const samples = new Float32Array(blockFrames);
        for (let frame = 0; frame < layout.frameCount;) {
          const n = Math.min(blockFrames, layout.frameCount - frame);
          const want = n * layout.blockAlign;
          let got = 0;
          while (got < want) {
            const r = await file.read(bytes, got, want - got, layout.dataOffset + frame * layout.blockAlign + got);
            if (r.bytesRead === 0) throw new Error(`cannot read '${path}': the file ended at byte ${layout.dataOffset + frame * layout.blockAlign + got} (was it truncated while being read?).`);
            got += r.bytesRead;
          }
          decodeWavFrames(layout, bytes.subarray(0, want), samples, { source: path, firstFrame: frame });
          yield samples.subarray(0, n);
          frame += n;
        }
      },
      close: () => file.close(),
    };
  } catch (e) {
    await file.close().catch(() => undefined);
    throw e;
  }
}
