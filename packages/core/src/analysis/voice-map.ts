/**
 * The map of the voices: every recording as a point in the first two principal components of the
 * features a model of the default recipe takes (with per-speaker normalisation, each speaker's
 * clips normalised with the statistics of all that speaker's clips; then every feature
 * standardised), so
 * a person sees at a glance whether emotions separate and whether speakers or corpora cluster
 * instead. tfjs-free: the page computes it in a worker.
 */
import { applyNorm, rowStats } from "../features/normalize.ts";
import { pca } from "./pca.ts";

export interface VoiceMap {
  /** [n × 2] coordinates, row i for item i. */
  points: Float32Array;
  /** Share of the variance each axis explains. */
  explained: number[];
}

export function voiceMap(items: readonly { speaker: string; features: Float32Array }[], dims: number, normalization: "none" | "utterance" | "speaker", seed = 0): VoiceMap {
  const n = items.length;
  if (n < 3) throw new RangeError(`a map needs at least 3 recordings, got ${n}.`);
  const x = new Float32Array(n * dims);
  const bySpeaker = new Map<string, number[]>();
  items.forEach((it, i) => {
    const idx = bySpeaker.get(it.speaker);
    if (idx) idx.push(i);
    else bySpeaker.set(it.speaker, [i]);
  });
  for (const idx of bySpeaker.values()) {
    const stats = normalization === "speaker" ? rowStats(idx.map((i) => items[i]!.features), dims) : undefined;
    for (const i of idx) {
      const row = x.subarray(i * dims, (i + 1) * dims);
      row.set(items[i]!.features);
      if (stats) applyNorm(row, dims, stats);
    }
  }
  // Standardise each feature (as the model's scaler does), so no one feature's scale sets the axes.
  for (let j = 0; j < dims; j++) {
    let mean = 0, sq = 0;
    for (let i = 0; i < n; i++) mean += x[i * dims + j]! / n;
    for (let i = 0; i < n; i++) sq += (x[i * dims + j]! - mean) ** 2 / n;
    const scale = Math.sqrt(sq) || 1;
    for (let i = 0; i < n; i++) x[i * dims + j] = (x[i * dims + j]! - mean) / scale;
  }
  // A picture, not a fit: 8 extra directions and 6 power steps give the exact axes where the
  // spectrum has a gap (pca.test.ts: |cos| > 0.9999), in about 1 s for 5,000 × 512 on 2 cores
  // (bench/voice-map.ts).
  const p = pca(x, n, dims, 2, { seed, iterations: 6, oversample: 8 });
  return { points: p.points, explained: p.explained };
}
