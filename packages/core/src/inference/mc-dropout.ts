import * as tf from "@tensorflow/tfjs";
import { SerError } from "../errors.ts";
import { applyTemperature, rowEntropy } from "../metrics/calibration.ts";
import { SeededDropout } from "../models/seeded-dropout.ts";

export interface McDropoutResult {
  /** Mean over passes of the (temperature-scaled) probabilities, [n × k]. */
  mean: Float32Array;
  /** Entropy of the mean (total uncertainty), per item, nats. */
  predictiveEntropy: Float64Array;
  /** Predictive entropy minus the mean entropy of single passes (model uncertainty, BALD), per item, nats. */
  mutualInformation: Float64Array;
}

/**
 * Monte-Carlo dropout (Gal & Ghahramani, "Dropout as a Bayesian Approximation", ICML 2016)
 * over the classifier's dropout: every model here ends in SeededDropout -> Dense(softmax), so
 * the network below the dropout runs once (in inference mode: batch normalisation keeps its
 * moving statistics) and only the last layer is sampled `passes` times with seeded masks.
 */
export async function mcDropoutPredict(
  model: tf.LayersModel,
  x: tf.Tensor,
  options: { passes: number; seed: number; temperature?: number },
): Promise<McDropoutResult> {
  const layers = model.layers;
  const dropout = layers.at(-2);
  const dense = layers.at(-1);
  if (!(dropout instanceof SeededDropout) || !dense) {
    throw new SerError("invalid-config", `Monte-Carlo dropout needs a model ending in dropout and a dense softmax layer; '${model.name}' does not.`);
  }
  if (!(options.passes >= 2)) throw new SerError("invalid-config", `Monte-Carlo dropout needs at least 2 passes, got ${options.passes}.`);
  if (!(dropout.rate > 0)) throw new SerError("invalid-config", "Monte-Carlo dropout needs a model trained with dropout; this one has rate 0.");
  const rate = dropout.rate;
  // Shares the model's layers and weights: never dispose it.
  const trunk = tf.model({ inputs: model.inputs, outputs: dropout.input as tf.SymbolicTensor });
  const h = trunk.predict(x) as tf.Tensor;
  const n = x.shape[0]!;
  const k = model.outputs[0]!.shape[1] as number;
  const sum = new Float64Array(n * k);
  const meanEntropy = new Float64Array(n);
  try {
    for (let p = 0; p < options.passes; p++) {
      const probs = tf.tidy(() => {
        const keep = 1 - rate;
        const mask = tf.cast(tf.less(tf.randomUniform(h.shape, 0, 1, "float32", options.seed + p), keep), "float32");
        return dense.apply(tf.div(tf.mul(h, mask), keep)) as tf.Tensor;
      });
      let values: Float32Array = (await probs.data()) as Float32Array;
      probs.dispose();
      if (options.temperature !== undefined && options.temperature !== 1) values = applyTemperature(values, k, options.temperature);
      for (let i = 0; i < values.length; i++) sum[i] = sum[i]! + values[i]!;
      rowEntropy(values, k).forEach((e, i) => (meanEntropy[i] = meanEntropy[i]! + e / options.passes));
    }
  } finally {
    h.dispose();
  }
  const mean = Float32Array.from(sum, (s) => s / options.passes);
  const predictiveEntropy = rowEntropy(mean, k);
  const mutualInformation = predictiveEntropy.map((e, i) => Math.max(0, e - meanEntropy[i]!));
  return { mean, predictiveEntropy, mutualInformation };
}
