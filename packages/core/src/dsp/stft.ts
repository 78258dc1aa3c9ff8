import { ConfigError, requirePositiveInt } from "../errors.ts";
import { createRealFft } from "./fft.ts";
import { makeWindow, padCenter, type WindowName } from "./window.ts";

export type PadMode = "constant" | "reflect" | "edge";

export interface StftConfig {
  nFft: number;
  /** Default: floor(winLength / 4), as librosa. */
  hopLength?: number;
  /** Default: nFft. */
  winLength?: number;
  window?: WindowName;
  /** Pad nFft/2 on both sides so frame t is centered at t * hopLength (librosa default true). */
  center?: boolean;
  /** librosa >= 0.10 pads with zeros ("constant"); older versions reflected. */
  padMode?: PadMode;
}

export interface ResolvedStftConfig {
  nFft: number;
  hopLength: number;
  winLength: number;
  window: WindowName;
  center: boolean;
  padMode: PadMode;
}

export function resolveStftConfig(config: StftConfig): ResolvedStftConfig {
  const nFft = requirePositiveInt("n_fft", config.nFft);
  const winLength = requirePositiveInt("win_length", config.winLength ?? nFft);
  if (winLength > nFft) throw new ConfigError(`win_length (${winLength}) must not exceed n_fft (${nFft}).`);
  const hopLength = requirePositiveInt("hop_length", config.hopLength ?? Math.floor(winLength / 4));
  return {
    nFft,
    hopLength,
    winLength,
    window: config.window ?? "hann",
    center: config.center ?? true,
    padMode: config.padMode ?? "constant",
  };
}

/** Number of frames librosa produces for `nSamples` samples. */
export function frameCount(nSamples: number, frameLength: number, hopLength: number, center: boolean): number {
  if (center) return 1 + Math.floor(nSamples / hopLength);
  if (nSamples < frameLength) return 0;
  return 1 + Math.floor((nSamples - frameLength) / hopLength);
}

/**
 * Copies frame `t` of `signal` into `out` (length `frameLength`), applying centering and
 * padding virtually so that no padded copy of the signal is ever made.
 */
export function readFrame(
  signal: Float32Array,
  t: number,
  frameLength: number,
  hopLength: number,
  center: boolean,
  padMode: PadMode,
  out: Float64Array,
): void {
  const n = signal.length;
  const start = t * hopLength - (center ? frameLength >> 1 : 0);
  if (start >= 0 && start + frameLength <= n) {
    for (let i = 0; i < frameLength; i++) out[i] = signal[start + i]!;
    return;
  }
  for (let i = 0; i < frameLength; i++) {
    let j = start + i;
    if (j < 0 || j >= n) {
      if (padMode === "constant" || n === 0) {
        out[i] = 0;
        continue;
      }
      if (padMode === "edge") j = j < 0 ? 0 : n - 1;
      else j = reflectIndex(j, n);
    }
    out[i] = signal[j]!;
  }
}

/** numpy.pad(mode="reflect") index mapping (edge sample not repeated), valid for any offset. */
function reflectIndex(j: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let r = j % period;
  if (r < 0) r += period;
  return r < n ? r : period - r;
}

export interface Stft {
  readonly config: ResolvedStftConfig;
  /** Frequency bins per frame: nFft / 2 + 1. */
  readonly bins: number;
  frameCount(nSamples: number): number;
  /**
   * Fills `out` ([frames × bins], frames-major) with |STFT|^power of `signal`.
   * Equivalent to `np.abs(librosa.stft(y, ...)) ** power` transposed.
   */
  spectrogram(signal: Float32Array, out: Float32Array | Float64Array, power: 1 | 2): void;
  /** Like `spectrogram` but hands each frame's spectrum to `sink` instead of storing it. */
  forEachFrame(signal: Float32Array, power: 1 | 2, sink: (t: number, spectrum: Float64Array) => void): void;
}

export function createStft(config: StftConfig): Stft {
  const c = resolveStftConfig(config);
  const window = padCenter(makeWindow(c.window, c.winLength, true), c.nFft);
  const fft = createRealFft(c.nFft);
  const bins = fft.bins;
  const frame = new Float64Array(c.nFft);
  const spec = new Float64Array(bins);
  const forEachFrame = (signal: Float32Array, power: 1 | 2, sink: (t: number, spectrum: Float64Array) => void) => {
    const frames = frameCount(signal.length, c.nFft, c.hopLength, c.center);
    const half = c.center ? c.nFft >> 1 : 0;
    for (let t = 0; t < frames; t++) {
      const start = t * c.hopLength - half;
      if (start >= 0 && start + c.nFft <= signal.length) {
        // Interior frames (all but a few): read and window in one pass.
        for (let i = 0; i < c.nFft; i++) frame[i] = signal[start + i]! * window[i]!;
      } else {
        readFrame(signal, t, c.nFft, c.hopLength, c.center, c.padMode, frame);
        for (let i = 0; i < c.nFft; i++) frame[i] = frame[i]! * window[i]!;
      }
      fft.spectrum(frame, spec, power);
      sink(t, spec);
    }
  };
  return {
    config: c,
    bins,
    frameCount: (nSamples) => frameCount(nSamples, c.nFft, c.hopLength, c.center),
    forEachFrame,
    spectrogram(signal, out, power) {
      const need = frameCount(signal.length, c.nFft, c.hopLength, c.center) * bins;
      if (out.length < need) throw new ConfigError(`output holds ${out.length} values, spectrogram needs ${need}.`);
      forEachFrame(signal, power, (t, s) => out.set(s, t * bins));
    },
  };
}
