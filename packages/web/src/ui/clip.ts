/** The clip viewer (#clip, under Explore): one recording's audio, waveform, log-mel and MFCC images. */
import type { Remote } from "comlink";
import type { DataApi } from "../workers/data.worker.ts";
import { drawImage, drawWave } from "./charts.ts";
import { $ } from "./dom.ts";

/** Shows `path` (read by the data worker); with `reveal` the viewer then scrolls into view. */
export async function showClip(api: Remote<DataApi>, path: string, reveal = false) {
  const clip = await api.clip(path);
  $("clip").hidden = false;
  $("clip-title").textContent = `${path} (${clip.sampleRateHz} Hz, ${(clip.samples.length / clip.sampleRateHz).toFixed(2)} s)`;
  const audio = $<HTMLAudioElement>("clip-audio");
  if (audio.src) URL.revokeObjectURL(audio.src);
  audio.src = URL.createObjectURL(new Blob([clip.wav as BlobPart]) /* any format: the browser sniffs it */);
  drawWave($<HTMLCanvasElement>("clip-wave"), clip.samples);
  drawImage($<HTMLCanvasElement>("clip-spectrogram"), clip.logMel, clip.frames, 64);
  drawImage($<HTMLCanvasElement>("clip-mfcc"), clip.mfcc, clip.frames, 20, true);
  $("clip").dataset.path = path;
  if (reveal) $("clip").scrollIntoView({ block: "nearest" });
}
