import { ConfigError } from "../errors.ts";
import type { Rng } from "../rng.ts";
import { pitchShift, timeStretch } from "./time-stretch.ts";

/** Adds white Gaussian noise at a signal-to-noise ratio in dB (in place). */
export function addNoise(wave: Float32Array, snrDb: number, rng: Rng): void {
  let power = 0;
  for (const v of wave) power += v * v;
  power /= Math.max(1, wave.length);
  if (power === 0) return;
  const sigma = Math.sqrt(power / 10 ** (snrDb / 10));
  for (let i = 0; i < wave.length; i++) wave[i] = wave[i]! + sigma * rng.normal();
}

/** Multiplies by a gain in dB (in place). */
export function applyGain(wave: Float32Array, db: number): void {
  const g = 10 ** (db / 20);
  for (let i = 0; i < wave.length; i++) wave[i] = wave[i]! * g;
}

/** Shifts by `samples` (positive = later), filling with zeros; returns a new array. */
export function timeShift(wave: Float32Array, samples: number): Float32Array {
  const out = new Float32Array(wave.length);
  if (samples >= 0) out.set(wave.subarray(0, Math.max(0, wave.length - samples)), samples);
  else out.set(wave.subarray(-samples));
  return out;
}

/**
 * SpecAugment (Park et al. 2019) on a standardised [frames × dims] matrix: `freqMasks` bands
 * of up to `freqWidth` dims and `timeMasks` spans of up to `timeWidth` frames are set to 0 (the
 * mean after scaling). In place.
 */
export function specAugment(
  x: Float32Array,
  frames: number,
  dims: number,
  rng: Rng,
  o: { freqMasks: number; freqWidth: number; timeMasks: number; timeWidth: number },
): void {
  for (let m = 0; m < o.freqMasks; m++) {
    const w = rng.int(o.freqWidth + 1);
    const f0 = rng.int(Math.max(1, dims - w));
    for (let t = 0; t < frames; t++) for (let d = f0; d < f0 + w && d < dims; d++) x[t * dims + d] = 0;
  }
  for (let m = 0; m < o.timeMasks; m++) {
    const w = rng.int(o.timeWidth + 1);
    const t0 = rng.int(Math.max(1, frames - w));
    for (let t = t0; t < t0 + w && t < frames; t++) x.fill(0, t * dims, (t + 1) * dims);
  }
}

export const AUGMENTATIONS = ["noise", "gain", "shift", "stretch", "pitch", "specaugment"] as const;
export type AugmentationName = (typeof AUGMENTATIONS)[number];

/** Which augmentations run, each applied to a training clip with probability `probability`, with random strengths in these ranges. */
export interface AugmentConfig {
  enabled: AugmentationName[];
  probability: number;
  snrDb: [number, number];
  gainDb: [number, number];
  shiftS: number;
  stretchRate: [number, number];
  pitchSemitones: [number, number];
  specAugment: { freqMasks: number; freqWidth: number; timeMasks: number; timeWidth: number };
}

export const DEFAULT_AUGMENT: AugmentConfig = {
  enabled: [],
  probability: 0.5,
  snrDb: [15, 35],
  gainDb: [-6, 6],
  shiftS: 0.25,
  stretchRate: [0.85, 1.15],
  pitchSemitones: [-2, 2],
  specAugment: { freqMasks: 2, freqWidth: 6, timeMasks: 2, timeWidth: 20 },
};

export function parseAugmentList(text: string): AugmentationName[] {
  if (text === "none" || text === "") return [];
  const names = text.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const n of names) {
    if (!(AUGMENTATIONS as readonly string[]).includes(n)) {
      throw new ConfigError(`unknown augmentation '${n}'; choose from ${AUGMENTATIONS.join(", ")} or none.`);
    }
  }
  return [...new Set(names)] as AugmentationName[];
}

const uniform = (rng: Rng, [a, b]: [number, number]) => a + (b - a) * rng.next();

/**
 * Waveform augmentations for one training clip (at the front end's rate); returns the
 * augmented copy and the crop offset to use. Seeded through `rng`; never touches test data
 * because only the training batch generator calls it.
 */
export function augmentWaveform(
  wave: Float32Array,
  sampleRateHz: number,
  clipSamples: number,
  cfg: AugmentConfig,
  rng: Rng,
): { wave: Float32Array; offset: number } {
  const on = (n: AugmentationName) => cfg.enabled.includes(n) && rng.next() < cfg.probability;
  let w = wave;
  if (on("stretch")) w = timeStretch(w, uniform(rng, cfg.stretchRate));
  if (on("pitch")) w = pitchShift(w, uniform(rng, cfg.pitchSemitones));
  if (w === wave) w = wave.slice();
  if (on("gain")) applyGain(w, uniform(rng, cfg.gainDb));
  if (on("noise")) addNoise(w, uniform(rng, cfg.snrDb), rng);
  let offset = 0;
  if (cfg.enabled.includes("shift")) {
    const max = Math.round(cfg.shiftS * sampleRateHz);
    const slack = Math.max(0, w.length - clipSamples);
    // Longer clips: a random crop; shorter ones: shifted later by up to max samples.
    if (slack > 0) offset = rng.int(Math.min(slack, max) + 1);
    else if (rng.next() < cfg.probability) w = timeShift(w, rng.int(max + 1));
  }
  return { wave: w, offset };
}
