/**
 * Choosing a setting without choosing it on the speakers it is reported on: nested speaker
 * cross-validation. Each outer fold's test speakers are set aside; every candidate is scored by
 * an inner cross-validation on the outer fold's training speakers only; the best candidate
 * (by the chosen protocol's mean UAR, one clip at a time by default) is retrained on all of
 * them and tested once on the outer fold. The outer scores are therefore honest for the whole
 * procedure "pick among these candidates, then train", not for any one candidate.
 */
import { SerError } from "../errors.ts";
import type { Frontend } from "../features/frontend.ts";
import type { PreparedItem } from "../ingest/process-recording.ts";
import { crossValidate, crossValidationSplits, type MetricTriple } from "./cross-validate.ts";
import { MEETING_PROTOCOLS, type MeetingProtocol } from "../metrics/protocol-names.ts";
import { runExperiment, tested } from "./run-experiment.ts";
import { type TrainingSpec, withFoldSeed } from "../spec/spec.ts";

export interface SelectionCandidate {
  name: string;
  spec: TrainingSpec;
  frontend: Frontend;
  /** The same recordings as every other candidate's, with this candidate's features. */
  items: readonly PreparedItem[];
}

export interface OuterFoldResult {
  fold: number;
  testSpeakers: readonly string[];
  /** Inner-CV mean UAR (criterion protocol) of every candidate, on training speakers only. */
  inner: Record<string, number>;
  chosen: string;
  protocols: Record<MeetingProtocol, MetricTriple>;
}

export interface NestedSelectionResult {
  criterion: MeetingProtocol;
  folds: OuterFoldResult[];
  mean: Record<MeetingProtocol, MetricTriple>;
  std: Record<MeetingProtocol, MetricTriple>;
}

export interface NestedSelectionOptions {
  candidates: readonly SelectionCandidate[];
  folds?: number;
  innerFolds?: number;
  seed: number;
  criterion?: MeetingProtocol;
  onInner?: (outer: number, candidate: string, meanUar: number) => void;
  onOuter?: (r: OuterFoldResult) => void;
  signal?: AbortSignal;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

export async function nestedSelection(o: NestedSelectionOptions): Promise<NestedSelectionResult> {
  if (o.candidates.length === 0) throw new SerError("invalid-config", "nested selection needs at least one candidate.");
  const criterion = o.criterion ?? "one-clip";
  const folds = o.folds ?? 4;
  // Each candidate's outer folds; the speakers must be dealt the same way for all of them.
  const outer = o.candidates.map((c) => crossValidationSplits(c.items, "speaker", folds, o.seed));
  for (const [ci, splits] of outer.entries()) {
    splits.forEach((s, k) => {
      if (s.test.speakers.join() !== outer[0]![k]!.test.speakers.join()) {
        throw new SerError("invalid-config", `candidate '${o.candidates[ci]!.name}' has other speakers than '${o.candidates[0]!.name}'; candidates must share their recordings.`);
      }
    });
  }
  const results: OuterFoldResult[] = [];
  for (let k = 0; k < folds; k++) {
    const inner: Record<string, number> = {};
    for (const [ci, c] of o.candidates.entries()) {
      // Inner models seeded apart from the outer ones (crossValidate adds the inner fold to spec.seed).
      const innerSpec = { ...c.spec, seed: c.spec.seed + 100 * (k + 1) };
      const cv = await crossValidate({ items: outer[ci]![k]!.train.items, frontend: c.frontend, spec: innerSpec, folds: o.innerFolds ?? 3, foldSeed: o.seed + 1 + k, signal: o.signal });
      inner[c.name] = cv.protocols.mean[criterion].uar;
      o.onInner?.(k + 1, c.name, inner[c.name]!);
    }
    const best = o.candidates.reduce((a, c) => (inner[c.name]! > inner[a.name]! ? c : a));
    const bi = o.candidates.indexOf(best);
    const r = tested(await runExperiment({ frontend: best.frontend, spec: withFoldSeed(best.spec, k), split: outer[bi]![k]!, calibrate: false, signal: o.signal }));
    try {
      const fold: OuterFoldResult = {
        fold: k + 1,
        testSpeakers: outer[bi]![k]!.test.speakers,
        inner,
        chosen: best.name,
        protocols: Object.fromEntries(MEETING_PROTOCOLS.map((p) => [p, { accuracy: r.protocols[p].accuracy, uar: r.protocols[p].uar, macroF1: r.protocols[p].macro.f1 }])) as Record<MeetingProtocol, MetricTriple>,
      };
      results.push(fold);
      o.onOuter?.(fold);
    } finally {
      r.model.dispose();
    }
  }
  const agg = (f: (xs: number[]) => number) =>
    Object.fromEntries(MEETING_PROTOCOLS.map((p) => [p, {
      accuracy: f(results.map((r) => r.protocols[p].accuracy)),
      uar: f(results.map((r) => r.protocols[p].uar)),
      macroF1: f(results.map((r) => r.protocols[p].macroF1)),
    }])) as Record<MeetingProtocol, MetricTriple>;
  return { criterion, folds: results, mean: agg(mean), std: agg(std) };
}
