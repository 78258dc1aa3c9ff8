/**
 * The trainer worker: reads the dropped datasets, computes features, splits by speaker, trains
 * on WebGPU and returns the report and the bundle (as zip bytes: a worker cannot start a
 * download). Progress and epochs go back through comlink proxies; cancel keeps the best weights.
 */
import { expose } from "comlink";
import { createFrontend, DEFAULT_AUGMENT, DEFAULT_FRONTEND, type EvaluationReport, parseAugmentList, speakerSplit } from "@ser/core";
import { bundleToZip, createCorpusBuilder, type EpochLog, MODEL_FEATURES, type ModelName, runExperiment, saveBundle, selectBackend, TRAIN_DEFAULTS, type TrainProgress } from "@ser/core/ml";
import { type InputFile, readFiles } from "./read-files.ts";

export interface TrainRequest {
  inputs: InputFile[];
  model: ModelName;
  epochs: number;
  seed: number;
  testSize: number;
}

export interface TrainResult {
  report: EvaluationReport;
  protocol: string;
  testSpeakers: string[];
  predictions: { path: string; truth: string; predicted: string }[];
  bundleZip: Uint8Array;
  history: EpochLog[];
}

const ready = selectBackend("auto");
let controller: AbortController | undefined;

const api = {
  init: () => ready,
  cancel(): void {
    controller?.abort();
  },
  async train(r: TrainRequest, onProgress: (p: TrainProgress) => void, onEpoch: (l: EpochLog) => void, onStatus: (s: string) => void): Promise<TrainResult> {
    const backend = await ready;
    const frontend = createFrontend({ ...DEFAULT_FRONTEND, kind: MODEL_FEATURES[r.model], normalization: TRAIN_DEFAULTS.normalize });
    const builder = createCorpusBuilder(frontend);
    await readFiles(r.inputs, (e) => (e.kind === "skip" ? builder.skip(e.path, e.reason) : builder.accept(e.path, e.bytes)), (done, total) =>
      onStatus(`Reading and computing features: ${done}/${total} file(s)…`));
    const { items } = builder.finish();
    if (items.length === 0) throw new Error("no usable recordings in the dropped files.");
    const split = speakerSplit(items, { testSize: r.testSize, seed: r.seed });
    onStatus(`Training on ${split.train.items.length} recordings; testing on ${split.test.speakers.length} unseen speakers…`);
    controller = new AbortController();
    const augment = { ...DEFAULT_AUGMENT, enabled: parseAugmentList(TRAIN_DEFAULTS.augment) };
    const d = TRAIN_DEFAULTS;
    const fit = { epochs: r.epochs, batchSize: d.batchSize, learningRate: d.lr, schedule: "cosine" as const, patience: d.patience, classWeights: false, seed: r.seed };
    const result = await runExperiment({ frontend, model: r.model, split, validationSize: d.validationSize, augment, fit, onProgress, onEpoch, signal: controller.signal });
    const meta = result.meta({
      createdAt: new Date().toISOString(),
      dataset: { inputs: r.inputs.map((i) => i.path), files: items.length },
      training: { ...fit, model: r.model, validationSize: d.validationSize, augment, backend: backend.backend, adapter: backend.adapter, split: "actor", testSize: r.testSize, from: "web" },
    });
    const bundleZip = bundleToZip(await saveBundle(result.model, meta));
    result.model.dispose();
    return {
      report: result.report,
      protocol: result.protocol,
      testSpeakers: [...result.testSpeakers],
      predictions: result.predictions.map((p) => ({ path: p.path, truth: p.truth, predicted: p.predicted })),
      bundleZip,
      history: result.fit.history,
    };
  },
};

export type TrainerApi = typeof api;
expose(api);
