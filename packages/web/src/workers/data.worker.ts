/**
 * The data worker: reads dropped zips and folders with core's streaming zip reader and
 * ingestor (the same code as `ser info`), returns the corpus summary and the list of usable
 * recordings, and on request one recording's audio with its log-mel spectrogram and MFCCs
 * (computed by core, as in training). Recordings are re-read from the dropped files on
 * demand rather than kept in memory.
 */
import { expose, transfer } from "comlink";
import { createIngestor, type LabellingInput, resolveLabelling, createLogMel, createMfcc, type CorpusItem, type CorpusSummary, decodeAudio, type ReadSlice, readZipEntry, readZipIndex, summarizeCorpus, type ZipIndexEntry } from "@ser/core";
import { type InputFile, readFiles } from "./read-files.ts";

export type { InputFile };

export interface ClipView {
  path: string;
  /** The file's own bytes, for an <audio> element. */
  wav: Uint8Array;
  sampleRateHz: number;
  samples: Float32Array;
  /** Log-mel (dB) [frames × nMels] and MFCC [frames × nMfcc], frames-major, a frame every hopS. */
  logMel: Float32Array;
  mfcc: Float32Array;
  frames: number;
  nMels: number;
  nMfcc: number;
  hopS: number;
  /** How the bytes were found: at the offset a zip's central directory gives, or by reading the input until they came. */
  readFrom: "zip index" | "stream";
}

/** The clip view's spectrogram and MFCC: 64 mel bands, 20 coefficients, a frame every 10 ms. */
const CLIP_MELS = 64, CLIP_MFCC = 20, CLIP_HOP_S = 0.01;

let inputs: InputFile[] = [];

/** Each dropped zip's central directory, read once when a recording in it is first looked up. */
const zipIndexes = new WeakMap<File, Promise<Map<string, ZipIndexEntry>>>();
const sliceOf = (file: File): ReadSlice => async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());

/**
 * Reads one recording again from the input (a zip or a dropped file) that holds it: an entry of
 * a dropped zip straight from where its central directory says it is (the clip viewer and the
 * players answer at once, wherever the entry is in a large archive); an entry of a zip inside a
 * zip by streaming the outer one until it comes.
 */
async function readEntry(path: string): Promise<{ bytes: Uint8Array; readFrom: ClipView["readFrom"] }> {
  const source = inputs.filter((i) => path === i.path || path.startsWith(`${i.path}/`));
  for (const input of source) {
    if (!/\.zip$/i.test(input.path) || path === input.path) continue;
    if (!zipIndexes.has(input.file)) zipIndexes.set(input.file, readZipIndex(sliceOf(input.file), input.file.size, input.path));
    const entry = await zipIndexes.get(input.file)!.catch(() => undefined);
    const found = entry?.get(path.slice(input.path.length + 1));
    if (found) return { bytes: await readZipEntry(sliceOf(input.file), found, input.path), readFrom: "zip index" };
  }
  let bytes: Uint8Array | undefined;
  await readFiles(source, (e) => {
    if (e.kind === "file" && e.path === path) bytes = e.bytes;
  }, undefined, () => bytes !== undefined);
  if (!bytes) throw new Error(`${path} is no longer readable.`);
  return { bytes, readFrom: "stream" };
}
let items: CorpusItem[] = [];
/** The latest summarize started: an older one ending after it leaves the corpus as the newer read it. */
let reads = 0;

const api = {
  /** Reads the inputs as `labelling` says (built-in names, folder per label, a speaker pattern, a manifest). */
  async summarize(files: InputFile[], labelling: LabellingInput = {}, onProgress?: (done: number, total: number) => void): Promise<CorpusSummary> {
    const mine = ++reads;
    const ingestor = createIngestor(resolveLabelling(labelling));
    await readFiles(files, async (e) => {
      if (e.kind === "file") await ingestor.accept(e.path, e.bytes);
      else ingestor.skip(e.path, e.reason);
    }, onProgress);
    const result = ingestor.finish();
    if (mine === reads) {
      inputs = files;
      items = result.items;
    }
    return summarizeCorpus(result.items, result.skipped);
  },
  list(): Pick<CorpusItem, "path" | "dataset" | "speaker" | "gender" | "emotion" | "durationS">[] {
    return items.map(({ path, dataset, speaker, gender, emotion, durationS }) => ({ path, dataset, speaker, gender, emotion, durationS }));
  },
  /** One recording's own bytes (any format the browser plays), for an <audio> element. */
  async audio(path: string): Promise<Uint8Array> {
    const { bytes } = await readEntry(path);
    return transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },
  async clip(path: string): Promise<ClipView> {
    const { bytes: wav, readFrom } = await readEntry(path);
    const audio = await decodeAudio(wav, { source: path });
    const sr = audio.sampleRateHz;
    const nFft = 2 ** Math.round(Math.log2(sr * 0.032));
    const hop = Math.round(sr * CLIP_HOP_S);
    const mel = createLogMel({ sampleRateHz: sr, nFft, hopLength: hop, nMels: CLIP_MELS });
    const mfcc = createMfcc({ sampleRateHz: sr, nFft, hopLength: hop, nMels: CLIP_MELS, nMfcc: CLIP_MFCC });
    const frames = mel.frameCount(audio.samples.length);
    const logMel = new Float32Array(frames * CLIP_MELS);
    const m = new Float32Array(frames * CLIP_MFCC);
    mel.compute(audio.samples, logMel);
    mfcc.compute(audio.samples, m);
    const view: ClipView = { path, wav, sampleRateHz: sr, samples: audio.samples, logMel, mfcc: m, frames, nMels: CLIP_MELS, nMfcc: CLIP_MFCC, hopS: hop / sr, readFrom };
    return transfer(view, [wav.buffer as ArrayBuffer, audio.samples.buffer as ArrayBuffer, logMel.buffer as ArrayBuffer, m.buffer as ArrayBuffer]);
  },
};

export type DataApi = typeof api;
expose(api);
