/**
 * Cross-validation, the one implementation: `ser cv`, `ser tune` (each trial) and
 * `bench:accuracy` call it. Speakers are dealt into K folds (or one fold per corpus); each fold
 * trains a fresh model with the spec on the other folds' speakers and tests on its own, so
 * every speaker is tested exactly once and never heard in training.
 */
import { leaveOneDatasetOut, type Split, speakerKFold } from "../data/splits.ts";
import { SerError } from "../errors.ts";
import { type Emotion, orderLabels } from "../data/labels.ts";
import type { Frontend } from "../features/frontend.ts";
import type { PreparedItem } from "../ingest/process-recording.ts";
import { evaluate, type EvaluationReport } from "../metrics/metrics.ts";
import type { EpochLog, TrainProgress } from "../train/fit.ts";
import { type ExperimentResult, runExperiment, tested } from "./run-experiment.ts";
import { type TrainingSpec, withFoldSeed } from "../spec/spec.ts";
import { MEETING_PROTOCOLS, type MeetingProtocol } from "./speaker-protocols.ts";

export interface CrossValidationOptions {
  items: readonly PreparedItem[];
  frontend: Frontend;
  spec: TrainingSpec;
  /** "speaker": K folds of speakers (default); "dataset": leave one corpus out. */
  by?: "speaker" | "dataset";
  folds?: number;
  /** Seed that deals speakers into folds (default spec.seed); fold i trains with spec.seed + i. */
  foldSeed?: number;
  /** Fit (and measure) the calibration temperature in each fold (default false). */
  calibrate?: boolean;
  onFoldStart?: (fold: number, folds: number, split: Split<PreparedItem>) => void;
  /** Each fold's full result, before its model is disposed (the bench reads calibration here). */
  onFoldEnd?: (fold: FoldResult, result: ExperimentResult, split: Split<PreparedItem>) => void | Promise<void>;
  onProgress?: (p: TrainProgress) => void;
  onEpoch?: (log: EpochLog) => void;
  signal?: AbortSignal;
}

export interface FoldResult {
  /** 1-based. */
  fold: number;
  protocol: string;
  testSpeakers: readonly string[];
  n: number;
  accuracy: number;
  uar: number;
  macroF1: number;
  epochs: number;
  bestEpoch: number;
  secondsPerEpoch: number;
  samplesPerSecond: number;
  /** The headline (one clip at a time). */
  report: EvaluationReport;
  /** Accuracy, UAR and macro-F1 under every way of meeting the fold's test speakers. */
  protocols: Record<MeetingProtocol, MetricTriple>;
}

export interface MetricTriple {
  accuracy: number;
  uar: number;
  macroF1: number;
}

export interface CrossValidationResult {
  by: "speaker" | "dataset";
  folds: FoldResult[];
  mean: MetricTriple;
  /** Population std over folds. */
  std: MetricTriple;
  /** Every fold's test predictions pooled (summed confusion matrices), one clip at a time. */
  pooled: EvaluationReport;
  /** Mean and std over folds per protocol. */
  protocols: { mean: Record<MeetingProtocol, MetricTriple>; std: Record<MeetingProtocol, MetricTriple> };
  /**
   * One clip at a time, per corpus: every test clip of the corpus pooled over the folds that
   * tested it, UAR over the corpus's own classes (each clip chose among them). Leaving one corpus
   * out, this is each corpus heard by a model that never heard it.
   */
  oneClipByCorpus: Record<string, CorpusScore>;
  /** Set when cancelled part-way: the folds finished so far. */
  cancelled: boolean;
}

export interface CorpusScore {
  uar: number;
  accuracy: number;
  clips: number;
  classes: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

/** The folds a cross-validation would use, with clear errors when the data cannot make them. */
export function crossValidationSplits(items: readonly PreparedItem[], by: "speaker" | "dataset", folds: number, seed: number): Split<PreparedItem>[] {
  if (by === "dataset") {
    const corpora = new Set(items.map((i) => i.dataset));
    if (corpora.size < 2) throw new SerError("invalid-config", `leave-one-corpus-out needs at least 2 corpora; the data holds only ${[...corpora].join(", ")}.`);
    return leaveOneDatasetOut(items);
  }
  const speakers = new Set(items.map((i) => i.speaker)).size;
  if (speakers < folds) throw new SerError("invalid-config", `${folds} folds need at least ${folds} speakers; the data has ${speakers}.`);
  return speakerKFold(items, { folds, seed });
}

export async function crossValidate(o: CrossValidationOptions): Promise<CrossValidationResult> {
  const by = o.by ?? "speaker";
  const splits = crossValidationSplits(o.items, by, o.folds ?? 4, o.foldSeed ?? o.spec.seed);
  const folds: FoldResult[] = [];
  // Emotions, not indices: folds may train on different label sets (--by dataset, --emotions).
  const truth: Emotion[] = [];
  const pred: Emotion[] = [];
  const perCorpus = new Map<string, { truth: Emotion[]; pred: Emotion[] }>();
  for (const [i, split] of splits.entries()) {
    if (o.signal?.aborted) break;
    o.onFoldStart?.(i + 1, splits.length, split);
    const r = tested(await runExperiment({
      frontend: o.frontend,
      spec: withFoldSeed(o.spec, i),
      split,
      calibrate: o.calibrate ?? false,
      onProgress: o.onProgress,
      onEpoch: o.onEpoch,
      signal: o.signal,
    }));
    try {
      if (r.fit.cancelled) break;
      for (const q of r.predictions) {
        truth.push(q.truth as Emotion);
        pred.push(q.predicted as Emotion);
        const d = q.dataset;
        const c = perCorpus.get(d) ?? { truth: [], pred: [] };
        c.truth.push(q.truth as Emotion);
        c.pred.push(q.predicted as Emotion);
        perCorpus.set(d, c);
      }
      const h = r.fit.history;
      const fold: FoldResult = {
        fold: i + 1,
        protocol: split.protocol,
        testSpeakers: split.test.speakers,
        n: r.report.n,
        accuracy: r.report.accuracy,
        uar: r.report.uar,
        macroF1: r.report.macro.f1,
        epochs: h.length,
        bestEpoch: r.fit.bestEpoch,
        secondsPerEpoch: mean(h.map((e) => e.seconds)),
        samplesPerSecond: mean(h.map((e) => e.samplesPerSecond)),
        report: r.report,
        protocols: Object.fromEntries(MEETING_PROTOCOLS.map((k) => [k, { accuracy: r.protocols[k].accuracy, uar: r.protocols[k].uar, macroF1: r.protocols[k].macro.f1 }])) as Record<MeetingProtocol, MetricTriple>,
      };
      folds.push(fold);
      await o.onFoldEnd?.(fold, r, split);
    } finally {
      r.model.dispose();
    }
  }
  if (folds.length === 0) throw new SerError("invalid-input", "cross-validation was cancelled before its first fold finished.");
  const triple = (f: (xs: number[]) => number, of: (r: FoldResult) => MetricTriple = (r) => r): MetricTriple => ({
    accuracy: f(folds.map((r) => of(r).accuracy)),
    uar: f(folds.map((r) => of(r).uar)),
    macroF1: f(folds.map((r) => of(r).macroF1)),
  });
  const per = (f: (xs: number[]) => number) => Object.fromEntries(MEETING_PROTOCOLS.map((k) => [k, triple(f, (r) => r.protocols[k])])) as Record<MeetingProtocol, MetricTriple>;
  const labels = orderLabels([...truth, ...pred]);
  const oneClipByCorpus = Object.fromEntries([...perCorpus].sort(([a], [b]) => a.localeCompare(b)).map(([d, c]): [string, CorpusScore] => {
    // Classes of the corpus (its truth) and any it was mistaken for: rows of the latter are empty and not averaged.
    const l = orderLabels([...c.truth, ...c.pred]);
    const rep = evaluate(c.truth.map((e) => l.indexOf(e)), c.pred.map((e) => l.indexOf(e)), l);
    return [d, { uar: rep.uar, accuracy: rep.accuracy, clips: c.truth.length, classes: new Set(c.truth).size }];
  }));
  return { by, folds, mean: triple(mean), std: triple(std), pooled: evaluate(truth.map((e) => labels.indexOf(e)), pred.map((e) => labels.indexOf(e)), labels), protocols: { mean: per(mean), std: per(std) }, oneClipByCorpus, cancelled: folds.length < splits.length };
}
