/**
 * ser.json built from what a training run produced: the one place that lays out a bundle's
 * metadata and its training record (runExperiment calls it; the CLI, the page and the benches
 * save what it returns).
 */
import type { Emotion } from "../data/labels.ts";
import type { StandardScalerState } from "../encode/standard-scaler.ts";
import type { FrontendConfig } from "../features/frontend.ts";
import type { BundleCalibration } from "../metrics/calibration.ts";
import type { EvaluationReport } from "../metrics/metrics.ts";
import type { MeetingProtocol } from "../metrics/protocol-names.ts";
import type { SplitSpec } from "../spec/split.ts";
import type { TrainingSpec } from "../spec/spec.ts";
import type { EpochLog } from "../train/fit.ts";
import { BUNDLE_FORMAT, BUNDLE_VERSION, type BundleMeta } from "./bundle.ts";
import { type DatasetRecord, TRAINING_RECORD_VERSION } from "./training-record.ts";

export interface BundleMetaParts {
  createdAt: string;
  model: BundleMeta["model"];
  frontend: FrontendConfig;
  labels: Emotion[];
  scaler: StandardScalerState;
  spec: TrainingSpec;
  split: SplitSpec;
  /** Which program trained it ("cli", "web", "bench", …). */
  from: string;
  backend?: { name: string; adapter?: string };
  fit: { bestEpoch: number; stoppedEarly: boolean; history: EpochLog[] };
  protocol: string;
  dataset: DatasetRecord;
  evaluation?: EvaluationReport;
  calibration?: BundleCalibration;
  speakerNormalization?: BundleMeta["speakerNormalization"];
  protocols?: Record<MeetingProtocol, EvaluationReport>;
}

export function buildBundleMeta(p: BundleMetaParts): BundleMeta {
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_VERSION,
    createdAt: p.createdAt,
    model: p.model,
    frontend: p.frontend,
    labels: p.labels,
    scaler: p.scaler,
    training: {
      version: TRAINING_RECORD_VERSION,
      spec: p.spec,
      split: p.split,
      from: p.from,
      ...(p.backend ? { backend: p.backend } : {}),
      bestEpoch: p.fit.bestEpoch,
      epochsRun: p.fit.history.length,
      stoppedEarly: p.fit.stoppedEarly,
      history: p.fit.history,
    },
    seed: p.spec.fit.seed,
    protocol: p.protocol,
    dataset: p.dataset,
    ...(p.evaluation ? { evaluation: p.evaluation } : {}),
    ...(p.calibration ? { calibration: p.calibration } : {}),
    ...(p.speakerNormalization ? { speakerNormalization: p.speakerNormalization } : {}),
    ...(p.protocols ? { protocols: p.protocols } : {}),
  };
}
