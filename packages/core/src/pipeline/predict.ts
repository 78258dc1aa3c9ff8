import * as tf from "@tensorflow/tfjs";
import { applyStandardScaler } from "../encode/standard-scaler.ts";
import type { BundleMeta } from "../bundle/bundle.ts";
import { createFrontend } from "./frontend.ts";
import { applyNorm, rowStats } from "./normalize.ts";

/** Fewer clips than this of one speaker: normalise with the training speakers' average statistics. */
export const MIN_SPEAKER_CLIPS = 3;

export interface Clip {
  name: string;
  samples: Float32Array;
  sampleRateHz: number;
}

export interface ClipPrediction {
  name: string;
  label: string;
  probabilities: Record<string, number>;
}

/**
 * Predicts clips with a loaded bundle, processing them exactly as in training: the bundle's
 * front end, normalisation and scaler. With per-speaker normalisation the clips given together
 * are taken as one speaker's.
 */
export async function predictClips(model: tf.LayersModel, meta: BundleMeta, clips: readonly Clip[]): Promise<ClipPrediction[]> {
  const frontend = createFrontend(meta.frontend);
  const xs = clips.map((c) => {
    const x = new Float32Array(frontend.size);
    frontend.extract(frontend.prepare(c.samples, c.sampleRateHz), x);
    if (meta.frontend.normalization === "utterance") applyNorm(x, frontend.dims, rowStats([x], frontend.dims));
    return x;
  });
  if (meta.frontend.normalization === "speaker" && xs.length > 0) {
    // A speaker's own statistics need a few clips; below that, the training speakers' average.
    const fallback = meta.normalizationFallback;
    const stats = xs.length < MIN_SPEAKER_CLIPS && fallback
      ? { mean: Float64Array.from(fallback.mean), scale: Float64Array.from(fallback.scale) }
      : rowStats(xs, frontend.dims);
    for (const x of xs) applyNorm(x, frontend.dims, stats);
  }
  const out: ClipPrediction[] = [];
  for (const [i, x] of xs.entries()) {
    applyStandardScaler(meta.scaler, x);
    const t = tf.tidy(() => model.predict(tf.tensor(x, [1, ...frontend.shape])) as tf.Tensor);
    const probs = await t.data();
    t.dispose();
    let best = 0;
    probs.forEach((v, k) => {
      if (v > probs[best]!) best = k;
    });
    out.push({
      name: clips[i]!.name,
      label: meta.labels[best]!,
      probabilities: Object.fromEntries(meta.labels.map((l, k) => [l, probs[k]!])),
    });
  }
  return out;
}
