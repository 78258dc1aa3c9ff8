/**
 * The page's Train form as sent to the trainer worker, and its translation into core's spec
 * input: the only policy here is which form field is which spec field (defaults and rules are
 * core's resolveTrainingSpec / resolveSplitSpec). Pure, so a test can compare it with the CLI.
 */
import type { FrontendKind, ModelName, Normalization, SplitSpecInput, TrainingSpecInput, Weighting } from "@ser/core";

export interface TrainForm {
  model: ModelName;
  epochs?: number;
  seed?: number;
  testSize?: number;
  /** Cross-corpus: test on this dataset, train on the others (instead of held-out speakers). */
  testDataset?: string;
  /** Front end other than the model's default. */
  features?: FrontendKind;
  batchSize?: number;
  learningRate?: number;
  /** Comma-separated augmentation list, as the CLI's --augment. */
  augment?: string;
  nMfcc?: number;
  normalize?: Normalization;
  /** How much each training clip counts (several corpora: each weighed evenly by default). */
  weighting?: Weighting;
  /** Pitch and level statistics in the pooled stats (ignored by other front ends). */
  prosody?: boolean;
  dropout?: number;
}

export function trainFormToSpecInput(f: TrainForm): TrainingSpecInput {
  const kind = f.features;
  const input: TrainingSpecInput = {
    model: f.model,
    features: kind,
    epochs: f.epochs,
    seed: f.seed,
    batchSize: f.batchSize,
    learningRate: f.learningRate,
    augment: f.augment,
    nMfcc: f.nMfcc,
    normalize: f.normalize,
    weighting: f.weighting,
    // The checkbox can only turn prosody off; on means "the front end's default" (on for stats,
    // meaningless for sequences), so a checked box never conflicts with a sequence model.
    prosody: f.prosody === false ? false : undefined,
    dropout: f.dropout,
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== "")) as TrainingSpecInput;
}

export function trainFormToSplitInput(f: TrainForm): SplitSpecInput {
  return f.testDataset ? { kind: "dataset", testDataset: f.testDataset, seed: f.seed } : { kind: "speaker", testSize: f.testSize, seed: f.seed };
}
