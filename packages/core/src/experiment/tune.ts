import { SerError } from "../errors.ts";
import type { ModelName } from "../models/model-names.ts";
import { createRng, type Rng } from "../rng.ts";
import type { FeatureView } from "../augment/feature-views.ts";
import { DEFAULT_FRONTEND, type Frontend, type FrontendKind, openFrontend } from "../features/frontend.ts";

const usesMfcc = (kind: FrontendKind) => kind === "mfcc" || kind === "stats" || kind === "byol-s+stats";
import type { Normalization } from "../features/normalize.ts";
import type { PreparedItem } from "../ingest/process-recording.ts";
import { crossValidate } from "./cross-validate.ts";
import { corpusKey, MODEL_FEATURES, resolveTrainingSpec, type TrainingSpec, type TrainingSpecInput } from "../spec/spec.ts";

/** One point of the search space, in core's spec names: `ser train --config` replays it through the same resolveTrainingSpec. */
export type TrialConfig = Required<Pick<TrainingSpecInput, "model" | "features" | "nMfcc" | "normalize" | "learningRate" | "batchSize" | "dropout" | "augment">>;

export interface SearchSpace {
  models: ModelName[];
  lr: [number, number];
  batchSizes: number[];
  dropout: [number, number];
  augmentSets: string[];
  nMfcc: number[];
  normalize: Normalization[];
}

export const DEFAULT_SEARCH_SPACE: SearchSpace = {
  models: ["mlp"],
  lr: [2e-4, 3e-3],
  batchSizes: [16, 32, 64],
  dropout: [0.1, 0.6],
  augmentSets: ["none", "noise,gain", "noise,gain,shift", "noise,gain,shift,specaugment"],
  nMfcc: [20, 40],
  normalize: ["speaker", "none"],
};

export function sampleTrial(space: SearchSpace, rng: Rng): TrialConfig {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
  const model = pick(space.models);
  const logUniform = ([a, b]: [number, number]) => Math.exp(Math.log(a) + (Math.log(b) - Math.log(a)) * rng.next());
  const features = MODEL_FEATURES[model];
  return {
    model,
    features,
    // Only front ends built on MFCCs have a coefficient count to search (an encoder's does not).
    nMfcc: usesMfcc(features) ? pick(space.nMfcc) : DEFAULT_FRONTEND.nMfcc,
    normalize: pick(space.normalize),
    learningRate: Number(logUniform(space.lr).toPrecision(3)),
    batchSize: pick(space.batchSizes),
    dropout: Number((space.dropout[0] + (space.dropout[1] - space.dropout[0]) * rng.next()).toFixed(2)),
    augment: pick(space.augmentSets),
  };
}

export interface TrialResult {
  id: number;
  config: TrialConfig;
  /** What the trial's last rung trained with, as spec input: replaying it (`ser train --config`) resolves to `spec`. */
  input: TrainingSpecInput;
  /** The resolved spec every fold of the last rung was trained with (fold i with seed + i). */
  spec: TrainingSpec;
  /** Epochs each fold trained in the last rung this trial reached. */
  epochs: number;
  /** Successive-halving rung reached (0-based); random search uses rung 0 only. */
  rung: number;
  foldUar: number[];
  meanUar: number;
  stdUar: number;
  seconds: number;
}

export interface TuneOptions {
  /** A built front end -> the prepared corpus with its features (the caller does the I/O). */
  /** The corpus with `frontend`'s features and the training views every trial of that front end uses. */
  loadItems(frontend: Frontend, views: readonly FeatureView[]): Promise<PreparedItem[]>;
  /** Settings every trial shares (the caller's own, e.g. clip duration or sample rate). */
  base?: TrainingSpecInput;
  space: SearchSpace;
  trials: number;
  folds: number;
  seed: number;
  search: "random" | "halving";
  /** Epochs of a full-budget trial (the last rung of successive halving). */
  maxEpochs: number;
  /** Wall-clock budget: no new trial starts once it is spent. */
  budgetMs: number;
  onTrial?: (r: TrialResult, done: number, planned: number) => void;
  signal?: AbortSignal;
}

/**
 * What a trial trains with at a rung: its configuration, the rung's epochs, no early stopping
 * on the scoring speakers (fixed epochs), and the search's seed.
 */
export function trialSpecInput(config: TrialConfig, epochs: number, seed: number, base: TrainingSpecInput = {}): TrainingSpecInput {
  return { ...base, ...config, epochs, patience: 0, seed };
}

/**
 * Hyperparameter search scored on speaker-independent folds: every trial is trained K times,
 * each time on K-1 folds of speakers and scored (UAR) on the speakers of the remaining fold, the
 * same folds for every trial. Nothing inside a fold sees its scoring speakers: no validation
 * carve, no early stopping, fixed epochs per rung. Successive halving (Jamieson & Talwalkar
 * 2016; the rungs of Li et al.'s Hyperband) trains all trials briefly, keeps the best third,
 * trains those three times longer, and so on up to `maxEpochs`.
 * The scores choose a configuration; they are not a test result for it (selection bias), so
 * report the chosen configuration on speakers the search never used.
 */
export async function runTune(o: TuneOptions): Promise<TrialResult[]> {
  if (!(o.trials >= 1)) throw new SerError("invalid-config", `tune needs at least 1 trial, got ${o.trials}.`);
  const rng = createRng(o.seed);
  const configs = Array.from({ length: o.trials }, () => sampleTrial(o.space, rng));
  const rungEpochs: number[] = [];
  if (o.search === "halving") {
    for (let e = o.maxEpochs, n = o.trials; ; e = Math.max(1, Math.round(e / 3)), n = Math.ceil(n / 3)) {
      rungEpochs.unshift(e);
      if (n <= 1 || e <= 1) break;
    }
  } else rungEpochs.push(o.maxEpochs);
  const started = performance.now();
  const corpora = new Map<string, { frontend: Frontend; items: PreparedItem[] }>();
  const results = new Map<number, TrialResult>();
  let alive = configs.map((config, id) => ({ id, config }));
  const planned = rungEpochs.reduce((s, _, r) => s + Math.max(1, Math.ceil(o.trials / 3 ** r)), 0);
  let done = 0;
  for (const [rung, epochs] of rungEpochs.entries()) {
    const scored: TrialResult[] = [];
    for (const t of alive) {
      if (o.signal?.aborted || performance.now() - started > o.budgetMs) break;
      const input = trialSpecInput(t.config, epochs, o.seed, o.base);
      const spec = resolveTrainingSpec(input);
      const key = corpusKey(spec);
      let corpus = corpora.get(key);
      if (!corpus) {
        const frontend = await openFrontend(spec.frontend);
        corpus = { frontend, items: await o.loadItems(frontend, spec.views) };
        corpora.set(key, corpus);
      }
      const t0 = performance.now();
      let cv;
      try {
        cv = await crossValidate({ items: corpus.items, frontend: corpus.frontend, spec, folds: o.folds, foldSeed: o.seed, signal: o.signal });
      } catch (e) {
        if (o.signal?.aborted) break;
        throw e;
      }
      if (cv.cancelled) break;
      const foldUar = cv.folds.map((f) => f.uar);
      const mean = foldUar.reduce((a, b) => a + b, 0) / foldUar.length;
      const std = Math.sqrt(foldUar.reduce((a, b) => a + (b - mean) ** 2, 0) / foldUar.length);
      const result: TrialResult = { id: t.id, config: t.config, input, spec, epochs, rung, foldUar, meanUar: mean, stdUar: std, seconds: (performance.now() - t0) / 1000 };
      results.set(t.id, result);
      scored.push(result);
      o.onTrial?.(result, ++done, planned);
    }
    if (scored.length < alive.length) break; // budget spent or cancelled mid-rung
    scored.sort((a, b) => b.meanUar - a.meanUar || a.id - b.id);
    alive = scored.slice(0, Math.max(1, Math.ceil(scored.length / 3))).map((r) => ({ id: r.id, config: r.config }));
  }
  return leaderboard([...results.values()]);
}

/** Best first: trials that reached a later rung (more epochs) rank above those cut earlier. */
export function leaderboard(results: TrialResult[]): TrialResult[] {
  return [...results].sort((a, b) => b.rung - a.rung || b.meanUar - a.meanUar || a.id - b.id);
}
