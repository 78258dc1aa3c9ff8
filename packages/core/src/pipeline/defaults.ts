import type { FrontendKind } from "./frontend.ts";
import type { ModelName } from "../models/models.ts";

/**
 * What `ser train DATA --out DIR` and the page's Train button use unless told otherwise: the mlp
 * on pooled statistics with per-speaker normalisation scored best among the configurations in the
 * README's accuracy table, and trains in minutes even on WebGPU's software driver.
 */
export const TRAIN_DEFAULTS = {
  model: "mlp" as ModelName,
  epochs: 40,
  batchSize: 32,
  lr: 1e-3,
  testSize: 0.25,
  validationSize: 0.2,
  patience: 10,
  seed: 42,
  augment: "noise,gain,shift,specaugment",
  normalize: "speaker" as "none" | "utterance" | "speaker",
};

/** The front end each model takes by default. */
export const MODEL_FEATURES: Record<ModelName, FrontendKind> = {
  mlp: "stats",
  cnn1d: "mfcc",
  crnn: "mfcc",
  cnn2d: "logmel",
  transformer: "mfcc",
};
