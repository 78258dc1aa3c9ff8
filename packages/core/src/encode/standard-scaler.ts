import { SerError } from "../errors.ts";
import { assertTrainSet, type TrainSet } from "../data/splits.ts";

/** Fitted per-dimension statistics; serialisable into a model bundle. */
export interface StandardScalerState {
  dims: number;
  mean: number[];
  /** Population standard deviation (ddof = 0); 1 where a dimension is constant, like sklearn. */
  scale: number[];
}

/** Anything holding a feature matrix: `dims` values per row, any number of rows. */
export interface HasFeatures {
  features: Float32Array;
}

/**
 * sklearn.preprocessing.StandardScaler over feature dimensions: each item's features are rows
 * of `dims` values (frames of a sequence, or one pooled vector), and statistics are taken over
 * every row of every training item. Accepts only the training side of a split. `featuresOf`
 * gives the values to fit on for an item (default its features; the experiment passes them
 * speaker-normalised).
 */
export function fitStandardScaler<T extends HasFeatures>(train: TrainSet<T>, dims: number, featuresOf: (item: T, index: number) => Float32Array = (it) => it.features): StandardScalerState {
  assertTrainSet(train, "StandardScaler.fit");
  const sum = new Float64Array(dims);
  const sumSq = new Float64Array(dims);
  let rows = 0;
  // Two-pass (mean, then squared deviations) keeps precision for large offsets like MFCC c0.
  for (const [n, item] of train.items.entries()) {
    const f = featuresOf(item, n);
    if (f.length % dims !== 0) throw new SerError("invalid-input", `feature array of ${f.length} values is not a multiple of ${dims} dimensions.`);
    for (let i = 0; i < f.length; i += dims) for (let d = 0; d < dims; d++) sum[d] = sum[d]! + f[i + d]!;
    rows += f.length / dims;
  }
  if (rows === 0) throw new SerError("invalid-input", "StandardScaler.fit got no feature rows.");
  const mean = Array.from(sum, (s) => s / rows);
  for (const [n, item] of train.items.entries()) {
    const f = featuresOf(item, n);
    for (let i = 0; i < f.length; i += dims) {
      for (let d = 0; d < dims; d++) {
        const v = f[i + d]! - mean[d]!;
        sumSq[d] = sumSq[d]! + v * v;
      }
    }
  }
  const scale = Array.from(sumSq, (s) => {
    const sd = Math.sqrt(s / rows);
    return sd < 1e-12 ? 1 : sd;
  });
  return { dims, mean, scale };
}

/** In place: (x - mean) / scale per dimension. */
export function applyStandardScaler(state: StandardScalerState, features: Float32Array): void {
  const { dims, mean, scale } = state;
  if (features.length % dims !== 0) {
    throw new SerError("invalid-input", `feature array of ${features.length} values does not match the scaler's ${dims} dimensions.`);
  }
  for (let i = 0; i < features.length; i += dims) {
    for (let d = 0; d < dims; d++) features[i + d] = (features[i + d]! - mean[d]!) / scale[d]!;
  }
}
