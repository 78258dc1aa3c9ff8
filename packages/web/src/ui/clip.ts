/**
 * The clip viewer (#clip, under Explore): one recording's audio, waveform, log-mel and MFCC
 * images, captioned, on one time axis, with a playhead that follows the audio.
 */
import type { Remote } from "comlink";
import type { DataApi } from "../workers/data.worker.ts";
import { drawImage, drawWave } from "./charts.ts";
import { $ } from "./dom.ts";

/** Tick spacing (s) that gives at most six ticks over `seconds` (a phone-wide axis stays legible). */
function tickStep(seconds: number): number {
  for (const step of [0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 30, 60]) if (seconds / step <= 6) return step;
  return 120;
}

function drawTimeAxis(host: HTMLElement, seconds: number) {
  const step = tickStep(seconds);
  const ticks: HTMLElement[] = [];
  for (let t = 0; t <= seconds + 1e-9; t += step) {
    const tick = document.createElement("span");
    tick.textContent = `${Number(t.toFixed(2))} s`;
    tick.style.left = `${(100 * t) / seconds}%`;
    ticks.push(tick);
  }
  host.replaceChildren(...ticks);
}

let followPlayhead: (() => void) | undefined;

/** The playheads follow the audio element: on every time update, and every frame while playing. */
function setupPlayhead(audio: HTMLAudioElement) {
  const clip = $("clip");
  const heads = [...clip.querySelectorAll<HTMLElement>(".playhead")];
  const move = () => {
    const at = audio.duration > 0 ? audio.currentTime / audio.duration : 0;
    clip.dataset.at = at.toFixed(3);
    for (const p of heads) p.style.left = `${(100 * at).toFixed(2)}%`;
  };
  // One frame loop at a time, however often play fires.
  let looping = false;
  const frame = () => {
    move();
    if (audio.paused) looping = false;
    else requestAnimationFrame(frame);
  };
  audio.addEventListener("timeupdate", move);
  audio.addEventListener("seeked", move);
  audio.addEventListener("play", () => {
    if (looping) return;
    looping = true;
    requestAnimationFrame(frame);
  });
  return move;
}

/** Shows `path` (read by the data worker); with `reveal` the viewer then scrolls into view. */
export async function showClip(api: Remote<DataApi>, path: string, reveal = false) {
  const clip = await api.clip(path);
  const audio = $<HTMLAudioElement>("clip-audio");
  followPlayhead ??= setupPlayhead(audio);
  $("clip").hidden = false;
  const seconds = clip.samples.length / clip.sampleRateHz;
  $("clip-title").textContent = `${path} (${clip.sampleRateHz} Hz, ${seconds.toFixed(2)} s)`;
  if (audio.src) URL.revokeObjectURL(audio.src);
  audio.src = URL.createObjectURL(new Blob([clip.wav as BlobPart]) /* any format: the browser sniffs it */);
  const peakDb = drawWave($<HTMLCanvasElement>("clip-wave"), clip.samples);
  $("clip-wave-caption").textContent = `Waveform, scaled to its loudest sample (${Number.isFinite(peakDb) ? `${peakDb.toFixed(1)} dBFS` : "silent"}).`;
  drawImage($<HTMLCanvasElement>("clip-spectrogram"), clip.logMel, clip.frames, clip.nMels);
  drawImage($<HTMLCanvasElement>("clip-mfcc"), clip.mfcc, clip.frames, clip.nMfcc, true);
  $("clip-spectrogram-caption").textContent = `Log-mel spectrogram: ${clip.nMels} mel bands from 0 Hz (bottom) to ${Math.round(clip.sampleRateHz / 2)} Hz (top), ${(1000 * clip.hopS).toFixed(0)} ms per column; brighter is louder.`;
  $("clip-mfcc-caption").textContent = `MFCC: coefficients c0 (bottom) to c${clip.nMfcc - 1} (top), each scaled on its own; time in seconds below.`;
  drawTimeAxis($("clip-time-axis"), seconds);
  $("clip").dataset.path = path;
  $("clip").dataset.readFrom = clip.readFrom;
  followPlayhead();
  if (reveal) $("clip").scrollIntoView({ block: "nearest" });
}
