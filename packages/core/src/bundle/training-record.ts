/**
 * What ser.json says about how a bundle was trained and on what: typed and versioned, written
 * by runExperiment's `meta()` for every caller alike (CLI, page, bench). Bundles written before
 * version 2 carry a free-form object; they still load (`isTrainingRecord` tells them apart).
 */
import type { EpochLog } from "../train/fit.ts";
import type { SplitSpec } from "../spec/split.ts";
import type { TrainingSpec } from "../spec/spec.ts";

export const TRAINING_RECORD_VERSION = 2;

export interface TrainingRecord {
  version: typeof TRAINING_RECORD_VERSION;
  /** The resolved spec the model was trained with. */
  spec: TrainingSpec;
  split: SplitSpec;
  /** Which program trained it ("cli", "web", "bench", …). */
  from: string;
  backend?: { name: string; adapter?: string };
  bestEpoch: number;
  epochsRun: number;
  stoppedEarly: boolean;
  history: EpochLog[];
}

/** The data side: what was read, and which speakers and corpora played which role. */
export interface DatasetRecord {
  /** The folders, zips or files given. */
  inputs: string[];
  /** Recordings used. */
  files: number;
  speakers: number;
  /** Corpora read, e.g. ["ravdess"]. */
  datasets: string[];
  trainDatasets: string[];
  testDatasets: string[];
  trainSpeakers: readonly string[];
  validationSpeakers: readonly string[];
  testSpeakers: readonly string[];
}

/** ser.json's `training` before version 2: whatever keys its writer chose. */
export type LegacyTrainingRecord = Record<string, unknown> & { version?: undefined };

export function isTrainingRecord(t: TrainingRecord | LegacyTrainingRecord | undefined): t is TrainingRecord {
  return t !== undefined && (t as TrainingRecord).version === TRAINING_RECORD_VERSION;
}
