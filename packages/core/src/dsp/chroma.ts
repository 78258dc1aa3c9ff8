import { ConfigError, requirePositiveInt } from "../errors.ts";
import { createStft, type Stft, type StftConfig } from "./stft.ts";

export interface ChromaConfig extends StftConfig {
  sampleRateHz: number;
  /** librosa n_chroma=12. */
  nChroma?: number;
  /**
   * Tuning offset in fractions of a chroma bin. librosa estimates it from the signal when
   * tuning=None; this implementation uses a fixed value (default 0, A4 = 440 Hz), which is
   * what librosa computes with `tuning=0`.
   */
  tuning?: number;
}

export interface Chroma {
  readonly nChroma: number;
  readonly stft: Stft;
  /** The [nChroma × bins] filter bank (librosa.filters.chroma). */
  readonly filters: Float64Array;
  frameCount(nSamples: number): number;
  /** Fills `out` ([frames × nChroma]) with librosa.feature.chroma_stft(y, tuning=...).T. */
  compute(signal: Float32Array, out: Float32Array): void;
}

/**
 * librosa.filters.chroma (Ellis' chromagram filters): Gaussian bumps in octave space around
 * each chroma bin, each FFT bin's column L2-normalized, weighted by a Gaussian over octaves
 * centered at ctroct=5 with width octwidth=2, rolled so that bin 0 is C.
 */
/** Chroma bins per frame (librosa's n_chroma default). */
export const CHROMA_BINS = 12;

export function chromaFilters(sampleRateHz: number, nFft: number, nChroma = CHROMA_BINS, tuning = 0): Float64Array {
  const ctroct = 5.0;
  const octwidth = 2;
  // frqbins for FFT bins 1..nFft-1 in chroma-bin units, then bin 0 placed 1.5 octaves below bin 1.
  const frq = new Float64Array(nFft);
  const a440 = 440.0 * 2 ** (tuning / nChroma);
  for (let k = 1; k < nFft; k++) {
    const hz = (k * sampleRateHz) / nFft;
    frq[k] = nChroma * Math.log2(hz / (a440 / 16));
  }
  frq[0] = frq[1]! - 1.5 * nChroma;
  const width = new Float64Array(nFft);
  for (let k = 0; k < nFft - 1; k++) width[k] = Math.max(frq[k + 1]! - frq[k]!, 1);
  width[nFft - 1] = 1;
  const half = Math.round(nChroma / 2);
  const w = new Float64Array(nChroma * nFft);
  for (let k = 0; k < nFft; k++) {
    let norm = 0;
    for (let c = 0; c < nChroma; c++) {
      let d = frq[k]! - c;
      d = ((d + half + 10 * nChroma) % nChroma + nChroma) % nChroma - half;
      const v = Math.exp(-0.5 * ((2 * d) / width[k]!) ** 2);
      w[c * nFft + k] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    const octave = Math.exp(-0.5 * ((frq[k]! / nChroma - ctroct) / octwidth) ** 2);
    for (let c = 0; c < nChroma; c++) {
      w[c * nFft + k] = (norm > 0 ? w[c * nFft + k]! / norm : w[c * nFft + k]!) * octave;
    }
  }
  // librosa: np.roll(wts, -3 * (n_chroma // 12), axis=0), so that row 0 is C rather than A.
  const shift = 3 * Math.floor(nChroma / 12);
  const bins = (nFft >> 1) + 1;
  const out = new Float64Array(nChroma * bins);
  for (let c = 0; c < nChroma; c++) {
    const src = (c + shift) % nChroma;
    for (let k = 0; k < bins; k++) out[c * bins + k] = w[src * nFft + k]!;
  }
  return out;
}

/** librosa.feature.chroma_stft on the power spectrogram, each frame scaled to max 1 (norm=inf). */
export function createChroma(config: ChromaConfig): Chroma {
  const stft = createStft(config);
  const nChroma = requirePositiveInt("n_chroma", config.nChroma ?? CHROMA_BINS);
  const tuning = config.tuning ?? 0;
  if (!Number.isFinite(tuning) || Math.abs(tuning) > 0.5) {
    throw new ConfigError(`tuning must be between -0.5 and 0.5 chroma bins, got ${tuning}.`);
  }
  const filters = chromaFilters(config.sampleRateHz, stft.config.nFft, nChroma, tuning);
  const bins = stft.bins;
  const acc = new Float64Array(nChroma);
  return {
    nChroma,
    stft,
    filters,
    frameCount: stft.frameCount,
    compute(signal, out) {
      const need = stft.frameCount(signal.length) * nChroma;
      if (out.length < need) throw new ConfigError(`output holds ${out.length} values, chroma needs ${need}.`);
      stft.forEachFrame(signal, 2, (t, power) => {
        let max = 0;
        for (let c = 0; c < nChroma; c++) {
          let s = 0;
          const row = c * bins;
          for (let k = 0; k < bins; k++) s += filters[row + k]! * power[k]!;
          acc[c] = s;
          if (Math.abs(s) > max) max = Math.abs(s);
        }
        // librosa.util.normalize leaves columns whose norm is below the smallest float untouched.
        const scale = max > 1.1754943508222875e-38 ? 1 / max : 1;
        for (let c = 0; c < nChroma; c++) out[t * nChroma + c] = acc[c]! * scale;
      });
    },
  };
}
