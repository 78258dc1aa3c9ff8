import { type AugmentationName, DEFAULT_AUGMENT } from "../augment/augment.ts";
import { speakerKFold } from "../data/splits.ts";
import { SerError } from "../errors.ts";
import type { ModelName } from "../models/models.ts";
import { createRng, type Rng } from "../rng.ts";
import { MODEL_FEATURES } from "./defaults.ts";
import { runExperiment } from "./experiment.ts";
import { createFrontend, type Frontend, type FrontendConfig } from "./frontend.ts";
import type { PreparedItem } from "./prepare-item.ts";

/** One point of the search space, in the CLI's own flag names so it can be replayed with `ser train --config`. */
export interface TrialConfig {
  model: ModelName;
  features: "mfcc" | "logmel" | "stats";
  "n-mfcc": number;
  normalize: "none" | "utterance" | "speaker";
  lr: number;
  "batch-size": number;
  dropout: number;
  augment: string;
}

export interface SearchSpace {
  models: ModelName[];
  lr: [number, number];
  batchSizes: number[];
  dropout: [number, number];
  augmentSets: string[];
  nMfcc: number[];
  normalize: TrialConfig["normalize"][];
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
    "n-mfcc": pick(space.nMfcc),
    normalize: pick(space.normalize),
    lr: Number(logUniform(space.lr).toPrecision(3)),
    "batch-size": pick(space.batchSizes),
    dropout: Number((space.dropout[0] + (space.dropout[1] - space.dropout[0]) * rng.next()).toFixed(2)),
    augment: pick(space.augmentSets),
  };
}

export interface TrialResult {
  id: number;
  config: TrialConfig;
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
  /** Front-end config -> prepared, normalised corpus (the caller caches and does the I/O). */
  loadItems(frontend: FrontendConfig): Promise<PreparedItem[]>;
  baseFrontend: FrontendConfig;
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
      const frontendConfig: FrontendConfig = { ...o.baseFrontend, kind: t.config.features, nMfcc: t.config["n-mfcc"], normalization: t.config.normalize };
      const key = JSON.stringify(frontendConfig);
      let corpus = corpora.get(key);
      if (!corpus) {
        corpus = { frontend: createFrontend(frontendConfig), items: await o.loadItems(frontendConfig) };
        corpora.set(key, corpus);
      }
      const folds = speakerKFold(corpus.items, { folds: o.folds, seed: o.seed });
      const t0 = performance.now();
      const foldUar: number[] = [];
      for (const [i, split] of folds.entries()) {
        const r = await runExperiment({
          frontend: corpus.frontend,
          model: t.config.model,
          split,
          validationSize: 0,
          dropout: t.config.dropout,
          augment: { ...DEFAULT_AUGMENT, enabled: t.config.augment === "none" ? [] : t.config.augment.split(",") as AugmentationName[] },
          fit: { epochs, batchSize: t.config["batch-size"], learningRate: t.config.lr, schedule: "cosine", patience: 0, classWeights: false, seed: o.seed + i },
          signal: o.signal,
        });
        foldUar.push(r.report.uar);
        r.model.dispose();
      }
      const mean = foldUar.reduce((a, b) => a + b, 0) / foldUar.length;
      const std = Math.sqrt(foldUar.reduce((a, b) => a + (b - mean) ** 2, 0) / foldUar.length);
      const result: TrialResult = { id: t.id, config: t.config, epochs, rung, foldUar, meanUar: mean, stdUar: std, seconds: (performance.now() - t0) / 1000 };
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
