import * as tf from "@tensorflow/tfjs";
import { applyStandardScaler } from "../encode/standard-scaler.ts";
import type { BundleMeta } from "../bundle/bundle.ts";
import { createFrontend } from "./frontend.ts";
import { applyNorm, rowStats } from "./normalize.ts";
import { applyTemperature, rowEntropy } from "../metrics/calibration.ts";
import { mcDropoutPredict, type McDropoutResult } from "./mc-dropout.ts";

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
  /** Calibrated with the bundle's temperature when it has one (see `calibrated`). */
  probabilities: Record<string, number>;
  /** Probability of `label`. */
  confidence: number;
  /** Entropy of `probabilities`, nats (0 = certain, log k = uniform). */
  entropy: number;
  calibrated: boolean;
  /** Set when the confidence is below `abstainBelow`: the label is the best guess, not an answer. */
  abstained?: boolean;
  /** With Monte-Carlo dropout: model uncertainty (mutual information, nats) over `passes` samples. */
  mcDropout?: { passes: number; mutualInformation: number; predictiveEntropy: number };
}

export interface PredictOptions {
  /** Monte-Carlo dropout passes (0 or undefined: one deterministic pass). */
  mcPasses?: number;
  seed?: number;
  /** Abstain when the (calibrated) confidence is below this. */
  abstainBelow?: number;
}

/**
 * Predicts clips with a loaded bundle, processing them exactly as in training: the bundle's
 * front end, normalisation and scaler. With per-speaker normalisation the clips given together
 * are taken as one speaker's.
 */
export async function predictClips(model: tf.LayersModel, meta: BundleMeta, clips: readonly Clip[], options: PredictOptions = {}): Promise<ClipPrediction[]> {
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
  const k = meta.labels.length;
  const temperature = meta.calibration?.temperature ?? 1;
  const n = xs.length;
  const batch = new Float32Array(n * frontend.size);
  xs.forEach((x, i) => {
    applyStandardScaler(meta.scaler, x);
    batch.set(x, i * frontend.size);
  });
  if (n === 0) return [];
  const input = tf.tensor(batch, [n, ...frontend.shape]);
  let probs: Float32Array;
  let mc: McDropoutResult | undefined;
  try {
    if (options.mcPasses && options.mcPasses > 1) {
      mc = await mcDropoutPredict(model, input, { passes: options.mcPasses, seed: options.seed ?? 0, temperature });
      probs = mc.mean;
    } else {
      const t = model.predict(input) as tf.Tensor;
      probs = (await t.data()) as Float32Array;
      t.dispose();
      if (temperature !== 1) probs = applyTemperature(probs, k, temperature);
    }
  } finally {
    input.dispose();
  }
  const entropy = rowEntropy(probs, k);
  return xs.map((_, i) => {
    const row = probs.subarray(i * k, (i + 1) * k);
    let best = 0;
    row.forEach((v, c) => {
      if (v > row[best]!) best = c;
    });
    const confidence = row[best]!;
    return {
      name: clips[i]!.name,
      label: meta.labels[best]!,
      probabilities: Object.fromEntries(meta.labels.map((l, c) => [l, row[c]!])),
      confidence,
      entropy: entropy[i]!,
      calibrated: meta.calibration !== undefined,
      ...(options.abstainBelow !== undefined && confidence < options.abstainBelow ? { abstained: true } : {}),
      ...(mc ? { mcDropout: { passes: options.mcPasses!, mutualInformation: mc.mutualInformation[i]!, predictiveEntropy: mc.predictiveEntropy[i]! } } : {}),
    };
  });
}
