import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.ts";
import { seededDropout } from "./seeded-dropout.ts";

import { MODEL_NAMES, type ModelName } from "./model-names.ts";
export { MODEL_NAMES, type ModelName };

export interface ModelSpec {
  /** Input shape without the batch axis: [dims] for mlp, [frames, dims] for the others. */
  inputShape: number[];
  nClasses: number;
  /** Dropout rate before the classifier (default 0.3). */
  dropout?: number;
  /** Seeds every initializer, so the same seed gives the same initial weights. */
  seed: number;
}

/**
 * Model factories: each returns an uncompiled tf.LayersModel ending in a softmax over the
 * classes. Parameter counts for 40 MFCC + deltas (80 dims) x 251 frames, 8 classes (mlp: 110
 * pooled statistics) are in the README and checked by models.test.ts.
 */
export function createModel(name: ModelName, spec: ModelSpec): tf.LayersModel {
  const factory = FACTORIES[name];
  if (!factory) throw new ConfigError(`unknown model '${name}'; choose from ${MODEL_NAMES.join(", ")}.`);
  const expected = name === "mlp" ? 1 : 2;
  if (spec.inputShape.length !== expected) {
    throw new ConfigError(`model '${name}' needs ${expected === 1 ? "a pooled feature vector (front end 'stats')" : "a feature sequence (front end 'mfcc' or 'logmel')"}, got input shape [${spec.inputShape.join(", ")}].`);
  }
  return factory(spec);
}

function seeds(seed: number) {
  let n = seed * 7919;
  const next = () => (n = (n * 48271 + 11) % 2147483647);
  return {
    kernel: () => tf.initializers.glorotUniform({ seed: next() }),
    he: () => tf.initializers.heNormal({ seed: next() }),
    next,
  };
}

const FACTORIES: Record<ModelName, (s: ModelSpec) => tf.LayersModel> = {
  /** Two hidden layers on pooled statistics: the classic notebook baseline. */
  mlp(s) {
    const k = seeds(s.seed);
    const input = tf.input({ shape: s.inputShape });
    let x = tf.layers.dense({ units: 256, activation: "relu", kernelInitializer: k.he() }).apply(input) as tf.SymbolicTensor;
    x = seededDropout(s.dropout ?? 0.3, k.next()).apply(x) as tf.SymbolicTensor;
    x = tf.layers.dense({ units: 128, activation: "relu", kernelInitializer: k.he() }).apply(x) as tf.SymbolicTensor;
    return classifier(input, x, s, k, "mlp");
  },

  /** Three Conv1D blocks over time with batch norm, global average pooling, softmax. */
  cnn1d(s) {
    const k = seeds(s.seed);
    const input = tf.input({ shape: s.inputShape });
    let x: tf.SymbolicTensor = input;
    for (const [filters, size, pool] of [[64, 5, 2], [128, 5, 2], [128, 3, 0]] as const) {
      x = tf.layers.conv1d({ filters, kernelSize: size, padding: "same", kernelInitializer: k.he(), useBias: false }).apply(x) as tf.SymbolicTensor;
      x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
      x = tf.layers.activation({ activation: "relu" }).apply(x) as tf.SymbolicTensor;
      if (pool) x = tf.layers.maxPooling1d({ poolSize: pool }).apply(x) as tf.SymbolicTensor;
    }
    x = tf.layers.globalAveragePooling1d().apply(x) as tf.SymbolicTensor;
    return classifier(input, x, s, k, "cnn1d");
  },

  /** Conv blocks (time downsampled 4x), a bidirectional GRU, attention pooling over time. */
  crnn(s) {
    const k = seeds(s.seed);
    const input = tf.input({ shape: s.inputShape });
    let x: tf.SymbolicTensor = input;
    for (const filters of [64, 96]) {
      x = tf.layers.conv1d({ filters, kernelSize: 5, padding: "same", kernelInitializer: k.he(), useBias: false }).apply(x) as tf.SymbolicTensor;
      x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
      x = tf.layers.activation({ activation: "relu" }).apply(x) as tf.SymbolicTensor;
      x = tf.layers.maxPooling1d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
    }
    x = tf.layers.bidirectional({
      layer: tf.layers.gru({ units: 48, returnSequences: true, kernelInitializer: k.kernel(), recurrentInitializer: tf.initializers.orthogonal({ seed: k.next() }) }) as tf.RNN,
      mergeMode: "concat",
    }).apply(x) as tf.SymbolicTensor;
    x = attentionPooling(x, k.kernel());
    return classifier(input, x, s, k, "crnn");
  },

  /** 2-D CNN on the (time × mel) image: four conv blocks, global average pooling. */
  cnn2d(s) {
    const k = seeds(s.seed);
    const [frames, dims] = s.inputShape as [number, number];
    const input = tf.input({ shape: s.inputShape });
    let x = tf.layers.reshape({ targetShape: [frames, dims, 1] }).apply(input) as tf.SymbolicTensor;
    for (const filters of [16, 32, 64, 64]) {
      x = tf.layers.conv2d({ filters, kernelSize: 3, padding: "same", kernelInitializer: k.he(), useBias: false }).apply(x) as tf.SymbolicTensor;
      x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
      x = tf.layers.activation({ activation: "relu" }).apply(x) as tf.SymbolicTensor;
      x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
    }
    x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
    return classifier(input, x, s, k, "cnn2d");
  },

  /**
   * A small transformer encoder: a strided Conv1D stem (which also gives positions), two blocks
   * of single-head self-attention + feed-forward with residuals and layer norm, mean pooling.
   * The 1/sqrt(d) attention scale is left to the learned query projection.
   */
  transformer(s) {
    const k = seeds(s.seed);
    const d = 64;
    const input = tf.input({ shape: s.inputShape });
    let x = tf.layers.conv1d({ filters: d, kernelSize: 5, strides: 2, padding: "same", activation: "relu", kernelInitializer: k.he() }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.maxPooling1d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
    for (let block = 0; block < 2; block++) {
      const q = tf.layers.dense({ units: d, kernelInitializer: k.kernel() }).apply(x) as tf.SymbolicTensor;
      const kk = tf.layers.dense({ units: d, kernelInitializer: k.kernel() }).apply(x) as tf.SymbolicTensor;
      const v = tf.layers.dense({ units: d, kernelInitializer: k.kernel() }).apply(x) as tf.SymbolicTensor;
      let att = tf.layers.dot({ axes: [2, 2] }).apply([q, kk]) as tf.SymbolicTensor;
      att = tf.layers.softmax({ axis: -1 }).apply(att) as tf.SymbolicTensor;
      const ctx = tf.layers.dot({ axes: [2, 1] }).apply([att, v]) as tf.SymbolicTensor;
      x = tf.layers.add().apply([x, ctx]) as tf.SymbolicTensor;
      x = tf.layers.layerNormalization().apply(x) as tf.SymbolicTensor;
      let ff = tf.layers.dense({ units: 2 * d, activation: "relu", kernelInitializer: k.he() }).apply(x) as tf.SymbolicTensor;
      ff = tf.layers.dense({ units: d, kernelInitializer: k.kernel() }).apply(ff) as tf.SymbolicTensor;
      x = tf.layers.add().apply([x, ff]) as tf.SymbolicTensor;
      x = tf.layers.layerNormalization().apply(x) as tf.SymbolicTensor;
    }
    x = tf.layers.globalAveragePooling1d().apply(x) as tf.SymbolicTensor;
    return classifier(input, x, s, k, "transformer");
  },
};

/** Dropout, then a softmax layer over the classes: the head every model shares. */
function classifier(input: tf.SymbolicTensor, x: tf.SymbolicTensor, s: ModelSpec, k: ReturnType<typeof seeds>, name: string): tf.LayersModel {
  const dropped = seededDropout(s.dropout ?? 0.3, k.next()).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: s.nClasses, activation: "softmax", kernelInitializer: k.kernel() }).apply(dropped) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name });
}

/** Attention pooling over time: weights = softmax_t(w · h_t), output = sum_t weights_t h_t. */
function attentionPooling(h: tf.SymbolicTensor, init: ReturnType<typeof tf.initializers.glorotUniform>): tf.SymbolicTensor {
  const steps = h.shape[1] as number;
  let score = tf.layers.dense({ units: 1, activation: "tanh", kernelInitializer: init }).apply(h) as tf.SymbolicTensor;
  score = tf.layers.flatten().apply(score) as tf.SymbolicTensor;
  score = tf.layers.softmax().apply(score) as tf.SymbolicTensor;
  score = tf.layers.reshape({ targetShape: [steps, 1] }).apply(score) as tf.SymbolicTensor;
  const pooled = tf.layers.dot({ axes: 1 }).apply([score, h]) as tf.SymbolicTensor;
  return tf.layers.flatten().apply(pooled) as tf.SymbolicTensor;
}
