import { ConfigError, requireInRange, requirePositiveInt } from "../errors.ts";

export type MelScale = "slaney" | "htk";
export type MelNorm = "slaney" | "none";

// Slaney's Auditory Toolbox scale, as librosa.hz_to_mel(htk=False): linear below 1 kHz, log above.
const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

export function hzToMel(hz: number, scale: MelScale = "slaney"): number {
  if (scale === "htk") return 2595 * Math.log10(1 + hz / 700);
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
}

export function melToHz(mel: number, scale: MelScale = "slaney"): number {
  if (scale === "htk") return 700 * (10 ** (mel / 2595) - 1);
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

/** `count` frequencies evenly spaced on the mel scale from fmin to fmax (librosa.mel_frequencies). */
export function melFrequencies(count: number, fminHz: number, fmaxHz: number, scale: MelScale): Float64Array {
  const lo = hzToMel(fminHz, scale);
  const hi = hzToMel(fmaxHz, scale);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = melToHz(count === 1 ? lo : lo + ((hi - lo) * i) / (count - 1), scale);
  }
  return out;
}

export interface MelFilterbankConfig {
  sampleRateHz: number;
  nFft: number;
  nMels?: number;
  fminHz?: number;
  /** Default: sampleRateHz / 2. */
  fmaxHz?: number;
  melScale?: MelScale;
  norm?: MelNorm;
}

/**
 * Triangular mel filters stored sparsely: band m covers FFT bins
 * [start[m], start[m] + length[m]) with weights at weights[offset[m] ...].
 */
export interface MelFilterbank {
  readonly nMels: number;
  readonly bins: number;
  readonly start: Uint32Array;
  readonly length: Uint32Array;
  readonly offset: Uint32Array;
  readonly weights: Float64Array;
  /** melOut[m] = sum_k W[m, k] * spectrum[k]. */
  apply(spectrum: Float64Array, melOut: Float64Array | Float32Array, outOffset?: number): void;
  /** The dense [nMels × bins] matrix, as librosa.filters.mel returns it. */
  dense(): Float64Array;
}

/** librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm) with the same defaults. */
export function createMelFilterbank(config: MelFilterbankConfig): MelFilterbank {
  const sr = requireInRange("sample rate (Hz)", config.sampleRateHz, 1, 10_000_000);
  const nFft = requirePositiveInt("n_fft", config.nFft);
  const nMels = requirePositiveInt("n_mels", config.nMels ?? 128);
  const fmin = config.fminHz ?? 0;
  const fmax = config.fmaxHz ?? sr / 2;
  if (!(fmin >= 0) || !(fmax > fmin)) {
    throw new ConfigError(`mel filter bank needs 0 <= fmin < fmax, got fmin=${fmin} Hz and fmax=${fmax} Hz.`);
  }
  const scale = config.melScale ?? "slaney";
  const norm = config.norm ?? "slaney";
  const bins = (nFft >> 1) + 1;
  const melF = melFrequencies(nMels + 2, fmin, fmax, scale);
  const dense = new Float64Array(nMels * bins);
  for (let m = 0; m < nMels; m++) {
    const f0 = melF[m]!;
    const f1 = melF[m + 1]!;
    const f2 = melF[m + 2]!;
    const enorm = norm === "slaney" ? 2 / (f2 - f0) : 1;
    for (let k = 0; k < bins; k++) {
      const f = (k * sr) / nFft;
      const lower = (f - f0) / (f1 - f0);
      const upper = (f2 - f) / (f2 - f1);
      const w = Math.max(0, Math.min(lower, upper));
      dense[m * bins + k] = w * enorm;
    }
  }
  const start = new Uint32Array(nMels);
  const length = new Uint32Array(nMels);
  const offset = new Uint32Array(nMels);
  let total = 0;
  for (let m = 0; m < nMels; m++) {
    let a = 0;
    while (a < bins && dense[m * bins + a] === 0) a++;
    let b = bins;
    while (b > a && dense[m * bins + b - 1] === 0) b--;
    start[m] = a;
    length[m] = b - a;
    offset[m] = total;
    total += b - a;
  }
  const weights = new Float64Array(total);
  for (let m = 0; m < nMels; m++) {
    weights.set(dense.subarray(m * bins + start[m]!, m * bins + start[m]! + length[m]!), offset[m]!);
  }
  return {
    nMels,
    bins,
    start,
    length,
    offset,
    weights,
    apply(spectrum, melOut, outOffset = 0) {
      for (let m = 0; m < nMels; m++) {
        const s = start[m]!;
        const o = offset[m]!;
        const len = length[m]!;
        let a0 = 0, a1 = 0;
        let i = 0;
        for (; i + 1 < len; i += 2) {
          a0 += weights[o + i]! * spectrum[s + i]!;
          a1 += weights[o + i + 1]! * spectrum[s + i + 1]!;
        }
        if (i < len) a0 += weights[o + i]! * spectrum[s + i]!;
        melOut[outOffset + m] = a0 + a1;
      }
    },
    dense: () => dense.slice(),
  };
}
