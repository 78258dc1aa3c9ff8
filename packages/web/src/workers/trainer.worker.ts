/**
 * The trainer worker: reads the dropped datasets, computes features, splits by speaker, trains
 * on WebGPU and returns the report and the bundle (as zip bytes: a worker cannot start a
 * download). Progress and epochs go back through comlink proxies; cancel keeps the best weights.
 */
import { expose } from "comlink";
import { createRunProgress, type FitStart, type RunProgressView, type EvaluationReport, type FeatureView, type Frontend, type LabellingInput, loadCorpus as loadCorpusWith, openFrontend, resolveLabelling, resolveSplitSpec, voiceMap, resolveTrainingSpec, SpecError, type SpecField, type TrainingSpecInput } from "@ser/core";
import { type BundleCalibration, bundleToZip, type MeetingProtocol, DEFAULT_SEARCH_SPACE, type EpochLog, type PreparedItem, runTune, selectBackend, tested, trainModel, type TrainProgress, type TrialResult } from "@ser/core/ml";
import { createWebFeaturePool } from "./feature-pool.ts";
import { TFJS_WASM_PATHS } from "./tfjs-wasm-paths.ts";
import { type InputFile, readFiles } from "./read-files.ts";
import { type TrainForm, trainFormToSpecInput, trainFormToSplitInput } from "../train-request.ts";

export interface TrainRequest extends TrainForm {
  inputs: InputFile[];
  /** How the Data step read the inputs' labels and speakers (folder per label, speaker pattern, manifest). */
  labelling?: LabellingInput;
  /** Comma-separated emotions to keep, as the CLI's --emotions. */
  emotions?: string;
  /** Feature workers (default one per core, at most 8); the ingestion benchmark compares 1 with the default. */
  workers?: number;
  /** Audio entries the Data step counted (the features phase's total; none with an emotion filter). */
  expectedRecordings?: number;
}

/** The form's labels for spec fields, so errors name what the user sees. */
const FORM_LABELS: Partial<Record<SpecField, string>> = {
  model: "Model", features: "Features", epochs: "Epochs", batchSize: "Batch size", learningRate: "Learning rate",
  augment: "Augmentation", nMfcc: "MFCC coefficients", normalize: "Normalisation", prosody: "Prosody", dropout: "Dropout", seed: "Seed",
};

function resolveForm(input: TrainingSpecInput) {
  try {
    return resolveTrainingSpec(input);
  } catch (e) {
    if (e instanceof SpecError) throw new Error(e.format((f) => FORM_LABELS[f] ?? f));
    throw e;
  }
}

export interface TrainResult {
  /** One clip at a time (the headline). */
  report: EvaluationReport;
  /** Every way of meeting the test speakers: one clip, enrolled, skewed enrolment. */
  protocols: Record<MeetingProtocol, EvaluationReport>;
  protocol: string;
  testSpeakers: string[];
  predictions: { path: string; speaker: string; truth: string; predicted: string; confidence: number; choices: number }[];
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
  /** Stop was pressed: the model has the best weights of the epochs it ran. */
  stopped: boolean;
}


/**
 * Reads the dropped inputs into prepared items: this worker reads the zips while a pool of
 * feature workers (one per core) decodes and computes features (core's loadCorpus).
 */
async function loadCorpus(inputs: InputFile[], frontend: Frontend, o: { views: readonly FeatureView[]; emotions?: string; labelling?: LabellingInput; onStatus: (s: string) => void; workers?: number; keepWaves?: boolean; onProcessed?: (n: number) => void }): Promise<{ items: PreparedItem[]; workersUsed: number }> {
  const { views, emotions, onStatus, workers, keepWaves = true, onProcessed } = o;
  // The Data step's labelling with the Train form's emotions: core resolves both, as the CLI's flags.
  const ingest = resolveLabelling({ ...o.labelling, ...(emotions?.trim() ? { emotions } : {}) });
  const pool = createWebFeaturePool(frontend.config, workers, views);
  try {
    const { items } = await loadCorpusWith(
      (emit) => readFiles(inputs, emit, (done, total) => onStatus(`Reading ${done}/${total} input(s); features in ${pool.size} workers…`)),
      {
        frontend,
        ingest,
        pool,
        views,
        keepWaves,
        // The count goes to the run's progress bars (train) or the search's status line.
        onProcessed: (n) => (onProcessed ? onProcessed(n) : n % 25 === 0 && onStatus(`Computing features in ${pool.size} workers: ${n} recording(s)…`)),
      },
    );
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
  labelling?: LabellingInput;
}

const ready = selectBackend("auto");
let controller: AbortController | undefined;

const api = {
  init: () => ready,
  cancel(): void {
    controller?.abort();
  },
  /**
   * The map of the voices: every recording's features (the default recipe's front end) in two
   * principal components (core's voiceMap), with what each point is.
   */
  async map(inputs: InputFile[], labelling: LabellingInput | undefined, onStatus: (s: string) => void): Promise<{ points: Float32Array; explained: number[]; items: { path: string; dataset: string; speaker: string; emotion: string }[]; features: string }> {
    await ready;
    const spec = resolveTrainingSpec({});
    const frontend = await openFrontend(spec.frontend);
    const { items } = await loadCorpus(inputs, frontend, { views: [], labelling, onStatus, keepWaves: false });
    onStatus(`Projecting ${items.length} recordings…`);
    const m = voiceMap(items, frontend.dims, spec.frontend.normalization, spec.seed);
    return { points: m.points, explained: m.explained, items: items.map(({ path, dataset, speaker, emotion }) => ({ path, dataset, speaker, emotion })), features: frontend.config.kind };
  },
  /** ser tune in the page: successive halving on speaker folds; each finished trial goes to onTrial. */
  async tune(r: TuneRequest, onTrial: (t: TrialResult, done: number, planned: number) => void, onStatus: (s: string) => void): Promise<TrialResult[]> {
    await ready;
    controller = new AbortController();
    return runTune({
      loadItems: async (frontend, views) => {
        const config = frontend.config;
        onStatus(`Computing ${config.kind} features (${config.nMfcc} MFCC, normalise ${config.normalization})…`);
        const { items } = await loadCorpus(r.inputs, frontend, { views, emotions: r.emotions, labelling: r.labelling, onStatus });
        // Too few speakers for the folds: core's crossValidationSplits says so, naming both counts.
        const speakers = new Set(items.map((i) => i.speaker)).size;
        onStatus(`Searching: ${items.length} recordings, ${speakers} speakers, ${r.folds} folds…`);
        return items;
      },
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
  /**
   * Trains on the request's inputs. `onRun` gets core's run progress (features n/N → first model
   * e/E → retrained model e/E, and the time left for the whole run) at most a few times a second.
   */
  async train(r: TrainRequest, onProgress: (p: TrainProgress) => void, onEpoch: (l: EpochLog, fit: FitStart["name"]) => void, onStatus: (s: string) => void, onRun?: (v: RunProgressView) => void): Promise<TrainResult> {
    await ready;
    const run = createRunProgress(() => performance.now());
    let lastRunMs = -Infinity;
    const sendRun = (force = false) => {
      const now = performance.now();
      if (!onRun || (!force && now - lastRunMs < 200)) return;
      lastRunMs = now;
      onRun(run.view());
    };
    const expected = r.emotions?.trim() ? undefined : r.expectedRecordings;
    const spec = resolveForm(trainFormToSpecInput(r));
    // The model is known now: "auto" may prefer WebAssembly for it (a software adapter, or no WebGPU).
    const backend = await selectBackend("auto", { model: spec.model, training: true, wasmPaths: TFJS_WASM_PATHS });
    const splitSpec = resolveSplitSpec(trainFormToSplitInput(r));
    controller = new AbortController();
    // Batches at most ten a second; the run's phases (core's run progress) a few times a second.
    let lastBatchMs = -Infinity;
    let trained;
    try {
      trained = await trainModel({
        spec,
        split: splitSpec,
        load: (frontend, o) => loadCorpus(r.inputs, frontend, { ...o, emotions: r.emotions, labelling: r.labelling, onStatus, workers: r.workers, onProcessed: (n) => {
          o.onProcessed(n);
          sendRun();
        } }),
        bundle: { from: "web", backend: { name: backend.backend, ...(backend.adapter ? { adapter: backend.adapter } : {}) }, inputs: r.inputs.map((i) => i.path) },
        run,
        expectedRecordings: expected,
        onSplit: (split) => onStatus(`Training on ${split.train.items.length} recordings; testing on ${split.test.speakers.length} unseen speakers${r.testDataset ? ` of ${r.testDataset}` : ""}…`),
        onProgress: (p) => {
          const now = performance.now();
          if (now - lastBatchMs >= 100 || p.batch === p.batches) {
            lastBatchMs = now;
            onProgress(p);
          }
          sendRun();
        },
        onEpoch: (l, fit) => {
          onEpoch(l, fit);
          sendRun(true);
        },
        onStage: (m) => {
          onStatus(`Training the ${m}…`);
          sendRun(true);
        },
        signal: controller.signal,
      });
    } finally {
      sendRun(true);
    }
    const { loaded: { items, workersUsed }, meta, files, loadSeconds: ingestSeconds } = trained;
    const result = tested(trained.result);
    onStatus(`Features for ${items.length} recordings took ${ingestSeconds.toFixed(1)} s; training done.`);
    const bundleZip = bundleToZip(files);
    result.model.dispose();
    return {
      report: result.report,
      protocols: result.protocols,
      protocol: result.protocol,
      testSpeakers: [...result.testSpeakers],
      predictions: result.predictions.map((p) => ({ path: p.path, speaker: p.speaker, truth: p.truth, predicted: p.predicted, confidence: p.confidence, choices: p.choices })),
      bundleZip,
      history: result.fit.history,
      calibration: result.calibration,
      trainSpeakers: [...result.trainSpeakers],
      validationSpeakers: [...result.validationSpeakers],
      parameters: meta.model.parameters,
      backend: `${backend.backend}${backend.adapter ? ` (${backend.adapter})` : ""}`,
      createdAt: meta.createdAt,
      ingest: { workers: workersUsed, seconds: ingestSeconds, recordings: items.length },
      stopped: result.fit.cancelled === true,
    };
  },
};

export type TrainerApi = typeof api;
expose(api);
