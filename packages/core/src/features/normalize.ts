import { ConfigError } from "../errors.ts";
import type { Frontend } from "./frontend.ts";

/**
 * Feature normalisation before the global scaler, to take speaker and channel offsets out:
 *  - "utterance": each clip's features standardised by its own per-dimension mean and std over
 *    frames (cepstral mean and variance normalisation); needs sequences, not pooled stats.
 *  - "speaker": standardised by the mean and std over all clips of the same speaker. Uses only
 *    that speaker's unlabelled audio, so no label crosses the split, but it needs several clips
 *    of a speaker at test time: reports say so.
 */
export type Normalization = "none" | "utterance" | "speaker";

export interface NormStats {
  mean: Float64Array;
  scale: Float64Array;
}

export interface Normalizable {
  speaker: string;
  features: Float32Array;
}

/** Per-dimension mean and (population) variance over the rows of `dims` values of `arrays`. */
export function rowMoments(arrays: readonly Float32Array[], dims: number): { mean: Float64Array; variance: Float64Array; rows: number } {
  const mean = new Float64Array(dims);
  const variance = new Float64Array(dims);
  let rows = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i += dims) for (let d = 0; d < dims; d++) mean[d] = mean[d]! + a[i + d]!;
    rows += a.length / dims;
  }
  for (let d = 0; d < dims; d++) mean[d] = mean[d]! / Math.max(rows, 1);
  for (const a of arrays) {
    for (let i = 0; i < a.length; i += dims) for (let d = 0; d < dims; d++) variance[d] = variance[d]! + (a[i + d]! - mean[d]!) ** 2;
  }
  for (let d = 0; d < dims; d++) variance[d] = variance[d]! / Math.max(rows, 1);
  return { mean, variance, rows };
}

/** The moments of two sets of rows together, from each set's (Chan et al.'s pairwise update). */
export function combineMoments(a: { mean: Float64Array; variance: Float64Array; rows: number }, b: { mean: Float64Array; variance: Float64Array; rows: number }): { mean: Float64Array; variance: Float64Array; rows: number } {
  const rows = a.rows + b.rows;
  if (a.rows === 0) return b;
  if (b.rows === 0) return a;
  const mean = new Float64Array(a.mean.length);
  const variance = new Float64Array(a.mean.length);
  for (let d = 0; d < mean.length; d++) {
    const delta = b.mean[d]! - a.mean[d]!;
    mean[d] = a.mean[d]! + (delta * b.rows) / rows;
    variance[d] = (a.variance[d]! * a.rows + b.variance[d]! * b.rows + (delta * delta * a.rows * b.rows) / rows) / rows;
  }
  return { mean, variance, rows };
}

/** Per-dimension mean and std over rows of `dims` values of one or more arrays (a constant dimension gets scale 1). */
export function rowStats(arrays: readonly Float32Array[], dims: number): NormStats {
  const { mean, variance } = rowMoments(arrays, dims);
  const scale = variance.map((v) => {
    const sd = Math.sqrt(v);
    return sd < 1e-8 ? 1 : sd;
  });
  return { mean, scale };
}

export function applyNorm(features: Float32Array, dims: number, s: NormStats): void {
  for (let i = 0; i < features.length; i += dims) {
    for (let d = 0; d < dims; d++) features[i + d] = (features[i + d]! - s.mean[d]!) / s.scale[d]!;
  }
}

/**
 * Per-utterance normalisation of every item's features, in place: a property of each clip, so
 * it is done once at ingestion. Per-speaker statistics are not: they depend on which of a
 * speaker's clips are at hand, so the experiment and the predictor apply them
 * (features/speaker-norm.ts, experiment/speaker-protocols.ts) and items keep raw features.
 */
export function normalizeCorpus<T extends Normalizable>(items: T[], frontend: Frontend): void {
  if (frontend.config.normalization !== "utterance") return;
  if (frontend.shape.length !== 2) throw new ConfigError("utterance normalisation needs feature sequences (mfcc or logmel), not pooled stats.");
  for (const it of items) applyNorm(it.features, frontend.dims, rowStats([it.features], frontend.dims));
}
