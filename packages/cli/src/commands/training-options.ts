import {
  type AugmentConfig,
  DEFAULT_AUGMENT,
  DEFAULT_FRONTEND,
  type DatasetChoice,
  type FrontendConfig,
  type FrontendKind,
  type LabelPolicy,
  parseAugmentList,
} from "@ser/core";
import { MODEL_FEATURES, MODEL_NAMES, type ModelName, TRAIN_DEFAULTS, trainingDefaults } from "@ser/core/ml.ts";

export { TRAIN_DEFAULTS };
import { choiceFlag, type FlagSpecs, intFlag, numberFlag, type Parsed, stringFlag } from "../args.ts";
import { readFileSync } from "node:fs";
import { UsageError } from "../errors.ts";
import { BACKEND_FLAG } from "./backend-flag.ts";
import { CORPUS_FLAGS, corpusOptions, WORKER_FLAGS, workerCount } from "./corpus-flags.ts";

/** Flags shared by every command that trains (train, cv). */
export const TRAINING_FLAGS: FlagSpecs = {
  model: { type: "string", value: "NAME", description: `${MODEL_NAMES.join(", ")} (default ${TRAIN_DEFAULTS.model})` },
  features: { type: "string", value: "NAME", description: "mfcc, logmel or stats (default: what the model takes)" },
  epochs: { type: "string", value: "N", description: `maximum epochs (default ${TRAIN_DEFAULTS.epochs} for mlp, ${trainingDefaults("cnn1d").epochs} for the others)` },
  "batch-size": { type: "string", value: "N", description: `batch size (default ${TRAIN_DEFAULTS.batchSize})` },
  lr: { type: "string", value: "X", description: `Adam learning rate (default ${TRAIN_DEFAULTS.lr})` },
  schedule: { type: "string", value: "NAME", description: "cosine, plateau or constant (default cosine)" },
  patience: { type: "string", value: "N", description: `early stopping after N epochs without validation gain, 0 = off (default ${TRAIN_DEFAULTS.patience} for mlp, ${trainingDefaults("cnn1d").patience} for the others)` },
  "class-weights": { type: "boolean", description: "weight classes by inverse frequency" },
  "validation-size": { type: "string", value: "F", description: `fraction of training speakers for early stopping and calibration, 0 = none (default ${TRAIN_DEFAULTS.validationSize})` },
  refit: { type: "string", value: "on|off", description: "after validation, retrain on all training speakers (default on for mlp, off for the others)" },
  augment: { type: "string", value: "LIST", description: `noise, gain, shift, stretch, pitch, specaugment or none (default ${TRAIN_DEFAULTS.augment} for mlp, ${trainingDefaults("cnn1d").augment} for the others)` },
  normalize: { type: "string", value: "MODE", description: `none, utterance or speaker feature normalisation (default ${TRAIN_DEFAULTS.normalize})` },
  duration: { type: "string", value: "S", description: `clip length in seconds (default ${DEFAULT_FRONTEND.durationS})` },
  sr: { type: "string", value: "HZ", description: `front-end sample rate (default ${DEFAULT_FRONTEND.sampleRateHz})` },
  seed: { type: "string", value: "N", description: `seed for splits, initialisation, shuffling, augmentation (default ${TRAIN_DEFAULTS.seed})` },
  dropout: { type: "string", value: "F", description: "dropout before the classifier (default 0.3)" },
  l2: { type: "string", value: "X", description: `L2 penalty on the weights (weight decay), 0 = none (default ${TRAIN_DEFAULTS.l2} for mlp, ${trainingDefaults("cnn1d").l2} for the others)` },
  "n-mfcc": { type: "string", value: "N", description: `MFCC coefficients (default ${DEFAULT_FRONTEND.nMfcc})` },
  prosody: { type: "string", value: "on|off", description: "pitch and level statistics in the stats features (default on)" },
  config: { type: "string", value: "FILE", description: "defaults from a JSON file of flag values (what 'ser tune' writes); flags given override it" },
  ...BACKEND_FLAG,
  ...CORPUS_FLAGS,
  ...WORKER_FLAGS,
};

export interface TrainingOptions {
  model: ModelName;
  frontend: FrontendConfig;
  augment: AugmentConfig;
  fit: { epochs: number; batchSize: number; learningRate: number; schedule: "cosine" | "plateau" | "constant"; patience: number; classWeights: boolean; l2: number; seed: number };
  validationSize: number;
  refit: boolean;
  dropout: number;
  seed: number;
  corpus: { dataset: DatasetChoice; labels: LabelPolicy; workers: number };
}

/**
 * --config FILE: a JSON object {"flags": {"lr": "0.001", "model": "mlp", …}} whose entries act as
 * flags not given on the command line. Unknown names are errors, so a typo never goes unnoticed.
 */
function applyConfigFile(p: Parsed): void {
  const file = stringFlag(p, "config");
  if (!file) return;
  let flags: Record<string, unknown>;
  try {
    flags = (JSON.parse(readFileSync(file, "utf8")) as { flags?: Record<string, unknown> }).flags ?? {};
  } catch (e) {
    throw new UsageError(`--config '${file}' could not be read as JSON: ${(e as Error).message}`);
  }
  for (const [name, value] of Object.entries(flags)) {
    const spec = TRAINING_FLAGS[name];
    if (!spec || name === "config") throw new UsageError(`--config '${file}' sets '${name}', which is not a training flag.`);
    if (p.values[name] !== undefined) continue;
    p.values[name] = spec.type === "boolean" ? Boolean(value) : String(value);
  }
}

export function parseTrainingOptions(p: Parsed): TrainingOptions {
  applyConfigFile(p);
  const model = choiceFlag<ModelName>(p, "model", MODEL_NAMES, TRAIN_DEFAULTS.model);
  const kind = choiceFlag<FrontendKind>(p, "features", ["mfcc", "logmel", "stats"], MODEL_FEATURES[model]);
  if ((model === "mlp") !== (kind === "stats")) {
    throw new UsageError(`--model ${model} cannot take --features ${kind}: mlp takes stats; the others take mfcc or logmel.`);
  }
  const defaults = trainingDefaults(model);
  const seed = intFlag(p, "seed", TRAIN_DEFAULTS.seed, 0);
  const frontend: FrontendConfig = {
    ...DEFAULT_FRONTEND,
    kind,
    durationS: numberFlag(p, "duration", 0.2, 30) ?? DEFAULT_FRONTEND.durationS,
    sampleRateHz: intFlag(p, "sr", DEFAULT_FRONTEND.sampleRateHz, 4000, 96000),
    normalization: choiceFlag(p, "normalize", ["none", "utterance", "speaker"] as const, TRAIN_DEFAULTS.normalize),
    nMfcc: intFlag(p, "n-mfcc", DEFAULT_FRONTEND.nMfcc, 1, DEFAULT_FRONTEND.nMels),
    prosody: choiceFlag(p, "prosody", ["on", "off"] as const, kind === "stats" ? "on" : "off") === "on",
  };
  if (frontend.prosody && kind !== "stats") {
    throw new UsageError(`--prosody on adds pitch and level statistics to the stats features; --features ${kind} has none.`);
  }
  if (frontend.normalization === "utterance" && kind === "stats") {
    throw new UsageError("--normalize utterance needs feature sequences; --model mlp uses pooled stats (use speaker or none).");
  }
  let augment: AugmentConfig;
  try {
    augment = { ...DEFAULT_AUGMENT, enabled: parseAugmentList(stringFlag(p, "augment") ?? defaults.augment) };
  } catch (e) {
    throw new UsageError(`--augment: ${(e as Error).message}`);
  }
  return {
    model,
    frontend,
    augment,
    fit: {
      epochs: intFlag(p, "epochs", defaults.epochs, 1, 10000),
      batchSize: intFlag(p, "batch-size", TRAIN_DEFAULTS.batchSize, 1, 4096),
      learningRate: numberFlag(p, "lr", 1e-6, 1) ?? TRAIN_DEFAULTS.lr,
      schedule: choiceFlag(p, "schedule", ["cosine", "plateau", "constant"] as const, "cosine"),
      patience: intFlag(p, "patience", defaults.patience, 0),
      classWeights: Boolean(p.values["class-weights"]),
      l2: numberFlag(p, "l2", 0, 10) ?? defaults.l2,
      seed,
    },
    validationSize: numberFlag(p, "validation-size", 0, 0.9) ?? TRAIN_DEFAULTS.validationSize,
    refit: choiceFlag(p, "refit", ["on", "off"] as const, defaults.refit ? "on" : "off") === "on",
    dropout: numberFlag(p, "dropout", 0, 0.9) ?? 0.3,
    seed,
    corpus: { ...corpusOptions(p), workers: workerCount(p) },
  };
}
