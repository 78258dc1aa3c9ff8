/**
 * The trainer worker: reads the dropped datasets, computes features, splits by speaker, trains
 * on WebGPU and returns the report and the bundle (as zip bytes: a worker cannot start a
 * download). Progress and epochs go back through comlink proxies; cancel keeps the best weights.
 */
import { expose } from "comlink";
import { type BundleCalibration, type Emotion, type Frontend, createFrontend, createParallelCorpusBuilder, DEFAULT_AUGMENT, DEFAULT_FRONTEND, type EvaluationReport, leaveOneDatasetOut, parseAugmentList, parseEmotionList, speakerSplit } from "@ser/core";
import { bundleToZip, DEFAULT_SEARCH_SPACE, type EpochLog, MODEL_FEATURES, type ModelName, type PreparedItem, runExperiment, runTune, saveBundle, selectBackend, TRAIN_DEFAULTS, trainingDefaults, type TrainProgress, type TrialResult } from "@ser/core/ml";
import { createFeaturePool } from "./feature-pool.ts";
import { type InputFile, readFiles } from "./read-files.ts";

export interface TrainRequest {
  inputs: InputFile[];
  model: ModelName;
  epochs: number;
  seed: number;
  testSize: number;
  /** Cross-corpus: test on this dataset, train on the others (instead of held-out speakers). */
  testDataset?: string;
  /** Front end other than the model's default (mfcc or logmel for sequence models). */
  features?: "mfcc" | "logmel" | "stats";
  batchSize?: number;
  learningRate?: number;
  /** Comma-separated augmentation list, as the CLI's --augment. */
  augment?: string;
  /** Comma-separated emotions to keep, as the CLI's --emotions. */
  emotions?: string;
  nMfcc?: number;
  normalize?: "speaker" | "utterance" | "none";
  /** Pitch and level statistics in the pooled stats (default on; ignored by sequence front ends). */
  prosody?: boolean;
  dropout?: number;
  /** Feature workers (default one per core, at most 8); the ingestion benchmark compares 1 with the default. */
  workers?: number;
}

export interface TrainResult {
  report: EvaluationReport;
  protocol: string;
  testSpeakers: string[];
  predictions: { path: string; truth: string; predicted: string; confidence: number }[];
  bundleZip: Uint8Array;
  history: EpochLog[];
  calibration?: BundleCalibration;
  trainSpeakers: string[];
  validationSpeakers: string[];
  parameters: number;
  backend: string;
  createdAt: string;
  /** Feature workers used and seconds spent reading and computing features. */
  ingest: { workers: number; seconds: number; recordings: number };
}


/**
 * Reads the dropped inputs into prepared items: this worker reads the zips while a pool of
 * feature workers (one per core) decodes and computes features.
 */
async function loadCorpus(inputs: InputFile[], frontend: Frontend, keep: Emotion[] | undefined, onStatus: (s: string) => void, workers?: number): Promise<{ items: PreparedItem[]; workersUsed: number }> {
  const pool = createFeaturePool(frontend.config, workers);
  try {
    const builder = createParallelCorpusBuilder(frontend, { labels: keep ? { keep } : {} }, pool.process);
    let accepted = 0;
    await readFiles(inputs, async (e) => {
      if (e.kind === "skip") return builder.skip(e.path, e.reason);
      void builder.accept(e.path, e.bytes).then(() => {
        if (++accepted % 25 === 0) onStatus(`Computing features in ${pool.size} workers: ${accepted} recording(s)…`);
      });
      // A few files per worker in flight; reading resumes as soon as one is done.
      await builder.room(pool.size * 4);
    }, (done, total) => onStatus(`Reading ${done}/${total} input(s); features in ${pool.size} workers…`));
    const { items } = await builder.finish(); // waits for every accepted file
    return { items, workersUsed: pool.size };
  } finally {
    pool.close();
  }
}

export interface TuneRequest {
  inputs: InputFile[];
  trials: number;
  epochs: number;
  folds: number;
  budgetMinutes: number;
  seed: number;
  emotions?: string;
}

const ready = selectBackend("auto");
let controller: AbortController | undefined;

const api = {
  init: () => ready,
  cancel(): void {
    controller?.abort();
  },
  /** ser tune in the page: successive halving on speaker folds; each finished trial goes to onTrial. */
  async tune(r: TuneRequest, onTrial: (t: TrialResult, done: number, planned: number) => void, onStatus: (s: string) => void): Promise<TrialResult[]> {
    await ready;
    const keep = r.emotions?.trim() ? parseEmotionList(r.emotions) : undefined;
    controller = new AbortController();
    return runTune({
      loadItems: async (config) => {
        onStatus(`Computing ${config.kind} features (${config.nMfcc} MFCC, normalise ${config.normalization})…`);
        const { items } = await loadCorpus(r.inputs, createFrontend(config), keep, onStatus);
        const speakers = new Set(items.map((i) => i.speaker)).size;
        if (speakers < r.folds) throw new Error(`${r.folds} folds need at least ${r.folds} speakers; the data has ${speakers}.`);
        onStatus(`Searching: ${items.length} recordings, ${speakers} speakers, ${r.folds} folds…`);
        return items;
      },
      baseFrontend: DEFAULT_FRONTEND,
      space: DEFAULT_SEARCH_SPACE,
      trials: r.trials,
      folds: r.folds,
      seed: r.seed,
      search: "halving",
      maxEpochs: r.epochs,
      budgetMs: r.budgetMinutes * 60_000,
      onTrial,
      signal: controller.signal,
    });
  },
  async train(r: TrainRequest, onProgress: (p: TrainProgress) => void, onEpoch: (l: EpochLog) => void, onStatus: (s: string) => void): Promise<TrainResult> {
    const backend = await ready;
    const kind = r.features ?? MODEL_FEATURES[r.model];
    if ((r.model === "mlp") !== (kind === "stats")) throw new Error(`model ${r.model} cannot take ${kind} features: mlp takes pooled stats, the others MFCC or log-mel.`);
    const normalization = r.normalize ?? TRAIN_DEFAULTS.normalize;
    if (normalization === "utterance" && kind === "stats") throw new Error("per-recording normalisation needs feature sequences; the mlp uses pooled stats (choose per speaker or none).");
    const frontend = createFrontend({ ...DEFAULT_FRONTEND, kind, normalization, nMfcc: r.nMfcc ?? DEFAULT_FRONTEND.nMfcc, prosody: kind === "stats" && (r.prosody ?? true) });
    const d = trainingDefaults(r.model);
    const enabled = parseAugmentList(r.augment ?? d.augment);
    const keep = r.emotions?.trim() ? parseEmotionList(r.emotions) : undefined;
    const t0 = performance.now();
    const { items, workersUsed } = await loadCorpus(r.inputs, frontend, keep, onStatus, r.workers);
    const ingestSeconds = (performance.now() - t0) / 1000;
    if (items.length === 0) throw new Error("no usable recordings in the dropped files.");
    let split;
    if (r.testDataset) {
      split = leaveOneDatasetOut(items).find((s) => s.test.items[0]?.dataset === r.testDataset);
      if (!split) throw new Error(`no recordings of ${r.testDataset} among the usable files.`);
    } else split = speakerSplit(items, { testSize: r.testSize, seed: r.seed });
    onStatus(`Training on ${split.train.items.length} recordings; testing on ${split.test.speakers.length} unseen speakers${r.testDataset ? ` of ${r.testDataset}` : ""}…`);
    controller = new AbortController();
    const augment = { ...DEFAULT_AUGMENT, enabled };
    const fit = { epochs: r.epochs, batchSize: r.batchSize ?? d.batchSize, learningRate: r.learningRate ?? d.lr, schedule: "cosine" as const, patience: d.patience, classWeights: false, l2: d.l2, seed: r.seed };
    const result = await runExperiment({ frontend, model: r.model, split, validationSize: d.validationSize, refit: d.refit, dropout: r.dropout, augment, fit, onProgress, onEpoch, onStage: (m) => onStatus(`Training the ${m}…`), signal: controller.signal });
    onStatus(`Features for ${items.length} recordings took ${ingestSeconds.toFixed(1)} s; training done.`);
    const meta = result.meta({
      createdAt: new Date().toISOString(),
      dataset: { inputs: r.inputs.map((i) => i.path), files: items.length },
      training: { ...fit, model: r.model, validationSize: d.validationSize, refit: d.refit, augment, backend: backend.backend, adapter: backend.adapter, split: r.testDataset ? "dataset" : "actor", testDataset: r.testDataset, testSize: r.testSize, from: "web" },
    });
    const bundleZip = bundleToZip(await saveBundle(result.model, meta));
    result.model.dispose();
    return {
      report: result.report,
      protocol: result.protocol,
      testSpeakers: [...result.testSpeakers],
      predictions: result.predictions.map((p) => ({ path: p.path, truth: p.truth, predicted: p.predicted, confidence: p.confidence })),
      bundleZip,
      history: result.fit.history,
      calibration: result.calibration,
      trainSpeakers: [...result.trainSpeakers],
      validationSpeakers: [...result.validationSpeakers],
      parameters: meta.model.parameters,
      backend: `${backend.backend}${backend.adapter ? ` (${backend.adapter})` : ""}`,
      createdAt: meta.createdAt,
      ingest: { workers: workersUsed, seconds: ingestSeconds, recordings: items.length },
    };
  },
};

export type TrainerApi = typeof api;
expose(api);
