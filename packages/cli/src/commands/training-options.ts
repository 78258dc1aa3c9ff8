/**
 * Training flags → core's TrainingSpecInput. The only policy here is which flag is which spec
 * field and how its text parses; every default and cross-field rule is resolveTrainingSpec's,
 * and its errors come back naming the flags.
 */
import { readFileSync } from "node:fs";
import {
  FEATURE_VIEWS,
  type Manifest,
  type DatasetChoice,
  DEFAULT_FRONTEND,
  frontendDifferences,
  featureSpecInput,
  needsWaveforms,
  FRONTEND_KINDS,
  type LabelPolicy,
  MODEL_NAMES,
  MODEL_TRAINING,
  NORMALIZATIONS,
  resolveTrainingSpec,
  SCHEDULES,
  SPEC_FIELDS,
  SpecError,
  type SpecField,
  TRAIN_DEFAULTS,
  type TrainingSpec,
  type TrainingSpecInput,
} from "@ser/core";
import type { FlagSpecs, Parsed } from "../args.ts";
import { stringFlag } from "../args.ts";
import { UsageError } from "../errors.ts";
import { BACKEND_FLAG } from "./backend-flag.ts";
import { cacheDir, CORPUS_FLAGS, corpusOptions, WORKER_FLAGS, workerCount } from "./corpus-flags.ts";
import { isShardFolder, openShardFeatures, type ShardFeatures } from "./features-dir-flag.ts";

type Parser = "int" | "number" | "onoff" | "boolean" | "string" | "level";

/** Each spec field's flag and how its text parses. */
export const SPEC_FLAGS: Record<SpecField, { flag: string; parse: Parser }> = {
  model: { flag: "model", parse: "string" },
  features: { flag: "features", parse: "string" },
  epochs: { flag: "epochs", parse: "int" },
  batchSize: { flag: "batch-size", parse: "int" },
  learningRate: { flag: "lr", parse: "number" },
  schedule: { flag: "schedule", parse: "string" },
  patience: { flag: "patience", parse: "int" },
  weighting: { flag: "weighting", parse: "string" },
  l2: { flag: "l2", parse: "number" },
  validationSize: { flag: "validation-size", parse: "number" },
  refit: { flag: "refit", parse: "onoff" },
  dropout: { flag: "dropout", parse: "number" },
  seed: { flag: "seed", parse: "int" },
  augment: { flag: "augment", parse: "string" },
  views: { flag: "views", parse: "string" },
  enrolment: { flag: "enrolment", parse: "string" },
  levelDb: { flag: "level-db", parse: "level" },
  normalize: { flag: "normalize", parse: "string" },
  nMfcc: { flag: "n-mfcc", parse: "int" },
  prosody: { flag: "prosody", parse: "onoff" },
  durationS: { flag: "duration", parse: "number" },
  sampleRateHz: { flag: "sr", parse: "int" },
};

const others = "cnn1d";
const per = <K extends keyof (typeof MODEL_TRAINING)["mlp"]>(k: K) => `${MODEL_TRAINING.mlp[k]} for mlp, ${MODEL_TRAINING[others][k]} for the others`;

/** Flags shared by every command that trains (train, cv). */
export const TRAINING_FLAGS: FlagSpecs = {
  model: { type: "string", value: "NAME", description: `${MODEL_NAMES.join(", ")} (default ${TRAIN_DEFAULTS.model})` },
  features: { type: "string", value: "NAME|DIR", description: `${FRONTEND_KINDS.join(", ")} (default: what the model takes), or a folder of feature shards ('ser features <corpus…> --out DIR') to train from instead of recordings` },
  epochs: { type: "string", value: "N", description: `maximum epochs (default ${per("epochs")})` },
  "batch-size": { type: "string", value: "N", description: `batch size (default ${TRAIN_DEFAULTS.batchSize})` },
  lr: { type: "string", value: "X", description: `Adam learning rate (default ${TRAIN_DEFAULTS.learningRate})` },
  schedule: { type: "string", value: "NAME", description: `${SCHEDULES.join(", ")} (default ${TRAIN_DEFAULTS.schedule})` },
  patience: { type: "string", value: "N", description: `early stopping after N epochs without validation gain, 0 = off (default ${per("patience")})` },
  weighting: { type: "string", value: "NAME", description: `how much each training clip counts: corpus (each corpus, and each class within it, weighs the same), class (each class over all clips) or clip (default ${TRAIN_DEFAULTS.weighting})` },
  "validation-size": { type: "string", value: "F", description: `fraction of training speakers for early stopping and calibration, 0 = none (default ${TRAIN_DEFAULTS.validationSize})` },
  refit: { type: "string", value: "on|off", description: "after validation, retrain on all training speakers (default on for mlp, off for the others)" },
  augment: { type: "string", value: "LIST", description: `noise, gain, shift, stretch, pitch, specaugment or none (default ${per("augment")})` },
  views: { type: "string", value: "LIST", description: `training views computed once per clip and drawn in its place: ${FEATURE_VIEWS.join(", ")} or none (default ${per("views")}; none when --augment re-hears clips)` },
  normalize: { type: "string", value: "MODE", description: `${NORMALIZATIONS.join(", ")} feature normalisation (default ${TRAIN_DEFAULTS.normalize})` },
  enrolment: { type: "string", value: "NAME", description: `with --normalize speaker: training clips normalised with all their speaker's clips (all) or with random enrolment sets as a new speaker is met (random; default ${TRAIN_DEFAULTS.enrolment})` },
  "level-db": { type: "string", value: "DB|off", description: `scale every trimmed clip to this RMS level (dB re full scale) before its features (default ${TRAIN_DEFAULTS.levelDb ?? "off"})` },
  duration: { type: "string", value: "S", description: `clip length in seconds (default ${DEFAULT_FRONTEND.durationS})` },
  sr: { type: "string", value: "HZ", description: `front-end sample rate (default ${DEFAULT_FRONTEND.sampleRateHz})` },
  seed: { type: "string", value: "N", description: `seed for splits, initialisation, shuffling, augmentation (default ${TRAIN_DEFAULTS.seed})` },
  dropout: { type: "string", value: "F", description: `dropout before the classifier (default ${TRAIN_DEFAULTS.dropout})` },
  l2: { type: "string", value: "X", description: `L2 penalty on the weights (weight decay), 0 = none (default ${per("l2")})` },
  "n-mfcc": { type: "string", value: "N", description: `MFCC coefficients (default ${DEFAULT_FRONTEND.nMfcc})` },
  prosody: { type: "string", value: "on|off", description: "pitch and level statistics in the stats features (default on for stats and byol-s+stats)" },
  config: { type: "string", value: "FILE", description: "defaults from a JSON file (what 'ser tune --out' writes); flags given override it" },
  ...BACKEND_FLAG,
  ...CORPUS_FLAGS,
  ...WORKER_FLAGS,
};

export interface TrainingOptions {
  spec: TrainingSpec;
  corpus: { dataset: DatasetChoice; labels: LabelPolicy; manifest?: Manifest; speakerPattern?: RegExp; workers: number; cacheDir?: string };
  /** --features DIR: train from feature shards (`ser features … --out DIR`) instead of audio. */
  shards?: ShardFeatures;
}

function parseValue(flag: string, parser: Parser, raw: string | boolean): string | number | boolean {
  if (parser === "boolean") return Boolean(raw);
  const text = String(raw).trim();
  if (parser === "string") return text;
  if (parser === "level" && text === "off") return null as unknown as number;
  if (parser === "onoff") {
    if (text !== "on" && text !== "off") throw new UsageError(`--${flag} must be on or off, got '${text}'.`);
    return text === "on";
  }
  const v = Number(text);
  if (text === "" || !Number.isFinite(v) || (parser === "int" && !/^[+-]?\d+$/.test(text))) {
    throw new UsageError(`--${flag} must be ${parser === "int" ? "an integer" : parser === "level" ? "a number of dB or off" : "a number"}, got '${text}'.`);
  }
  return v;
}

/**
 * --config FILE: {"spec": {…}} in core's names (what `ser tune --out` writes), or, from older
 * versions, {"flags": {"lr": "0.001", …}} in flag names. Unknown names are errors.
 */
function configInput(file: string): TrainingSpecInput {
  let json: { spec?: Record<string, unknown>; flags?: Record<string, unknown> };
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`--config '${file}' could not be read as JSON: ${(e as Error).message}`);
  }
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(json.spec ?? {})) {
    if (!(SPEC_FIELDS as readonly string[]).includes(name)) throw new UsageError(`--config '${file}' sets '${name}', which is not a training setting.`);
    input[name] = value;
  }
  for (const [name, value] of Object.entries(json.flags ?? {})) {
    const field = (Object.keys(SPEC_FLAGS) as SpecField[]).find((f) => SPEC_FLAGS[f].flag === name);
    if (!field) throw new UsageError(`--config '${file}' sets '${name}', which is not a training flag.`);
    input[field] = parseValue(name, SPEC_FLAGS[field].parse, value as string | boolean);
  }
  return input as TrainingSpecInput;
}

/** The flags given (and --config), in core's names: nothing here is a default. */
export function trainingSpecInput(p: Parsed): TrainingSpecInput {
  const file = stringFlag(p, "config");
  const input: Record<string, unknown> = file ? { ...configInput(file) } : {};
  for (const field of SPEC_FIELDS) {
    const { flag, parse } = SPEC_FLAGS[field];
    const raw = parse === "boolean" ? p.values[flag] : stringFlag(p, flag);
    if (raw === undefined || raw === false) continue;
    input[field] = parseValue(flag, parse, raw as string | boolean);
  }
  return input as TrainingSpecInput;
}

/** resolveTrainingSpec with its errors naming this command's flags. */
export function resolveFlags(input: TrainingSpecInput): TrainingSpec {
  try {
    return resolveTrainingSpec(input);
  } catch (e) {
    if (e instanceof SpecError) throw new UsageError(e.format((f) => `--${SPEC_FLAGS[f].flag}`));
    throw e;
  }
}

export async function parseTrainingOptions(p: Parsed): Promise<TrainingOptions> {
  const corpus = { ...corpusOptions(p), workers: workerCount(p), cacheDir: cacheDir(p) };
  const dir = stringFlag(p, "features");
  if (!isShardFolder(dir)) return { spec: resolveFlags(trainingSpecInput(p)), corpus };
  const shards = await openShardFeatures(p, dir);
  // The shards' front end and views are the defaults; a front-end flag that disagrees is refused below.
  const { features: _dir, ...given } = trainingSpecInput(p);
  const { views: shardViews, ...fromShards } = featureSpecInput(shards.set.header.frontend, shards.set.header.views);
  // Waveform augmentation replaces the views; the shards cannot serve it (said below, naming --augment).
  const spec = resolveFlags({ ...fromShards, ...(given.augment === undefined ? { views: shardViews } : {}), ...given });
  if (needsWaveforms(spec)) throw new UsageError(`--augment ${spec.augment.enabled.join(",")} re-hears the audio while training, which feature shards do not hold: use --views (computed into the shards) or train from the recordings.`);
  const diff = frontendDifferences(shards.set, spec.frontend);
  if (diff.length > 0) throw new UsageError(`--features ${dir}: the shards hold other features than these flags ask for (${diff.join("; ")}); leave those flags out or compute shards with them.`);
  const missing = spec.views.filter((v) => !shards.set.header.views.includes(v));
  if (missing.length > 0) throw new UsageError(`--features ${dir}: training uses the ${missing.join(", ")} view, which the shards do not hold (they hold ${shards.set.header.views.join(", ") || "none"}): pass --views ${shards.set.header.views.join(",") || "none"} or compute the shards with --views ${spec.views.join(",")}.`);
  return { spec, corpus, shards };
}
