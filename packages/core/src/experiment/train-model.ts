/**
 * A training run from resolved specs to a saved bundle, the one sequence the CLI's `train` and
 * the page's trainer worker both run: build the front end, read the corpus through the caller's
 * reader and worker pool, split, train and report (runExperiment), record ser.json and save the
 * bundle's files. Callers translate their input into the specs, give the reader, and show progress;
 * core's run progress, when given, is fed from every phase.
 */
import type { FeatureView } from "../augment/feature-views.ts";
import { type BundleFiles, type BundleMeta, saveBundle } from "../bundle/bundle.ts";
import type { Split } from "../data/splits.ts";
import { SerError } from "../errors.ts";
import { type Frontend, openFrontend } from "../features/frontend.ts";
import type { PreparedItem } from "../ingest/process-recording.ts";
import type { EpochLog, TrainProgress } from "../train/fit.ts";
import { type ExperimentOptions, type ExperimentResult, runExperiment } from "./run-experiment.ts";
import type { RunProgress } from "./run-progress.ts";
import { needsWaveforms, type TrainingSpec } from "../spec/spec.ts";
import { selectSplit, type SplitSpec } from "../spec/split.ts";

export interface TrainModelOptions<L extends { items: PreparedItem[] }> {
  spec: TrainingSpec;
  split: SplitSpec;
  /** Reads the corpus with this front end (the CLI's Deno pool, the page's Web Worker pool); `onProcessed` counts recordings with features. */
  load(frontend: Frontend, o: { views: readonly FeatureView[]; keepWaves: boolean; onProcessed: (n: number) => void }): Promise<L>;
  /** What ser.json says of where the model was made. */
  bundle: { from: string; backend?: { name: string; adapter?: string }; inputs: string[]; createdAt?: string };
  /** Checkpointing, decided once the split is known (the CLI's --resume fingerprints it). */
  checkpoints?: (split: Split<PreparedItem>) => Promise<ExperimentOptions["checkpoints"]> | ExperimentOptions["checkpoints"];
  /** After reading, before splitting: what was read and how long it took. */
  onLoaded?: (loaded: L, seconds: number) => void | Promise<void>;
  onSplit?: (split: Split<PreparedItem>) => void | Promise<void>;
  /** Core's run progress (run-progress.ts): fed with features, fits, batches, epochs and the outcome. */
  run?: RunProgress;
  /** Recordings the features phase expects (the page's Data step counted them). */
  expectedRecordings?: number;
  onProgress?: (p: TrainProgress) => void;
  onEpoch?: (log: EpochLog, fit: "first" | "refit" | "only") => void;
  onStage?: (message: string) => void;
  signal?: AbortSignal;
}

export interface TrainedModel<L> {
  loaded: L;
  split: Split<PreparedItem>;
  /** The experiment; its model is the caller's to dispose once saved. */
  result: ExperimentResult;
  meta: BundleMeta;
  files: BundleFiles;
  /** Seconds spent reading the corpus and computing features. */
  loadSeconds: number;
}

export async function trainModel<L extends { items: PreparedItem[] }>(o: TrainModelOptions<L>): Promise<TrainedModel<L>> {
  const { spec, run } = o;
  const frontend = await openFrontend(spec.frontend);
  const t0 = performance.now();
  run?.features(0, o.expectedRecordings);
  const loaded = await o.load(frontend, { views: spec.views, keepWaves: needsWaveforms(spec), onProcessed: (n) => run?.features(n, o.expectedRecordings) });
  const loadSeconds = (performance.now() - t0) / 1000;
  await o.onLoaded?.(loaded, loadSeconds);
  if (loaded.items.length === 0) throw new SerError("invalid-input", `no usable recordings in ${o.bundle.inputs.join(", ")}; 'ser info' (or the Data step) says why each was skipped.`);
  const split = selectSplit(loaded.items, o.split);
  await o.onSplit?.(split);
  const checkpoints = await o.checkpoints?.(split);
  let fit: "first" | "refit" | "only" = "only";
  let result: ExperimentResult;
  try {
    result = await runExperiment({
      frontend,
      spec,
      split,
      ...(checkpoints ? { checkpoints } : {}),
      onProgress: (p) => {
        run?.batch(p);
        o.onProgress?.(p);
      },
      onEpoch: (l) => {
        run?.epoch(l);
        o.onEpoch?.(l, fit);
      },
      onStage: o.onStage,
      onFit: (f) => {
        fit = f.name;
        run?.fit(f);
      },
      signal: o.signal,
    });
    run?.finish(result.fit.cancelled ? "stopped" : "done");
  } catch (e) {
    run?.finish("failed");
    throw e;
  }
  try {
    const meta = result.meta({ createdAt: o.bundle.createdAt ?? new Date().toISOString(), split: o.split, from: o.bundle.from, ...(o.bundle.backend ? { backend: o.bundle.backend } : {}), inputs: o.bundle.inputs });
    return { loaded, split, result, meta, files: await saveBundle(result.model, meta), loadSeconds };
  } catch (e) {
    result.model.dispose();
    throw e;
  }
}
