/**
 * The training spec: every default and every cross-field rule of an experiment, once. The CLI
 * (flags), the page (its form), `tune` (a trial) and the benchmarks (argv) only translate their
 * input into a `TrainingSpecInput` and call `resolveTrainingSpec`; none of them holds a default.
 * tfjs-free, so the page's main thread can show the defaults.
 */
import { type AugmentConfig, DEFAULT_AUGMENT, parseAugmentList } from "../augment/augment.ts";
import { type FeatureView, parseViewList } from "../augment/feature-views.ts";
import { ConfigError } from "../errors.ts";
import { DEFAULT_FRONTEND, FRONTEND_KINDS, type FrontendConfig, type FrontendKind, frontendTakes, validateFrontendConfig } from "../features/frontend.ts";
import type { Normalization } from "../features/normalize.ts";
import { MODEL_NAMES, type ModelName } from "../models/model-names.ts";
import { type Weighting, WEIGHTINGS } from "../train/sample-weights.ts";

/** How a model is trained unless told otherwise. */
export interface ModelTrainingDefaults {
  epochs: number;
  /** Early stopping on the validation speakers after this many epochs without gain; 0 = run every epoch. */
  patience: number;
  augment: string;
  /** Retrain on all training speakers once validation has served (see ExperimentOptions.refit). */
  refit: boolean;
  /** L2 penalty on the dense and convolution kernels (weight decay), 0.5 · l2 · Σ‖W‖² added to the loss. */
  l2: number;
  /** Training views computed once per clip (feature-views.ts), comma-separated, or "none". */
  views: string;
}

/**
 * Per model. The mlp on pooled statistics and prosody runs a fixed 60 epochs without early
 * stopping or augmentation, with an L2 penalty of 0.03, and is then retrained on every training
 * speaker: on the README's 4-fold speaker-independent cross-validation, early stopping on 2 of
 * the 9 training speakers cost 4-5 points of UAR (it stopped after ~13 epochs, and those 2
 * speakers never trained the model), on-the-fly augmentation made epochs 6x slower for no gain,
 * and an L2 penalty of 0.03 added 2.5-3.8 points of UAR on each of three fold seeds. The
 * sequence models keep early stopping and augmentation, where they were measured.
 * The mlp also trains on a narrowband (telephone-like) view of every clip, drawn in place of the
 * clip as often as the clip itself: one clip at a time through a telephone channel, the BYOL-S
 * mlp fell to 13-19 % UAR without it (README, channel rows).
 */
export const MODEL_TRAINING: Record<ModelName, ModelTrainingDefaults> = {
  mlp: { epochs: 60, patience: 0, augment: "none", refit: true, l2: 0.03, views: "narrowband" },
  cnn1d: { epochs: 40, patience: 10, augment: "noise,gain,shift,specaugment", refit: false, l2: 0, views: "none" },
  crnn: { epochs: 40, patience: 10, augment: "noise,gain,shift,specaugment", refit: false, l2: 0, views: "none" },
  cnn2d: { epochs: 40, patience: 10, augment: "noise,gain,shift,specaugment", refit: false, l2: 0, views: "none" },
  transformer: { epochs: 40, patience: 10, augment: "noise,gain,shift,specaugment", refit: false, l2: 0, views: "none" },
};

/**
 * The front end each model takes by default. The mlp takes the frozen BYOL-S 512 embedding: in
 * the issue's measurement on 12 RAVDESS speakers outside the shared set it beat every hand-made
 * feature set by 12-16 points of UAR, and on the shared actors' 4-fold CV (README) it scores
 * 51.8 % one clip at a time against 43.4 % for the pooled stats with the same normalisation.
 */
export const MODEL_FEATURES: Record<ModelName, FrontendKind> = {
  mlp: "byol-s",
  cnn1d: "mfcc",
  crnn: "mfcc",
  cnn2d: "logmel",
  transformer: "mfcc",
};

/** Settings that do not depend on the model. */
export const TRAIN_DEFAULTS = {
  model: "mlp" as ModelName,
  batchSize: 32,
  learningRate: 1e-3,
  schedule: "cosine" as Schedule,
  validationSize: 0.2,
  dropout: 0.3,
  seed: 42,
  normalize: "speaker" as Normalization,
  enrolment: "random" as Enrolment,
  levelDb: -20 as number | null,
  /**
   * Each corpus weighs the same, and each class within it (sample-weights.ts). Measured by leave
   * one corpus out on the three shared corpora (docs/accuracy.md): see the weighting rows.
   */
  weighting: "corpus" as Weighting,
};

/** Split defaults (see split.ts). */
export const SPLIT_DEFAULTS = { testSize: 0.25 };

export type Schedule = "cosine" | "plateau" | "constant";
export type Enrolment = "all" | "random";
export const ENROLMENTS: readonly Enrolment[] = ["all", "random"];
export const SCHEDULES: readonly Schedule[] = ["cosine", "plateau", "constant"];
export const NORMALIZATIONS: readonly Normalization[] = ["none", "utterance", "speaker"];

/**
 * What a caller may say about an experiment, in core's names; every field optional. The CLI maps
 * its flags onto these names (`--n-mfcc` → nMfcc), the page its form, tune its trial.
 */
export interface TrainingSpecInput {
  model?: ModelName;
  features?: FrontendKind;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  schedule?: Schedule;
  patience?: number;
  /** How much each training clip counts: corpus (each corpus and, within it, each class evenly), class, or clip. */
  weighting?: Weighting;
  l2?: number;
  validationSize?: number;
  refit?: boolean;
  dropout?: number;
  seed?: number;
  /** Comma-separated augmentations, or "none". */
  augment?: string;
  /** Comma-separated training views (narrowband, slower, faster, room), or "none". */
  views?: string;
  /** With per-speaker normalisation: training clips normalised with all their speaker's clips, or with random enrolment sets (as met). */
  enrolment?: Enrolment;
  normalize?: Normalization;
  nMfcc?: number;
  prosody?: boolean;
  durationS?: number;
  sampleRateHz?: number;
  /** RMS level (dB re full scale) every trimmed clip is scaled to before its features; null = as recorded. */
  levelDb?: number | null;
}

export type SpecField = keyof TrainingSpecInput;
export const SPEC_FIELDS: readonly SpecField[] = [
  "model", "features", "epochs", "batchSize", "learningRate", "schedule", "patience", "weighting", "l2",
  "validationSize", "refit", "dropout", "seed", "augment", "views", "enrolment", "normalize", "nMfcc", "prosody", "durationS", "sampleRateHz", "levelDb",
];

export interface FitSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  schedule: Schedule;
  patience: number;
  l2: number;
  seed: number;
}

/** A complete, checked experiment recipe: what trains the model (the split is separate, see split.ts). */
export interface TrainingSpec {
  model: ModelName;
  frontend: FrontendConfig;
  augment: AugmentConfig;
  fit: FitSettings;
  /** Fraction of training speakers held out for validation (early stopping, calibration); 0 = none. */
  validationSize: number;
  refit: boolean;
  /** How much each training clip counts in the loss (sample-weights.ts). */
  weighting: Weighting;
  dropout: number;
  seed: number;
  /** How training clips get their speaker statistics (per-speaker normalisation only). */
  enrolment: Enrolment;
  /**
   * Training views (feature-views.ts): features of each clip re-heard through these, computed at
   * ingestion (load the corpus with them) and drawn in place of the clip while training.
   */
  views: FeatureView[];
}

/**
 * An invalid or conflicting spec. `fields` names the inputs at fault; `format` renders the
 * message with each caller's own names for them (the CLI's flags, the page's labels).
 */
export class SpecError extends ConfigError {
  readonly fields: readonly SpecField[];
  readonly #template: string;
  constructor(fields: readonly SpecField[], template: string) {
    super(template.replace(/\{(\w+)\}/g, (_, f: string) => f));
    this.name = "SpecError";
    this.fields = fields;
    this.#template = template;
  }
  /** The message with `{field}` placeholders replaced by `nameOf(field)`. */
  format(nameOf: (field: SpecField) => string): string {
    return this.#template.replace(/\{(\w+)\}/g, (_, f: string) => nameOf(f as SpecField));
  }
}

const ranges: Partial<Record<SpecField, { min: number; max: number; int?: boolean }>> = {
  epochs: { min: 1, max: 10000, int: true },
  batchSize: { min: 1, max: 4096, int: true },
  learningRate: { min: 1e-6, max: 1 },
  patience: { min: 0, max: 10000, int: true },
  l2: { min: 0, max: 10 },
  validationSize: { min: 0, max: 0.9 },
  dropout: { min: 0, max: 0.9 },
  seed: { min: 0, max: 2 ** 31 - 1, int: true },
  nMfcc: { min: 1, max: DEFAULT_FRONTEND.nMels, int: true },
  durationS: { min: 0.2, max: 30 },
  sampleRateHz: { min: 4000, max: 96000, int: true },
  levelDb: { min: -80, max: 0 },
};

function checkChoice<T extends string>(field: SpecField, value: T | undefined, choices: readonly T[]): void {
  if (value !== undefined && !choices.includes(value)) {
    throw new SpecError([field], `{${field}} must be one of ${choices.join(", ")}, got '${value}'.`);
  }
}

/** The model's defaults for the model-dependent settings. */
export function modelDefaults(model: ModelName): ModelTrainingDefaults & { features: FrontendKind } {
  return { ...MODEL_TRAINING[model], features: MODEL_FEATURES[model] };
}

/**
 * Fills every missing field with its default (model-dependent ones from MODEL_TRAINING and
 * MODEL_FEATURES) and checks every range and cross-field rule; errors name the fields.
 */
export function resolveTrainingSpec(input: TrainingSpecInput = {}): TrainingSpec {
  for (const key of Object.keys(input)) {
    if (!(SPEC_FIELDS as readonly string[]).includes(key)) throw new SpecError([], `unknown training setting '${key}'.`);
  }
  checkChoice("model", input.model, MODEL_NAMES);
  checkChoice("features", input.features, FRONTEND_KINDS);
  checkChoice("schedule", input.schedule, SCHEDULES);
  checkChoice("normalize", input.normalize, NORMALIZATIONS);
  checkChoice("enrolment", input.enrolment, ENROLMENTS);
  checkChoice("weighting", input.weighting, WEIGHTINGS);
  for (const [field, r] of Object.entries(ranges) as [SpecField, { min: number; max: number; int?: boolean }][]) {
    const v = input[field];
    if (v === undefined || (field === "levelDb" && v === null)) continue;
    if (typeof v !== "number" || !Number.isFinite(v) || v < r.min || v > r.max || (r.int && !Number.isInteger(v))) {
      throw new SpecError([field], `{${field}} must be ${r.int ? "an integer" : "a number"} from ${r.min} to ${r.max}, got ${String(v)}.`);
    }
  }
  const model = input.model ?? TRAIN_DEFAULTS.model;
  const d = modelDefaults(model);
  const kind = input.features ?? d.features;
  const takes = frontendTakes(kind);
  const wantsPooled = model === "mlp";
  if (wantsPooled !== (takes === "pooled")) {
    throw new SpecError(["model", "features"], `{model} ${model} cannot take {features} ${kind}: mlp takes pooled features (${FRONTEND_KINDS.filter((k) => frontendTakes(k) === "pooled").join(", ")}); the others take sequences (${FRONTEND_KINDS.filter((k) => frontendTakes(k) === "sequence").join(", ")}).`);
  }
  const normalization = input.normalize ?? TRAIN_DEFAULTS.normalize;
  if (normalization === "utterance" && takes === "pooled") {
    throw new SpecError(["normalize", "features"], `{normalize} utterance needs feature sequences; {features} ${kind} is pooled (use speaker or none).`);
  }
  if (input.enrolment !== undefined && normalization !== "speaker") {
    throw new SpecError(["enrolment", "normalize"], `{enrolment} applies to per-speaker normalisation; {normalize} is ${normalization}.`);
  }
  if (input.prosody === true && kind !== "stats" && kind !== "byol-s+stats") {
    throw new SpecError(["prosody", "features"], `{prosody} adds pitch and level statistics to the stats features; {features} ${kind} has none.`);
  }
  let enabled;
  try {
    enabled = parseAugmentList(input.augment ?? d.augment);
  } catch (e) {
    throw new SpecError(["augment"], `{augment}: ${(e as Error).message}`);
  }
  let views: FeatureView[];
  // Waveform augmentation re-hears every clip while training: asked for, it replaces the model's
  // default views (both together are refused only when both are asked for).
  const waveAugment = enabled.some((a) => a !== "specaugment");
  try {
    views = parseViewList(input.views ?? (waveAugment ? "none" : d.views));
  } catch (e) {
    throw new SpecError(["views"], `{views}: ${(e as Error).message}`);
  }
  if (views.length > 0 && takes !== "pooled") {
    throw new SpecError(["views", "features"], `{views} are computed once per clip for pooled front ends; {features} ${kind} is a sequence (use {augment}, which re-extracts while training).`);
  }
  if (views.includes("narrowband") && (input.sampleRateHz ?? DEFAULT_FRONTEND.sampleRateHz) <= 8000) {
    throw new SpecError(["views", "sampleRateHz"], `the narrowband view band-limits to 8 kHz sampling; {sampleRateHz} ${input.sampleRateHz} Hz is already that narrow (use {views} none).`);
  }
  if (views.length > 0 && waveAugment) {
    throw new SpecError(["views", "augment"], `{views} and waveform {augment} (${enabled.join(",")}) are two ways of re-hearing a clip; use one (set the other to none).`);
  }
  const seed = input.seed ?? TRAIN_DEFAULTS.seed;
  const frontend: FrontendConfig = {
    ...DEFAULT_FRONTEND,
    kind,
    durationS: input.durationS ?? DEFAULT_FRONTEND.durationS,
    sampleRateHz: input.sampleRateHz ?? DEFAULT_FRONTEND.sampleRateHz,
    normalization,
    nMfcc: input.nMfcc ?? DEFAULT_FRONTEND.nMfcc,
    prosody: input.prosody ?? (kind === "stats" || kind === "byol-s+stats"),
    levelDb: input.levelDb === undefined ? TRAIN_DEFAULTS.levelDb : input.levelDb,
  };
  validateFrontendConfig(frontend);
  return {
    model,
    frontend,
    augment: { ...DEFAULT_AUGMENT, enabled },
    fit: {
      epochs: input.epochs ?? d.epochs,
      batchSize: input.batchSize ?? TRAIN_DEFAULTS.batchSize,
      learningRate: input.learningRate ?? TRAIN_DEFAULTS.learningRate,
      schedule: input.schedule ?? TRAIN_DEFAULTS.schedule,
      patience: input.patience ?? d.patience,
      l2: input.l2 ?? d.l2,
      seed,
    },
    validationSize: input.validationSize ?? TRAIN_DEFAULTS.validationSize,
    refit: input.refit ?? d.refit,
    weighting: input.weighting ?? TRAIN_DEFAULTS.weighting,
    dropout: input.dropout ?? TRAIN_DEFAULTS.dropout,
    seed,
    enrolment: input.enrolment ?? TRAIN_DEFAULTS.enrolment,
    views,
  };
}

/** Specs with equal keys load the same corpus (front end and training views): callers that try several share it. */
export function corpusKey(spec: TrainingSpec): string {
  return JSON.stringify([spec.frontend, spec.views]);
}

/** The spec with the fold's seed (cross-validation trains fold i with seed + i). */
export function withFoldSeed(spec: TrainingSpec, fold: number): TrainingSpec {
  return { ...spec, fit: { ...spec.fit, seed: spec.seed + fold } };
}

/**
 * The spec input that trains on features computed before (feature shards): their front end's
 * kind, rate, clip length, MFCCs, prosody and level, and the views they hold. Normalisation is
 * not a property of the features and is left to the caller's input.
 */
export function featureSpecInput(c: FrontendConfig, views: readonly FeatureView[]): TrainingSpecInput {
  // Sequences need a model that takes them (the default mlp takes pooled vectors): the first that does.
  const model = frontendTakes(c.kind) === "pooled" ? undefined : MODEL_NAMES.find((m) => MODEL_FEATURES[m] === c.kind);
  return { ...(model ? { model } : {}), features: c.kind, sampleRateHz: c.sampleRateHz, durationS: c.durationS, nMfcc: c.nMfcc, prosody: c.prosody ?? false, levelDb: c.levelDb ?? null, views: views.join(",") || "none" };
}

/**
 * Whether training re-hears each clip's waveform (waveform augmentation: noise, gain, shift,
 * speed…): only then must ingestion keep the waveforms (loadCorpus keepWaves). Otherwise the
 * features (and training views, computed at ingestion) are all training reads.
 */
export function needsWaveforms(spec: Pick<TrainingSpec, "augment">): boolean {
  return spec.augment.enabled.some((a) => a !== "specaugment");
}
