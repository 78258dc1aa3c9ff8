/**
 * Which split an experiment reports on, as one spec resolved once: the CLI's --split/--test-*
 * flags and the page's "test on" choice both translate into a `SplitSpecInput`.
 */
import { leaveOneDatasetOut, type Split, type Splittable, speakerSplit, stratifiedSplit, trainOnAll } from "../data/splits.ts";
import { SerError } from "../errors.ts";
import { SPLIT_DEFAULTS, TRAIN_DEFAULTS } from "./spec.ts";

export type SplitKind = "speaker" | "dataset" | "random" | "none";

export interface SplitSpecInput {
  /** "speaker" (held-out speakers, default), "dataset" (test on one corpus, train on the others), "random" (clips; not speaker-independent), "none" (every speaker trains; no test). */
  kind?: SplitKind;
  testSize?: number;
  testSpeakers?: string[];
  testDataset?: string;
  seed?: number;
}

export interface SplitSpec {
  kind: SplitKind;
  testSize: number;
  testSpeakers?: string[];
  testDataset?: string;
  seed: number;
}

export type SplitField = keyof SplitSpecInput;

/** An invalid split request; `field` names the input at fault. */
export class SplitError extends SerError {
  readonly field: SplitField;
  constructor(field: SplitField, message: string) {
    super("invalid-config", message);
    this.name = "SplitError";
    this.field = field;
  }
}

export function resolveSplitSpec(input: SplitSpecInput = {}): SplitSpec {
  const kind = input.kind ?? "speaker";
  if (!["speaker", "dataset", "random", "none"].includes(kind)) throw new SplitError("kind", `split must be speaker, dataset, random or none, got '${kind}'.`);
  if (kind === "dataset" && !input.testDataset) throw new SplitError("testDataset", "a dataset split needs the corpus to test on.");
  if (kind !== "dataset" && input.testDataset) throw new SplitError("testDataset", "a test corpus only applies to a dataset split.");
  if (kind !== "speaker" && input.testSpeakers?.length) throw new SplitError("testSpeakers", "test speakers only apply to a speaker split.");
  if (kind === "none" && input.testSize !== undefined) throw new SplitError("testSize", "a test fraction does not apply when no speaker is held out (split none).");
  const testSize = input.testSize ?? SPLIT_DEFAULTS.testSize;
  if (!(testSize >= 0.01 && testSize <= 0.99)) throw new SplitError("testSize", `the test fraction must be from 0.01 to 0.99, got ${testSize}.`);
  return {
    kind,
    testSize,
    ...(input.testSpeakers?.length ? { testSpeakers: input.testSpeakers } : {}),
    ...(input.testDataset ? { testDataset: input.testDataset } : {}),
    seed: input.seed ?? TRAIN_DEFAULTS.seed,
  };
}

/** The split a spec names, on these items. Errors name the field (unknown corpus, unknown speakers). */
export function selectSplit<T extends Splittable>(items: readonly T[], spec: SplitSpec): Split<T> {
  if (spec.kind === "dataset") {
    const present = [...new Set(items.map((i) => i.dataset))].sort();
    const split = present.includes(spec.testDataset as never) ? leaveOneDatasetOut(items).find((s) => s.test.items[0]?.dataset === spec.testDataset) : undefined;
    if (!split) throw new SplitError("testDataset", `'${spec.testDataset}' is not among the corpora read (${present.join(", ")}).`);
    return split;
  }
  if (spec.kind === "random") return stratifiedSplit(items, { testSize: spec.testSize, seed: spec.seed });
  if (spec.kind === "none") return trainOnAll(items);
  try {
    return speakerSplit(items, { testSize: spec.testSize, testSpeakers: spec.testSpeakers, seed: spec.seed });
  } catch (e) {
    if (e instanceof SerError && spec.testSpeakers) throw new SplitError("testSpeakers", e.message);
    throw e;
  }
}
