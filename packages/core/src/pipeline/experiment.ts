import * as tf from "@tensorflow/tfjs";
import { carveValidation, type HeldOutSet, type Split, type TrainSet } from "../data/splits.ts";
import { applyStandardScaler, fitStandardScaler, type StandardScalerState } from "../encode/standard-scaler.ts";
import { fitLabelEncoder, type LabelEncoder } from "../encode/label-encoder.ts";
import { SerError } from "../errors.ts";
import { classificationReport, evaluate, type EvaluationReport } from "../metrics/metrics.ts";
import { createModel, type ModelName } from "../models/models.ts";
import { augmentWaveform, type AugmentConfig, specAugment } from "../augment/augment.ts";
import { argmaxRows, type ArrayDataset, type EpochLog, fit, type FitOptions, type FitResult, predictProbabilities, type TrainProgress } from "../train/fit.ts";
import type { BundleCalibration, BundleMeta, CalibrationScores } from "../bundle/bundle.ts";
import { applyTemperature, calibrationSummary, fitTemperature } from "../metrics/calibration.ts";
import { BUNDLE_FORMAT, BUNDLE_VERSION } from "../bundle/bundle.ts";
import type { Frontend } from "./frontend.ts";
import { type NormStats, normalizeClip } from "./normalize.ts";
import type { Rng } from "../rng.ts";
import type { PreparedItem } from "./prepare-item.ts";

export { type PreparedItem, prepareItem } from "./prepare-item.ts";


/** Scaled features of items as one array, with labels from the encoder. */
export function toDataset(items: readonly PreparedItem[], frontend: Frontend, scaler: StandardScalerState, labels: LabelEncoder): ArrayDataset {
  const x = new Float32Array(items.length * frontend.size);
  const y = new Int32Array(items.length);
  items.forEach((it, i) => {
    const row = x.subarray(i * frontend.size, (i + 1) * frontend.size);
    row.set(it.features);
    applyStandardScaler(scaler, row);
    y[i] = labels.encode(it.emotion, it.path);
  });
  return { n: items.length, shape: frontend.shape, x, y };
}

export interface ExperimentOptions {
  frontend: Frontend;
  model: ModelName;
  split: Split<PreparedItem>;
  /** Fraction of training speakers held out for early stopping (0 disables validation). */
  validationSize: number;
  augment: AugmentConfig;
  fit: Omit<FitOptions, "nClasses" | "validation" | "fillItem" | "onProgress" | "onEpoch" | "signal">;
  dropout?: number;
  onProgress?: (p: TrainProgress) => void;
  onEpoch?: (log: EpochLog) => void;
  signal?: AbortSignal;
}

export interface ExperimentResult {
  model: tf.LayersModel;
  labels: LabelEncoder;
  scaler: StandardScalerState;
  report: EvaluationReport;
  reportText: string;
  fit: FitResult;
  protocol: string;
  /** Test items with their predicted label and probabilities (misclassified ones are worth listening to). */
  predictions: { path: string; speaker: string; truth: string; predicted: string; probabilities: number[]; confidence: number }[];
  /** Temperature scaling fitted on validation speakers, with test-set calibration before/after. */
  calibration?: BundleCalibration;
  trainSpeakers: readonly string[];
  validationSpeakers: readonly string[];
  testSpeakers: readonly string[];
  /** Test items dropped because their emotion never occurs in training. */
  droppedTest: number;
  meta(extra: { createdAt: string; dataset: Record<string, unknown>; training: Record<string, unknown> }): BundleMeta;
}

/**
 * Train on a split's training side and report on its test side. Every statistic (label set,
 * scaler, validation speakers, augmentation) comes from the training side; the test side is
 * touched once, for the final report.
 */
export async function runExperiment(o: ExperimentOptions): Promise<ExperimentResult> {
  const { frontend } = o;
  let train: TrainSet<PreparedItem> = o.split.train;
  let validation: HeldOutSet<PreparedItem> | undefined;
  if (o.validationSize > 0 && train.speakers.length >= 3) {
    const carved = carveValidation(train, { validationSize: o.validationSize, seed: o.fit.seed + 1 });
    train = carved.train;
    validation = carved.validation;
  }
  const labels = fitLabelEncoder(train);
  const scaler = fitStandardScaler(train, frontend.dims);
  const known = (items: readonly PreparedItem[]) => items.filter((i) => labels.classes.includes(i.emotion));
  const testItems = known(o.split.test.items);
  if (testItems.length === 0) throw new SerError("invalid-input", "the test set holds no recording of an emotion seen in training.");
  const trainData = toDataset(train.items, frontend, scaler, labels);
  const valData = validation ? toDataset(known(validation.items), frontend, scaler, labels) : undefined;
  const testData = toDataset(testItems, frontend, scaler, labels);

  const wantsWave = o.augment.enabled.some((a) => a !== "specaugment");
  const wantsSpec = o.augment.enabled.includes("specaugment") && frontend.shape.length === 2;
  const size = frontend.size;
  const fillItem = wantsWave || wantsSpec
    ? (i: number, out: Float32Array, rng: Rng) => {
      const item = train.items[i]!;
      if (wantsWave) {
        const a = augmentWaveform(item.wave, frontend.config.sampleRateHz, frontend.clipSamples, o.augment, rng);
        frontend.extract(a.wave, out, a.offset);
        normalizeClip(frontend, item, out);
        applyStandardScaler(scaler, out);
      } else {
        out.set(trainData.x.subarray(i * size, (i + 1) * size));
      }
      if (wantsSpec && rng.next() < o.augment.probability) {
        specAugment(out, frontend.shape[0]!, frontend.shape[1]!, rng, o.augment.specAugment);
      }
    }
    : undefined;

  const model = createModel(o.model, { inputShape: [...frontend.shape], nClasses: labels.classes.length, seed: o.fit.seed, dropout: o.dropout });
  let fitResult: FitResult;
  try {
    fitResult = await fit(model, trainData, {
      ...o.fit,
      nClasses: labels.classes.length,
      validation: valData,
      fillItem,
      onProgress: o.onProgress,
      onEpoch: o.onEpoch,
      signal: o.signal,
    });
  } catch (e) {
    model.dispose();
    throw e;
  }
  const probs = await predictProbabilities(model, testData);
  const k = labels.classes.length;
  const pred = argmaxRows(probs, k);
  const report = evaluate(testData.y, pred, labels.classes, probs);
  // Temperature scaling on the validation speakers (held out from training, never the test set);
  // the test set only measures how well it transfers. Argmax, hence every metric above, is unchanged.
  let calibration: BundleCalibration | undefined;
  let calibrated: Float32Array | undefined;
  if (valData && valData.n > 0 && validation) {
    const valProbs = await predictProbabilities(model, valData);
    const temperature = fitTemperature(valProbs, valData.y, k);
    calibrated = applyTemperature(probs, k, temperature);
    const scores = (p: Float32Array, bins: boolean): CalibrationScores => {
      const s = calibrationSummary(p, testData.y, k);
      return { ece: s.ece, mce: s.mce, nll: s.nll, brier: s.brier, ...(bins ? { bins: s.bins } : {}) };
    };
    calibration = {
      temperature,
      fittedOn: `validation speakers ${validation.speakers.join(", ")} (${valData.n} clips)`,
      test: { before: scores(probs, true), after: scores(calibrated, true) },
    };
  }
  const norm = frontend.config.normalization === "speaker"
    ? "; features normalised per speaker with each speaker's own unlabelled clips (test speakers included)"
    : frontend.config.normalization === "utterance" ? "; features normalised per utterance" : "";
  const protocol = `${o.split.protocol}; validation for early stopping: ${validation ? `${validation.speakers.length} training speakers (${validation.speakers.join(", ")})` : "none"}${norm}`;
  return {
    model,
    labels,
    scaler,
    report,
    reportText: classificationReport(report),
    fit: fitResult,
    protocol,
    predictions: testItems.map((it, i) => ({
      path: it.path,
      speaker: it.speaker,
      truth: it.emotion,
      predicted: labels.classes[pred[i]!]!,
      probabilities: Array.from(probs.subarray(i * k, (i + 1) * k)),
      confidence: Math.max(...(calibrated ?? probs).subarray(i * k, (i + 1) * k)),
    })),
    calibration,
    trainSpeakers: train.speakers,
    validationSpeakers: validation?.speakers ?? [],
    testSpeakers: o.split.test.speakers,
    droppedTest: o.split.test.items.length - testItems.length,
    meta: (extra) => ({
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_VERSION,
      createdAt: extra.createdAt,
      model: { name: o.model, inputShape: [...frontend.shape], parameters: model.countParams() },
      frontend: frontend.config,
      labels: [...labels.classes],
      scaler,
      training: { ...extra.training, bestEpoch: fitResult.bestEpoch, epochsRun: fitResult.history.length, stoppedEarly: fitResult.stoppedEarly, history: fitResult.history },
      seed: o.fit.seed,
      protocol,
      dataset: {
        ...extra.dataset,
        // Corpora per role, so a later evaluation can tell in-corpus from cross-corpus.
        trainDatasets: [...new Set([...train.items, ...(validation?.items ?? [])].map((i) => i.dataset))].sort(),
        testDatasets: [...new Set(testItems.map((i) => i.dataset))].sort(),
        trainSpeakers: train.speakers,
        validationSpeakers: validation?.speakers ?? [],
        testSpeakers: o.split.test.speakers,
      },
      evaluation: report,
      ...(calibration ? { calibration } : {}),
      ...(frontend.config.normalization === "speaker" ? { normalizationFallback: averageSpeakerStats(train.items, frontend.dims) } : {}),
    }),
  };
}

/** The mean over training speakers of their normalisation statistics (one vote per speaker). */
function averageSpeakerStats(items: readonly PreparedItem[], dims: number): { mean: number[]; scale: number[] } {
  const bySpeaker = new Map<string, NormStats>();
  for (const it of items) if (it.norm) bySpeaker.set(it.speaker, it.norm);
  const mean = new Array<number>(dims).fill(0);
  const scale = new Array<number>(dims).fill(0);
  for (const s of bySpeaker.values()) {
    for (let d = 0; d < dims; d++) {
      mean[d] = mean[d]! + s.mean[d]! / bySpeaker.size;
      scale[d] = scale[d]! + s.scale[d]! / bySpeaker.size;
    }
  }
  return { mean, scale };
}
