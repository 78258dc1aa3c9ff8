import { ConfigError } from "../errors.ts";
import { createChroma } from "../dsp/chroma.ts";
import type { MelScale } from "../dsp/mel.ts";
import { createLogMel } from "../dsp/melspectrogram.ts";
import { createMfcc } from "../dsp/mfcc.ts";
import { createRms, createSpectralCentroid, createZeroCrossingRate } from "../dsp/spectral.ts";

export const FEATURE_KINDS = ["mfcc", "melspec-db", "zcr", "rms", "chroma", "spectral-centroid"] as const;
export type FeatureKind = (typeof FEATURE_KINDS)[number];

/** One feature's settings, with librosa's names and defaults. */
export interface FeatureConfig {
  kind: FeatureKind;
  sampleRateHz: number;
  /** librosa n_fft=2048 (frame_length for zcr and rms). */
  nFft?: number;
  /** librosa hop_length=512. */
  hopLength?: number;
  /** librosa win_length=n_fft. */
  winLength?: number;
  /** librosa n_mels=128. */
  nMels?: number;
  /** librosa n_mfcc=20. */
  nMfcc?: number;
  fminHz?: number;
  fmaxHz?: number;
  melScale?: MelScale;
  lifter?: number;
  nChroma?: number;
}

/** A configured feature: rows per frame (`dims`) and a compute that fills [frames × dims]. */
export interface FeaturePlan {
  readonly kind: FeatureKind;
  readonly dims: number;
  frameCount(nSamples: number): number;
  compute(signal: Float32Array, out: Float32Array): void;
}

export function createFeaturePlan(config: FeatureConfig): FeaturePlan {
  const stft = { nFft: config.nFft ?? 2048, hopLength: config.hopLength ?? 512, winLength: config.winLength };
  const mel = {
    ...stft,
    sampleRateHz: config.sampleRateHz,
    nMels: config.nMels ?? 128,
    fminHz: config.fminHz,
    fmaxHz: config.fmaxHz,
    melScale: config.melScale,
  };
  switch (config.kind) {
    case "mfcc": {
      const p = createMfcc({ ...mel, nMfcc: config.nMfcc ?? 20, lifter: config.lifter });
      return { kind: "mfcc", dims: p.nMfcc, frameCount: p.frameCount, compute: p.compute };
    }
    case "melspec-db": {
      const p = createLogMel(mel);
      return { kind: "melspec-db", dims: p.nMels, frameCount: p.frameCount, compute: p.compute };
    }
    case "chroma": {
      const p = createChroma({ ...stft, sampleRateHz: config.sampleRateHz, nChroma: config.nChroma });
      return { kind: "chroma", dims: p.nChroma, frameCount: p.frameCount, compute: p.compute };
    }
    case "zcr": {
      const p = createZeroCrossingRate({ frameLength: stft.nFft, hopLength: stft.hopLength });
      return { kind: "zcr", dims: 1, ...p };
    }
    case "rms": {
      const p = createRms({ frameLength: stft.nFft, hopLength: stft.hopLength });
      return { kind: "rms", dims: 1, ...p };
    }
    case "spectral-centroid": {
      const p = createSpectralCentroid({ ...stft, sampleRateHz: config.sampleRateHz });
      return { kind: "spectral-centroid", dims: 1, ...p };
    }
    default:
      throw new ConfigError(`unknown feature "${String(config.kind)}"; expected one of ${FEATURE_KINDS.join(", ")}.`);
  }
}

/** Runs a plan on one signal, allocating the [frames × dims] output. */
export function extractFeature(plan: FeaturePlan, signal: Float32Array): { frames: number; data: Float32Array } {
  const frames = plan.frameCount(signal.length);
  const data = new Float32Array(frames * plan.dims);
  plan.compute(signal, data);
  return { frames, data };
}
