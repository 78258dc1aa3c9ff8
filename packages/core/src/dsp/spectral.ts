import { ConfigError, requirePositiveInt } from "../errors.ts";
import { createStft, frameCount, type PadMode, readFrame, type StftConfig } from "./stft.ts";

export interface FramingConfig {
  /** librosa frame_length=2048. */
  frameLength?: number;
  /** librosa hop_length=512. */
  hopLength?: number;
  center?: boolean;
}

/** A per-frame scalar feature: fills `out` (length frames) for a signal. */
export interface FrameFeature {
  frameCount(nSamples: number): number;
  compute(signal: Float32Array, out: Float32Array): void;
}

function framing(config: FramingConfig) {
  const frameLength = requirePositiveInt("frame_length", config.frameLength ?? 2048);
  const hopLength = requirePositiveInt("hop_length", config.hopLength ?? 512);
  return { frameLength, hopLength, center: config.center ?? true };
}

function checkOut(out: Float32Array, frames: number, what: string): void {
  if (out.length < frames) throw new ConfigError(`output holds ${out.length} values, ${what} needs ${frames}.`);
}

/** np.signbit after librosa.zero_crossings zeroes |x| <= threshold (when threshold > 0). */
function isNegative(v: number, threshold: number): boolean {
  if (threshold > 0 && Math.abs(v) <= threshold) return false;
  return v < 0 || Object.is(v, -0);
}

/**
 * librosa.feature.zero_crossing_rate: centered frames padded by repeating the edge sample,
 * |x| <= 1e-10 counts as zero, zero counts as positive, and the count of sign changes
 * between consecutive samples is divided by frame_length.
 */
export function createZeroCrossingRate(config: FramingConfig & { threshold?: number } = {}): FrameFeature {
  const { frameLength, hopLength, center } = framing(config);
  const threshold = config.threshold ?? 1e-10;
  const frame = new Float64Array(frameLength);
  const count = (n: number) => frameCount(n, frameLength, hopLength, center);
  return {
    frameCount: count,
    compute(signal, out) {
      const frames = count(signal.length);
      checkOut(out, frames, "zero-crossing rate");
      for (let t = 0; t < frames; t++) {
        readFrame(signal, t, frameLength, hopLength, center, "edge", frame);
        let crossings = 0;
        let prevNeg = isNegative(frame[0]!, threshold);
        for (let i = 1; i < frameLength; i++) {
          const neg = isNegative(frame[i]!, threshold);
          if (neg !== prevNeg) crossings++;
          prevNeg = neg;
        }
        out[t] = crossings / frameLength;
      }
    },
  };
}

/** librosa.feature.rms(y=...): sqrt(mean(x^2)) over centered frames padded with zeros (librosa >= 0.10). */
export function createRms(config: FramingConfig & { padMode?: PadMode } = {}): FrameFeature {
  const { frameLength, hopLength, center } = framing(config);
  const padMode = config.padMode ?? "constant";
  const frame = new Float64Array(frameLength);
  const count = (n: number) => frameCount(n, frameLength, hopLength, center);
  return {
    frameCount: count,
    compute(signal, out) {
      const frames = count(signal.length);
      checkOut(out, frames, "RMS");
      for (let t = 0; t < frames; t++) {
        readFrame(signal, t, frameLength, hopLength, center, padMode, frame);
        let acc = 0;
        for (let i = 0; i < frameLength; i++) acc += frame[i]! * frame[i]!;
        out[t] = Math.sqrt(acc / frameLength);
      }
    },
  };
}

/**
 * librosa.feature.spectral_centroid: the magnitude-weighted mean frequency of each frame,
 * sum_k f_k |X_k| / sum_k |X_k|; a silent frame (all-zero magnitudes) gives 0.
 */
export function createSpectralCentroid(config: StftConfig & { sampleRateHz: number }): FrameFeature {
  const stft = createStft(config);
  const nFft = stft.config.nFft;
  const freq = new Float64Array(stft.bins);
  for (let k = 0; k < stft.bins; k++) freq[k] = (k * config.sampleRateHz) / nFft;
  return {
    frameCount: stft.frameCount,
    compute(signal, out) {
      checkOut(out, stft.frameCount(signal.length), "spectral centroid");
      stft.forEachFrame(signal, 1, (t, mag) => {
        let num = 0;
        let den = 0;
        for (let k = 0; k < mag.length; k++) {
          num += freq[k]! * mag[k]!;
          den += mag[k]!;
        }
        out[t] = den > 0 ? num / den : 0;
      });
    },
  };
}
