import * as tf from "@tensorflow/tfjs";

/**
 * Dropout whose masks come from a seeded stream: call k uses seed + k, so two runs with the
 * same seed drop the same units, while every batch still gets a fresh mask. (tfjs's own
 * dropout either draws from an unseeded generator, or, given a seed, repeats one mask forever.)
 * Registered for serialisation so bundles that contain it load anywhere core is imported.
 */
export class SeededDropout extends tf.layers.Layer {
  static className = "SeededDropout";
  readonly rate: number;
  readonly seed: number;
  /** Training calls so far: the next mask uses seed + calls. Saved in checkpoints so a resumed run draws the same masks. */
  calls = 0;

  constructor(config: { rate: number; seed: number; name?: string }) {
    super(config);
    this.rate = config.rate;
    this.seed = config.seed;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (!kwargs.training || this.rate <= 0) return x;
    const keep = 1 - this.rate;
    const seed = this.seed + this.calls++;
    return tf.tidy(() => {
      const mask = tf.cast(tf.less(tf.randomUniform(x.shape, 0, 1, "float32", seed), keep), "float32");
      return tf.div(tf.mul(x, mask), keep);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

tf.serialization.registerClass(SeededDropout);

export function seededDropout(rate: number, seed: number): SeededDropout {
  return new SeededDropout({ rate, seed });
}
