import { SerError } from "../errors.ts";
import { assertTrainSet, type TrainSet } from "../data/splits.ts";
import { type Emotion, orderLabels } from "../data/labels.ts";

/** Maps emotion names to class indices, in the project's order (orderLabels: the eight first, then others). */
export interface LabelEncoder {
  readonly classes: readonly Emotion[];
  encode(label: Emotion, source?: string): number;
  decode(index: number): Emotion;
}

export function labelEncoderFromClasses(classes: readonly Emotion[]): LabelEncoder {
  const index = new Map(classes.map((c, i) => [c, i]));
  return {
    classes,
    encode(label, source) {
      const i = index.get(label);
      if (i === undefined) {
        throw new SerError("invalid-input", `label '${label}' is not one of the model's classes (${classes.join(", ")})`, source);
      }
      return i;
    },
    decode(i) {
      const c = classes[i];
      if (c === undefined) throw new SerError("invalid-input", `class index ${i} is outside 0..${classes.length - 1}.`);
      return c;
    },
  };
}

/** The classes seen in training, in orderLabels' order (like sklearn's LabelEncoder, with the eight's fixed order first). */
export function fitLabelEncoder<T extends { emotion: Emotion }>(train: TrainSet<T>): LabelEncoder {
  assertTrainSet(train, "LabelEncoder.fit");
  const present = new Set(train.items.map((i) => i.emotion));
  if (present.size < 2) throw new SerError("invalid-input", `training needs at least 2 emotions, found ${[...present].join(", ") || "none"}.`);
  return labelEncoderFromClasses(orderLabels(present));
}

/** One-hot rows [n × nClasses] for class indices. */
export function oneHot(indices: ArrayLike<number>, nClasses: number): Float32Array {
  const out = new Float32Array(indices.length * nClasses);
  for (let i = 0; i < indices.length; i++) {
    const c = indices[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= nClasses) throw new SerError("invalid-input", `class index ${c} is outside 0..${nClasses - 1}.`);
    out[i * nClasses + c] = 1;
  }
  return out;
}
