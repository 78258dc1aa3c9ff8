import * as tf from "@tensorflow/tfjs";
import { carveValidation, type HeldOutSet, type Split, type TrainSet } from "../data/splits.ts";
import { applyStandardScaler, fitStandardScaler, type StandardScalerState } from "../encode/standard-scaler.ts";
import { fitLabelEncoder, type LabelEncoder } from "../encode/label-encoder.ts";
import { SerError } from "../errors.ts";
import { classificationReport, type EvaluationReport } from "../metrics/metrics.ts";
import { createModel } from "../models/models.ts";
import { augmentWaveform, specAugment } from "../augment/augment.ts";
import type { FitStart } from "./run-progress.ts";
import { argmaxRows, type ArrayDataset, type EpochLog, fit, type FitOptions, type FitResult, predictProbabilities, type RefitStage, type TrainProgress } from "../train/fit.ts";
import type { BundleCalibration, BundleMeta, CalibrationScores } from "../bundle/bundle.ts";
import { applyTemperature, calibrationSummary, fitTemperature } from "../metrics/calibration.ts";
import { buildBundleMeta } from "../bundle/bundle-meta.ts";
import type { Frontend } from "../features/frontend.ts";
import { applyNorm, combineMoments, type NormStats, rowMoments, rowStats } from "../features/normalize.ts";
import { ENROLMENT_KAPPA, shrunkStats, speakerPrior } from "../features/speaker-norm.ts";
import { indicesBySpeaker, type MeetingProtocol, protocolBatch, scoreProtocols, skewedPicker, type SpeakerNormalizer, statsFor } from "./speaker-protocols.ts";
import type { Rng } from "../rng.ts";
import type { PreparedItem } from "../ingest/process-recording.ts";
import { needsWaveforms, type TrainingSpec } from "../spec/spec.ts";
import { sampleWeights } from "../train/sample-weights.ts";
import { scoringChoice } from "../inference/narrow.ts";
import type { SplitSpec } from "../spec/split.ts";
import type { DatasetRecord } from "../bundle/training-record.ts";

export type { PreparedItem } from "../ingest/process-recording.ts";


export interface ExperimentOptions {
  /** Built once by the caller from `spec.frontend` (folds and trials share it). */
  frontend: Frontend;
  /**
   * The resolved recipe (resolveTrainingSpec). With validation (`spec.validationSize`) and
   * `spec.refit`: once validation has served (the number of epochs, when early stopping picks it,
   * and the calibration temperature), a fresh model is trained on all training speakers,
   * validation speakers included, for that many epochs; the temperature comes from the first model.
   */
  spec: TrainingSpec;
  split: Split<PreparedItem>;
  /**
   * Fit the calibration temperature (default true). Callers that do not report it (cross-validation)
   * say false: without early stopping no validation speakers are then held out at all (with refit
   * the first model has nothing left to decide and is skipped; the final model is the same).
   */
  calibrate?: boolean;
  /** Checkpointing and resuming (the CLI's --resume). */
  checkpoints?: Pick<FitOptions, "onCheckpoint" | "resume">;
  onProgress?: (p: TrainProgress) => void;
  onEpoch?: (log: EpochLog) => void;
  /** A sentence when a training stage starts (with refit: the first model, then the retrained one). */
  onStage?: (message: string) => void;
  /** Every fit as it starts, for progress (run-progress.ts): which one, its epoch budget, its clips. */
  onFit?: (start: FitStart) => void;
  signal?: AbortSignal;
}

export interface ExperimentResult {
  model: tf.LayersModel;
  labels: LabelEncoder;
  scaler: StandardScalerState;
  /** How test clips are normalised (the training speakers' prior, with per-speaker normalisation). */
  normalizer: SpeakerNormalizer;
  /** The headline: one clip at a time (the "one-clip" protocol). */
  /** Undefined when the split holds no test speakers (trainOnAll: a model that ships). */
  report?: EvaluationReport;
  reportText?: string;
  /** Every way of meeting a test speaker (see speaker-protocols.ts); identical without per-speaker normalisation. */
  protocols?: Record<MeetingProtocol, EvaluationReport>;
  /** The final model's fit (with refit: the retraining on all training speakers). */
  fit: FitResult;
  /** With refit: the first model's fit, on the training speakers without the validation ones. */
  firstFit?: FitResult;
  protocol: string;
  /** Test items with their predicted label and probabilities (misclassified ones are worth listening to). */
  predictions: { path: string; dataset: string; speaker: string; truth: string; predicted: string; probabilities: number[]; confidence: number; /** Emotions the clip chose among (fewer than the model's with narrowing). */ choices: number }[];
  /** Temperature scaling fitted on validation speakers, with test-set calibration before/after. */
  calibration?: BundleCalibration;
  /** Speakers the final model learned from (with refit, the validation speakers too). */
  trainSpeakers: readonly string[];
  validationSpeakers: readonly string[];
  testSpeakers: readonly string[];
  /** Test items dropped because their emotion never occurs in training. */
  droppedTest: number;
  /** ser.json for the final model: the typed training and dataset records for every caller alike. */
  meta(extra: { createdAt: string; split: SplitSpec; from: string; backend?: { name: string; adapter?: string }; inputs: string[] }): BundleMeta;
}

/** A result scored on test speakers (every split but trainOnAll's). */
export type TestedResult = ExperimentResult & Required<Pick<ExperimentResult, "report" | "reportText" | "protocols">>;

/** The result as scored on its test speakers; throws when the split held none out. */
export function tested(r: ExperimentResult): TestedResult {
  if (!r.report || !r.protocols || r.reportText === undefined) throw new SerError("invalid-input", "this run held no speakers out for a test, so it has no test scores.");
  return r as TestedResult;
}

interface Trained {
  model: tf.LayersModel;
  labels: LabelEncoder;
  scaler: StandardScalerState;
  normalizer: SpeakerNormalizer;
  fit: FitResult;
  valData?: ArrayDataset;
}


/** The normaliser a model trained on `items` uses: with per-speaker normalisation, their prior. */
export function speakerNormalizer(frontend: Frontend, items: readonly PreparedItem[]): SpeakerNormalizer {
  const mode = frontend.config.normalization;
  if (mode !== "speaker") return { mode };
  const groups = [...indicesBySpeaker(items).values()].map((idx) => idx.map((i) => items[i]!.features));
  return { mode, prior: speakerPrior(groups, frontend.dims), kappa: ENROLMENT_KAPPA };
}

/** Copies of items' features, each normalised with its speaker's statistics from all of that speaker's items here. */
function normalizedAll(items: readonly PreparedItem[], frontend: Frontend, n: SpeakerNormalizer): Float32Array[] {
  const out = items.map((it) => it.features.slice());
  if (n.mode !== "speaker") return out;
  for (const idx of indicesBySpeaker(items).values()) {
    const stats = statsFor(n, idx.map((i) => items[i]!.features), frontend.dims)!;
    for (const i of idx) applyNorm(out[i]!, frontend.dims, stats);
  }
  return out;
}

/** Scaled, normalised features as one dataset. */
function datasetOf(items: readonly PreparedItem[], normalized: readonly Float32Array[], frontend: Frontend, scaler: StandardScalerState, labels: LabelEncoder): ArrayDataset {
  const x = new Float32Array(items.length * frontend.size);
  const y = new Int32Array(items.length);
  items.forEach((it, i) => {
    const row = x.subarray(i * frontend.size, (i + 1) * frontend.size);
    row.set(normalized[i]!);
    applyStandardScaler(scaler, row);
    y[i] = labels.encode(it.emotion, it.path);
  });
  return { n: items.length, shape: frontend.shape, x, y };
}

/**
 * Random enrolment (spec.enrolment "random"): each time a training clip is drawn, its speaker's
 * statistics come from a set of that speaker's clips drawn as a model meets new speakers —
 * none (the prior alone), the clip alone, a few, many, all, or an emotion-skewed set — so one
 * model serves every protocol. Seeded by the fit's rng. The whole speaker's moments and its calm
 * clips' (the skewed set's base) are computed once per speaker and view, so a draw costs the
 * few clips it adds, not the speaker's thousands (a 100,000-clip corpus: docs/scale.md).
 */
export function createEnrolmentSampler(items: readonly PreparedItem[], frontend: Frontend, n: SpeakerNormalizer, featuresOf: (j: number, view: number) => Float32Array = (j) => items[j]!.features) {
  const draw = createEnrolmentDraw(items);
  const stats: NormStats = { mean: new Float64Array(frontend.dims), scale: new Float64Array(frontend.dims) };
  // Keyed by the draw's own per-speaker arrays (a speaker's clips, its calm clips: the same
  // array on every draw), then by view: nothing is built per draw to look them up.
  const cache = new Map<readonly number[], ReturnType<typeof rowMoments>[]>();
  // The enrolment clips are heard through the same view as the clip: one speaker, one channel.
  const momentsOf = (clips: readonly number[], view: number) => rowMoments(clips.map((j) => featuresOf(j, view)), frontend.dims);
  const cached = (clips: readonly number[], view: number) => {
    let byView = cache.get(clips);
    if (!byView) cache.set(clips, byView = []);
    return byView[view] ??= momentsOf(clips, view);
  };
  return (i: number, rng: Rng, view = 0): NormStats => {
    const d = draw(i, rng);
    if (d.kind === "few") return shrunkStats(d.clips.length > 0 ? momentsOf(d.clips, view) : undefined, d.clips.length, frontend.dims, n.prior!, n.kappa, stats);
    if (d.kind === "whole") return shrunkStats(cached(d.group, view), d.group.length, frontend.dims, n.prior!, n.kappa, stats);
    const calm = cached(d.calm, view);
    const count = d.calm.length + d.clips.length;
    return shrunkStats(count > 0 ? combineMoments(calm, momentsOf(d.clips, view)) : undefined, count, frontend.dims, n.prior!, n.kappa, stats);
  };
}

/**
 * An enrolment set, described: `few` clips (the clip itself first), the `whole` speaker, or the
 * skewed protocol's set (every `calm` clip of the speaker, then one clip each of up to four
 * other emotions).
 */
type EnrolmentSet = { kind: "few"; clips: number[] } | { kind: "whole"; group: readonly number[] } | { kind: "skewed"; calm: readonly number[]; clips: number[] };

/**
 * The enrolment set drawn for item i: its speaker's clips as a new speaker is met — with
 * probability 0.2 an emotion-skewed set (the skewed protocol's rule, speaker-protocols.ts's
 * skewedSet), else n of the speaker's clips for n uniform over {0, 1, 1, 2, 4, 8, 16, all}, the
 * clip itself first when n > 0. The random numbers drawn are exactly those of drawing the clips
 * one by one from the rest of the speaker's (so figures do not move), without copying them.
 */
export function createEnrolmentDraw(items: readonly { speaker: string; emotion: string }[]): (i: number, rng: Rng) => EnrolmentSet {
  const groups = indicesBySpeaker(items);
  // Each item's place among its speaker's.
  const position = new Int32Array(items.length);
  for (const idx of groups.values()) idx.forEach((j, k) => position[j] = k);
  const skew = new Map([...groups].map(([speaker, idx]) => [speaker, skewedPicker(idx, (j) => items[j]!.emotion)]));
  const sizes = [0, 1, 1, 2, 4, 8, 16, Infinity];
  return (i, rng) => {
    const speaker = items[i]!.speaker;
    const idx = groups.get(speaker)!;
    if (rng.next() < 0.2) {
      const s = skew.get(speaker)!;
      return { kind: "skewed", calm: s.calm, clips: s.pick(rng) };
    }
    const size = Math.min(idx.length, sizes[rng.int(sizes.length)]!);
    if (size === 0) return { kind: "few", clips: [] };
    if (size === idx.length) {
      // All of them, in whatever order: only the draws' count matters for what follows.
      for (let left = idx.length - 1; left > 0; left--) rng.int(left);
      return { kind: "whole", group: idx };
    }
    // The p-th of the clips not yet taken (the rest of the speaker's, in order), as a splice
    // from that list would take it: p moves past every position already taken at or before it.
    const taken: number[] = [];
    const clips = [i];
    for (let left = idx.length - 1; clips.length < size && left > 0; left--) {
      let p = rng.int(left);
      let k = 0;
      for (; k < taken.length && taken[k]! <= p; k++) p++;
      taken.splice(k, 0, p);
      clips.push(idx[p < position[i]! ? p : p + 1]!);
    }
    return { kind: "few", clips };
  };
}

/** Fits label encoder, normaliser, scaler and a fresh model on one training side (augmenting on the fly). */
async function trainOn(o: ExperimentOptions, train: TrainSet<PreparedItem>, validation: HeldOutSet<PreparedItem> | undefined, fitOverrides: Partial<FitOptions>): Promise<Trained> {
  const { frontend, spec } = o;
  const labels = fitLabelEncoder(train);
  const normalizer = speakerNormalizer(frontend, train.items);
  const normalized = normalizedAll(train.items, frontend, normalizer);
  const scaler = fitStandardScaler(train, frontend.dims, (_, i) => normalized[i]!);
  const known = (items: readonly PreparedItem[]) => items.filter((i) => labels.classes.includes(i.emotion));
  const trainData = datasetOf(train.items, normalized, frontend, scaler, labels);
  let valData: ArrayDataset | undefined;
  if (validation) {
    // Validation speakers as the headline meets them: one clip at a time (each clip's statistics
    // its own, shrunk toward the training speakers' prior), so early stopping and the temperature
    // are chosen for what predict and the live page do.
    const items = known(validation.items);
    valData = { n: items.length, shape: frontend.shape, x: protocolBatch(items, frontend, normalizer, scaler, "one-clip", spec.seed), y: Int32Array.from(items, (it) => labels.encode(it.emotion, it.path)) };
  }

  const augment = spec.augment;
  const wantsWave = needsWaveforms(spec);
  const wantsSpec = augment.enabled.includes("specaugment") && frontend.shape.length === 2;
  const randomEnrolment = normalizer.mode === "speaker" && spec.enrolment === "random";
  // Training views (feature-views.ts): view 0 is the clip as recorded, view v > 0 its features
  // through spec.views[v - 1], computed at ingestion; each draw picks one uniformly.
  const nViews = spec.views.length;
  if (nViews > 0) {
    const missing = train.items.find((it) => spec.views.some((v) => !it.views?.[v]));
    if (missing) throw new SerError("invalid-config", `training views (${spec.views.join(", ")}) were asked for, but ${missing.path} was loaded without ${spec.views.filter((v) => !missing.views?.[v]).join(", ")}: load the corpus with the spec's views.`);
  }
  const featuresOf = (j: number, view: number): Float32Array => (view === 0 ? train.items[j]!.features : train.items[j]!.views![spec.views[view - 1]!]!);
  const sample = randomEnrolment ? createEnrolmentSampler(train.items, frontend, normalizer, featuresOf) : undefined;
  const speakerStats = new Map<string, NormStats | undefined>();
  const groups = indicesBySpeaker(train.items);
  const statsOf = (i: number, rng: Rng, view: number): NormStats | undefined => {
    if (sample) return sample(i, rng, view);
    const speaker = train.items[i]!.speaker;
    const key = `${view}:${speaker}`;
    if (!speakerStats.has(key)) speakerStats.set(key, statsFor(normalizer, groups.get(speaker)!.map((j) => featuresOf(j, view)), frontend.dims));
    return speakerStats.get(key);
  };
  const size = frontend.size;
  const fillItem = wantsWave || wantsSpec || randomEnrolment || nViews > 0
    ? (i: number, out: Float32Array, rng: Rng) => {
      const item = train.items[i]!;
      if (wantsWave || randomEnrolment || nViews > 0) {
        let view = 0;
        if (wantsWave) {
          if (!item.wave) throw new SerError("invalid-input", `${item.path} has no waveform to augment: load the corpus with keepWaves (needsWaveforms(spec)).`);
          const a = augmentWaveform(item.wave, frontend.config.sampleRateHz, frontend.clipSamples, augment, rng);
          frontend.extract(a.wave, out, a.offset);
          if (normalizer.mode === "utterance") applyNorm(out, frontend.dims, rowStats([out], frontend.dims));
        } else {
          if (nViews > 0) view = rng.int(nViews + 1);
          out.set(featuresOf(i, view));
        }
        const stats = statsOf(i, rng, view);
        if (stats) applyNorm(out, frontend.dims, stats);
        applyStandardScaler(scaler, out);
      } else {
        out.set(trainData.x.subarray(i * size, (i + 1) * size));
      }
      if (wantsSpec && rng.next() < augment.probability) {
        specAugment(out, frontend.shape[0]!, frontend.shape[1]!, rng, augment.specAugment);
      }
    }
    : undefined;

  const model = createModel(spec.model, { inputShape: [...frontend.shape], nClasses: labels.classes.length, seed: spec.fit.seed, dropout: spec.dropout });
  try {
    const fitResult = await fit(model, trainData, {
      ...spec.fit,
      ...fitOverrides,
      nClasses: labels.classes.length,
      sampleWeights: sampleWeights(train.items, spec.weighting),
      validation: valData,
      fillItem,
      onProgress: o.onProgress,
      onEpoch: o.onEpoch,
      signal: o.signal,
    });
    return { model, labels, scaler, normalizer, fit: fitResult, valData };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/**
 * Train on a split's training side and report on its test side. Every statistic (label set,
 * scaler, validation speakers, augmentation) comes from the training side; the test side is
 * touched once, for the final report.
 */
export async function runExperiment(o: ExperimentOptions): Promise<ExperimentResult> {
  const { frontend, spec } = o;
  const ck = o.checkpoints ?? {};
  const full: TrainSet<PreparedItem> = o.split.train;
  let train = full;
  let validation: HeldOutSet<PreparedItem> | undefined;
  // Validation speakers serve early stopping and calibration; with neither they would only be
  // withheld from training.
  const validationUseless = spec.fit.patience === 0 && o.calibrate === false;
  if (spec.validationSize > 0 && full.speakers.length >= 3 && !validationUseless) {
    const carved = carveValidation(full, { validationSize: spec.validationSize, seed: spec.fit.seed + 1 });
    train = carved.train;
    validation = carved.validation;
  }
  const refit = spec.refit && validation !== undefined;
  // A model meant to hear every speaker (trainOnAll) must not leave its validation speakers out.
  if (o.split.test.items.length === 0 && validation && !refit) {
    throw new SerError("invalid-config", `with no test speakers every speaker should train the model, but ${validation.speakers.length} would only validate it: retrain on all of them after validation (refit on) or hold none out (validation size 0).`);
  }
  const resumeStage = ck.resume?.stage;
  // Checkpoints say which fit they belong to, so --resume continues the right one.
  const checkpointing = (stage: RefitStage): Partial<FitOptions> => ({
    onCheckpoint: ck.onCheckpoint && refit ? (c) => ck.onCheckpoint!({ ...c, stage }) : ck.onCheckpoint,
    resume: resumeStage?.name === stage.name || (!refit && !resumeStage) ? ck.resume : undefined,
  });

  let first: Trained | undefined;
  let decided = resumeStage?.name === "refit" ? resumeStage.decided : undefined;
  if (!decided) {
    if (refit) o.onStage?.(`first model: ${train.speakers.length} training speakers, ${validation!.speakers.length} for validation (${validation!.speakers.join(", ")})`);
    // Without early stopping the retrained model runs every epoch, so the first one's
    // temperature is fitted at its last epoch too, not at its best.
    const firstCk = checkpointing({ name: "first" });
    const startEpoch = firstCk.resume?.epoch;
    o.onFit?.({ ...(refit ? { name: "first", refitClips: full.items.length } : { name: "only" }), epochs: spec.fit.epochs, clips: train.items.length, ...(startEpoch ? { startEpoch } : {}) });
    first = await trainOn(o, train, validation, { ...firstCk, restoreBest: !(refit && spec.fit.patience === 0) });
  }
  let calibrationFit = decided?.calibration;
  if (o.calibrate !== false && first?.valData && first.valData.n > 0 && validation) {
    // Temperature scaling on the validation speakers (held out from training, never the test set);
    // the test set only measures how well it transfers. Argmax, hence every metric, is unchanged.
    const valProbs = await predictProbabilities(first.model, first.valData);
    calibrationFit = {
      temperature: fitTemperature(valProbs, first.valData.y, first.labels.classes.length),
      fittedOn: `validation speakers ${validation.speakers.join(", ")} (${first.valData.n} clips)${refit ? ", predicted by the first model" : ""}`,
    };
  }
  let final: Trained;
  if (refit && !first?.fit.cancelled) {
    decided ??= { epochs: spec.fit.patience > 0 ? first!.fit.bestEpoch : spec.fit.epochs, ...(calibrationFit ? { calibration: calibrationFit } : {}) };
    first?.model.dispose();
    o.onStage?.(`final model: retrained on all ${full.speakers.length} training speakers for ${decided.epochs} epochs`);
    const refitCk = checkpointing({ name: "refit", decided });
    const startEpoch = refitCk.resume?.epoch;
    o.onFit?.({ name: "refit", epochs: decided.epochs, clips: full.items.length, ...(startEpoch ? { startEpoch } : {}) });
    final = await trainOn(o, full, undefined, { ...refitCk, epochs: decided.epochs, patience: 0 });
  } else {
    final = first!;
  }
  const { model, labels, scaler, normalizer } = final;
  const fitResult = final.fit;
  const trainedOn = refit && !first?.fit.cancelled ? full : train;
  const known = (items: readonly PreparedItem[]) => items.filter((i) => labels.classes.includes(i.emotion));
  const testItems = known(o.split.test.items);
  const untested = o.split.test.items.length === 0;
  if (testItems.length === 0 && !untested) {
    model.dispose();
    throw new SerError("invalid-input", "the test set holds no recording of an emotion seen in training.");
  }
  // Every protocol of meeting a new speaker; one clip at a time leads (what predict and live meet).
  // Each test clip chooses among its corpus's emotions (those the model knows): how cross-corpus
  // results are reported, and a no-op for a corpus that has all the model's classes.
  const choice = scoringChoice(testItems, [...o.split.train.items, ...o.split.test.items], labels.classes);
  let protocols;
  try {
    protocols = untested ? undefined : await scoreProtocols(model, frontend, normalizer, scaler, labels, testItems, spec.seed, choice.maskOf);
  } catch (e) {
    model.dispose();
    throw e;
  }
  const k = labels.classes.length;
  const headline = protocols?.["one-clip"];
  const probs = headline?.probs ?? new Float32Array(0);
  const pred = argmaxRows(probs, k);
  const report = headline?.report;
  let calibration: BundleCalibration | undefined;
  let calibrated: Float32Array | undefined;
  if (calibrationFit) {
    calibrated = applyTemperature(probs, k, calibrationFit.temperature);
    const scores = (p: Float32Array, bins: boolean): CalibrationScores => {
      const s = calibrationSummary(p, headline!.y, k);
      return { ece: s.ece, mce: s.mce, nll: s.nll, brier: s.brier, ...(bins ? { bins: s.bins } : {}) };
    };
    calibration = {
      temperature: calibrationFit.temperature,
      fittedOn: calibrationFit.fittedOn,
      ...(headline ? { test: { before: scores(probs, true), after: scores(calibrated, true) } } : {}),
    };
  }
  const norm = frontend.config.normalization === "speaker"
    ? `; features normalised per speaker (statistics from the clips at hand, shrunk toward the training speakers' average with κ = ${normalizer.kappa} clips${spec.enrolment === "random" ? "; trained with random enrolment sets" : ""}); scores below are one clip at a time`
    : frontend.config.normalization === "utterance" ? "; features normalised per utterance" : "";
  const vs = validation ? `${validation.speakers.length} training speakers (${validation.speakers.join(", ")})` : "";
  // Cross-corpus (or a narrowed label set): only the classes both sides share are scored; say which were not.
  const leftOut = new Map<string, number>();
  for (const it of o.split.test.items) if (!labels.classes.includes(it.emotion)) leftOut.set(it.emotion, (leftOut.get(it.emotion) ?? 0) + 1);
  const leftOutText = leftOut.size > 0 ? `; test recordings of emotions the training side does not have were left out: ${[...leftOut].map(([e, n]) => `${e} (${n})`).join(", ")}` : "";
  const protocol = `${o.split.protocol}; ${
    !validation
      ? "no validation speakers"
      : refit && decided
      ? `validation on ${vs} ${[spec.fit.patience > 0 ? "chose the epochs" : "", calibrationFit ? "fitted the calibration" : ""].filter(Boolean).join(" and ") || "was held out"}, then the model was retrained on all ${full.speakers.length} training speakers for ${decided.epochs} epochs`
      : `validation${[spec.fit.patience > 0 ? " for early stopping" : "", calibrationFit ? " for calibration" : ""].filter(Boolean).join(" and") || " (unused)"}: ${vs}`
  }${norm}${leftOutText}${choice.text}`;
  return {
    model,
    labels,
    scaler,
    normalizer,
    ...(report && protocols ? {
      report,
      reportText: classificationReport(report),
      protocols: { "one-clip": protocols["one-clip"].report, enrolled: protocols.enrolled.report, skewed: protocols.skewed.report },
    } : {}),
    fit: fitResult,
    ...(refit && first ? { firstFit: first.fit } : {}),
    protocol,
    predictions: testItems.map((it, i) => ({
      path: it.path,
      dataset: it.dataset,
      choices: choice.choices(i),
      speaker: it.speaker,
      truth: it.emotion,
      predicted: labels.classes[pred[i]!]!,
      probabilities: Array.from(probs.subarray(i * k, (i + 1) * k)),
      confidence: Math.max(...(calibrated ?? probs).subarray(i * k, (i + 1) * k)),
    })),
    calibration,
    trainSpeakers: trainedOn.speakers,
    validationSpeakers: validation?.speakers ?? [],
    testSpeakers: o.split.test.speakers,
    droppedTest: o.split.test.items.length - testItems.length,
    meta: (extra) => buildBundleMeta({
      createdAt: extra.createdAt,
      model: { name: spec.model, inputShape: [...frontend.shape], parameters: model.countParams() },
      frontend: frontend.config,
      labels: [...labels.classes],
      scaler,
      spec,
      split: extra.split,
      from: extra.from,
      ...(extra.backend ? { backend: extra.backend } : {}),
      fit: fitResult,
      protocol,
      dataset: datasetRecord(extra.inputs, [...o.split.train.items, ...o.split.test.items], full, testItems, trainedOn.speakers, validation?.speakers ?? [], o.split.test.speakers),
      ...(report ? { evaluation: report } : {}),
      ...(calibration ? { calibration } : {}),
      ...(normalizer.prior ? { speakerNormalization: { kappa: normalizer.kappa!, prior: { mean: Array.from(normalizer.prior.mean), variance: Array.from(normalizer.prior.variance) } } } : {}),
      ...(protocols ? { protocols: { "one-clip": protocols["one-clip"].report, enrolled: protocols.enrolled.report, skewed: protocols.skewed.report } } : {}),
    }),
  };
}

function datasetRecord(
  inputs: string[],
  all: readonly PreparedItem[],
  full: TrainSet<PreparedItem>,
  testItems: readonly PreparedItem[],
  trainSpeakers: readonly string[],
  validationSpeakers: readonly string[],
  testSpeakers: readonly string[],
): DatasetRecord {
  const corpora = (items: readonly PreparedItem[]) => [...new Set(items.map((i) => i.dataset))].sort();
  return {
    inputs,
    files: all.length,
    speakers: new Set(all.map((i) => i.speaker)).size,
    datasets: corpora(all),
    // Corpora per role, so a later evaluation can tell in-corpus from cross-corpus.
    trainDatasets: corpora(full.items),
    testDatasets: corpora(testItems),
    trainSpeakers,
    validationSpeakers,
    testSpeakers,
  };
}
