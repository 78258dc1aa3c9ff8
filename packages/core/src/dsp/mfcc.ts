import { ConfigError, requirePositiveInt } from "../errors.ts";
import { createLogMel, type LogMelConfig, type MelSpectrogram } from "./melspectrogram.ts";

export interface MfccConfig extends LogMelConfig {
  /** Number of coefficients kept (librosa n_mfcc=20). */
  nMfcc?: number;
  /** Sinusoidal cepstral liftering; 0 disables (librosa lifter=0). */
  lifter?: number;
}

export interface Mfcc {
  readonly nMfcc: number;
  readonly logMel: MelSpectrogram;
  frameCount(nSamples: number): number;
  /** Fills `out` ([frames × nMfcc], frames-major) with librosa.feature.mfcc(y).T. */
  compute(signal: Float32Array, out: Float32Array): void;
  /**
   * The DCT step alone: `logMel` holds [frames × nMels] power_to_db values (already floored),
   * `out` receives [frames × nMfcc], by the same arithmetic as compute (feature-stream.ts).
   */
  fromLogMel(logMel: Float32Array, frames: number, out: Float32Array): void;
}

/** Rows of `mel` ([frames × nMels]) times `dct`ᵀ ([nMfcc × nMels]) into `out`, in float64. */
function dctRows(dct: Float64Array, mel: Float32Array, frames: number, nMels: number, nMfcc: number, out: Float32Array): void {
  for (let t = 0; t < frames; t++) {
    const base = t * nMels;
    for (let k = 0; k < nMfcc; k++) {
      const row = k * nMels;
      // Four accumulators break the add dependency chain (the loop is latency-bound otherwise).
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      let n = 0;
      for (; n + 3 < nMels; n += 4) {
        a0 += dct[row + n]! * mel[base + n]!;
        a1 += dct[row + n + 1]! * mel[base + n + 1]!;
        a2 += dct[row + n + 2]! * mel[base + n + 2]!;
        a3 += dct[row + n + 3]! * mel[base + n + 3]!;
      }
      for (; n < nMels; n++) a0 += dct[row + n]! * mel[base + n]!;
      out[t * nMfcc + k] = a0 + a1 + (a2 + a3);
    }
  }
}

/**
 * Orthonormal DCT-II basis [nOut × nIn] (scipy.fftpack.dct(type=2, norm="ortho")), rows = outputs.
 */
export function dctMatrix(nOut: number, nIn: number): Float64Array {
  const m = new Float64Array(nOut * nIn);
  for (let k = 0; k < nOut; k++) {
    const s = k === 0 ? Math.sqrt(1 / nIn) : Math.sqrt(2 / nIn);
    for (let n = 0; n < nIn; n++) m[k * nIn + n] = s * Math.cos((Math.PI * k * (2 * n + 1)) / (2 * nIn));
  }
  return m;
}

/**
 * librosa.feature.mfcc: log-mel (power_to_db with its whole-signal top_db floor), then an
 * orthonormal DCT-II over mel bands, keeping nMfcc coefficients, then optional liftering
 * M *= 1 + (L/2) sin(pi (k+1) / L).
 */
export function createMfcc(config: MfccConfig): Mfcc {
  const logMel = createLogMel(config);
  const nMels = logMel.nMels;
  const nMfcc = requirePositiveInt("n_mfcc", config.nMfcc ?? 20);
  if (nMfcc > nMels) throw new ConfigError(`n_mfcc (${nMfcc}) must not exceed n_mels (${nMels}).`);
  const lifter = config.lifter ?? 0;
  if (!(lifter >= 0)) throw new ConfigError(`lifter must be >= 0, got ${lifter}.`);
  const dct = dctMatrix(nMfcc, nMels);
  if (lifter > 0) {
    for (let k = 0; k < nMfcc; k++) {
      const g = 1 + (lifter / 2) * Math.sin((Math.PI * (k + 1)) / lifter);
      for (let n = 0; n < nMels; n++) dct[k * nMels + n] = dct[k * nMels + n]! * g;
    }
  }
  // Log-mel scratch grows to the longest signal seen and is then reused.
  let scratch = new Float32Array(0);
  const plan = logMel.plan;
  plan?.setMatrix(dct);
  return {
    nMfcc,
    logMel,
    frameCount: logMel.frameCount,
    compute(signal, out) {
      const frames = logMel.frameCount(signal.length);
      if (out.length < frames * nMfcc) {
        throw new ConfigError(`output holds ${out.length} values, MFCC needs ${frames * nMfcc}.`);
      }
      if (plan) {
        const c = logMel.stft.config;
        // Mel spectrogram, power_to_db and the DCT all on the module's memory: one copy in, one out.
        const mel = plan.melFrames(signal, frames, c.hopLength, c.center ? c.nFft >> 1 : 0, config.power ?? 2);
        plan.powerToDb(mel, frames * nMels, config.db);
        out.set(plan.matmulRows(mel, frames, nMels, nMfcc));
        return;
      }
      if (scratch.length < frames * nMels) scratch = new Float32Array(frames * nMels);
      logMel.compute(signal, scratch);
      dctRows(dct, scratch, frames, nMels, nMfcc, out);
    },
    fromLogMel(mel, frames, out) {
      if (plan) out.set(plan.matmulRows(plan.load(mel.subarray(0, frames * nMels)), frames, nMels, nMfcc));
      else dctRows(dct, mel, frames, nMels, nMfcc, out);
    },
  };
}
