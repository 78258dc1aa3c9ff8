import { SerError } from "../errors.ts";
import { createRng, type Rng } from "../rng.ts";
import type { Gender } from "./corpus.ts";
import type { Emotion } from "./labels.ts";

/** What a split needs to know about an item. */
export interface Splittable {
  speaker: string;
  /** False when the speaker is unknown (see NameInfo.speakerKnown). */
  speakerKnown?: false;
  emotion: Emotion;
  gender: Gender;
  dataset: string;
}

/**
 * The training side of a split. Only the functions in this file create one, and anything
 * fitted to data (scalers, encoders, augmentation statistics) accepts nothing else: test data
 * cannot reach a fit by construction. `assertTrainSet` also checks at run time, so a
 * hand-built object with role "train" is refused.
 */
export interface TrainSet<T> {
  readonly role: "train";
  readonly items: readonly T[];
  readonly speakers: readonly string[];
}

/** The held-out side: test (or validation) data, usable for evaluation only. */
export interface HeldOutSet<T> {
  readonly role: "test" | "validation";
  readonly items: readonly T[];
  readonly speakers: readonly string[];
}

export interface Split<T> {
  readonly train: TrainSet<T>;
  readonly test: HeldOutSet<T>;
  /** One sentence saying how the split was made (goes into reports). */
  readonly protocol: string;
  /** True when no speaker appears on both sides. */
  readonly speakerIndependent: boolean;
}

const issued = new WeakSet<object>();

function trainSet<T extends Splittable>(items: T[]): TrainSet<T> {
  const set: TrainSet<T> = Object.freeze({ role: "train", items: Object.freeze(items), speakers: speakersOf(items) });
  issued.add(set);
  return set;
}

function heldOut<T extends Splittable>(items: T[], role: "test" | "validation" = "test"): HeldOutSet<T> {
  return Object.freeze({ role, items: Object.freeze(items), speakers: speakersOf(items) });
}

function speakersOf(items: readonly Splittable[]): string[] {
  return [...new Set(items.map((i) => i.speaker))].sort();
}

/** Throws unless `set` is a training set issued by a split function. */
export function assertTrainSet<T>(set: TrainSet<T>, what = "fit"): void {
  if (!issued.has(set) || set.role !== "train") {
    throw new SerError("invalid-input", `${what} accepts only the training side of a split; it was given ${
      (set as { role?: string })?.role ? `the ${(set as { role: string }).role} side` : "data that did not come from a split"
    }.`);
  }
}

function requireItems(items: readonly Splittable[], what: string): void {
  if (items.length === 0) throw new SerError("invalid-input", `${what}: there are no items to split.`);
}

function checkFraction(testSize: number): void {
  if (!(testSize > 0 && testSize < 1)) throw new SerError("invalid-config", `test size must be between 0 and 1, got ${testSize}.`);
}

/**
 * Clip-level split, stratified by emotion. Speakers appear on both sides, so scores are NOT
 * speaker-independent; the protocol text says so.
 */
export function stratifiedSplit<T extends Splittable>(items: readonly T[], options: { testSize: number; seed: number }): Split<T> {
  requireItems(items, "stratified split");
  checkFraction(options.testSize);
  const rng = createRng(options.seed);
  const train: T[] = [];
  const test: T[] = [];
  const byEmotion = groupBy(items, (i) => i.emotion);
  for (const key of [...byEmotion.keys()].sort()) {
    const group = rng.shuffle([...byEmotion.get(key)!]);
    const k = Math.round(group.length * options.testSize);
    test.push(...group.slice(0, k));
    train.push(...group.slice(k));
  }
  return {
    train: trainSet(train),
    test: heldOut(test),
    protocol: `random clip-level split stratified by emotion (test size ${options.testSize}, seed ${options.seed}); speakers overlap, so this is NOT speaker-independent`,
    speakerIndependent: false,
  };
}

export interface SpeakerSplitOptions {
  /** Fraction of speakers held out (default 0.25). Ignored when testSpeakers is given. */
  testSize?: number;
  /** Exact speakers to hold out ("ravdess-03" or, within one dataset, "03"). */
  testSpeakers?: readonly string[];
  seed: number;
}

/**
 * Speaker-independent split: no speaker on both sides. Test speakers are drawn per gender in
 * turn so both genders are held out where possible; among 64 seeded draws the one whose test
 * emotion mix and size are closest to the whole corpus is kept.
 */
/** Speaker-independent splits need every item's speaker: refuses items whose speaker is unknown. */
export function requireSpeakers(items: readonly Splittable[], what: string): void {
  const unknown = items.filter((i) => i.speakerKnown === false).length;
  if (unknown > 0) {
    throw new SerError("invalid-input", `a ${what} needs every recording's speaker, and ${unknown} of ${items.length} have none (folder-per-label data: give a speaker pattern or a manifest with a speaker column). Without speakers only a random split of clips is possible, and it is not speaker-independent.`);
  }
}

export function speakerSplit<T extends Splittable>(items: readonly T[], options: SpeakerSplitOptions): Split<T> {
  requireItems(items, "speaker split");
  requireSpeakers(items, "speaker split");
  const all = speakersOf(items);
  let chosen: Set<string>;
  let how: string;
  if (options.testSpeakers && options.testSpeakers.length > 0) {
    chosen = new Set(options.testSpeakers.map((s) => resolveSpeaker(s, all)));
    how = `held-out speakers ${[...chosen].join(", ")}`;
  } else {
    const testSize = options.testSize ?? 0.25;
    checkFraction(testSize);
    if (all.length < 2) {
      throw new SerError("invalid-input", `a speaker-independent split needs at least 2 speakers, found ${all.length} (${all.join(", ")}).`);
    }
    chosen = drawBalancedSpeakers(items, all, testSize, createRng(options.seed));
    how = `${chosen.size} of ${all.length} speakers held out (test size ${testSize}, seed ${options.seed}): ${[...chosen].join(", ")}`;
  }
  if (chosen.size === all.length) throw new SerError("invalid-input", "every speaker is in the test set; none is left to train on.");
  return {
    train: trainSet(items.filter((i) => !chosen.has(i.speaker))),
    test: heldOut(items.filter((i) => chosen.has(i.speaker))),
    protocol: `speaker-independent split: ${how}`,
    speakerIndependent: true,
  };
}

function resolveSpeaker(name: string, all: readonly string[]): string {
  if (all.includes(name)) return name;
  const matches = all.filter((s) => s.endsWith(`-${name}`) || s.endsWith(`-${name.padStart(2, "0")}`));
  if (matches.length === 1) return matches[0]!;
  throw new SerError(
    "invalid-input",
    matches.length > 1
      ? `speaker '${name}' is ambiguous: ${matches.join(", ")}.`
      : `speaker '${name}' is not in the corpus; speakers are ${all.join(", ")}.`,
  );
}

function drawBalancedSpeakers(items: readonly Splittable[], all: string[], testSize: number, rng: Rng): Set<string> {
  const k = Math.min(all.length - 1, Math.max(1, Math.round(all.length * testSize)));
  const genderOf = new Map(items.map((i) => [i.speaker, i.gender]));
  const overall = emotionShares(items);
  let best: { set: Set<string>; score: number } | undefined;
  for (let draw = 0; draw < 64; draw++) {
    const groups = (["female", "male", "unknown"] as const)
      .map((g) => rng.shuffle(all.filter((s) => genderOf.get(s) === g)))
      .filter((g) => g.length > 0);
    const set = new Set<string>();
    // Take from the group with the most speakers left, so genders alternate and stay balanced.
    while (set.size < k) {
      groups.sort((a, b) => b.length - a.length);
      set.add(groups[0]!.shift()!);
    }
    const test = items.filter((i) => set.has(i.speaker));
    const shares = emotionShares(test);
    let score = Math.abs(test.length / items.length - testSize);
    for (const [e, p] of overall) score += Math.abs((shares.get(e) ?? 0) - p);
    if (best === undefined || score < best.score - 1e-12) best = { set, score };
  }
  return new Set([...best!.set].sort());
}

function emotionShares(items: readonly Splittable[]): Map<Emotion, number> {
  const m = new Map<Emotion, number>();
  for (const i of items) m.set(i.emotion, (m.get(i.emotion) ?? 0) + 1 / items.length);
  return m;
}

/** Speaker-independent K-fold: each speaker is tested exactly once; genders are dealt evenly over folds. */
export function speakerKFold<T extends Splittable>(items: readonly T[], options: { folds: number; seed: number }): Split<T>[] {
  requireItems(items, "speaker k-fold");
  requireSpeakers(items, "speaker k-fold");
  const all = speakersOf(items);
  const k = options.folds;
  if (!Number.isInteger(k) || k < 2) throw new SerError("invalid-config", `folds must be an integer >= 2, got ${k}.`);
  if (k > all.length) throw new SerError("invalid-input", `${k} folds need at least ${k} speakers, found ${all.length}.`);
  const rng = createRng(options.seed);
  const genderOf = new Map(items.map((i) => [i.speaker, i.gender]));
  const foldOf = new Map<string, number>();
  let next = 0;
  for (const g of ["female", "male", "unknown"] as const) {
    for (const s of rng.shuffle(all.filter((x) => genderOf.get(x) === g))) {
      foldOf.set(s, next);
      next = (next + 1) % k;
    }
  }
  return Array.from({ length: k }, (_, f) => {
    const test = items.filter((i) => foldOf.get(i.speaker) === f);
    return {
      train: trainSet(items.filter((i) => foldOf.get(i.speaker) !== f)),
      test: heldOut(test),
      protocol: `speaker-independent ${k}-fold, fold ${f + 1} (seed ${options.seed}): test speakers ${speakersOf(test).join(", ")}`,
      speakerIndependent: true,
    };
  });
}

/**
 * Every speaker trains the model and none is held out for a test: for a model that ships, whose
 * figures come from cross-validation of the same recipe (speaker folds, corpora left out).
 */
export function trainOnAll<T extends Splittable>(items: readonly T[]): Split<T> {
  requireItems(items, "train on all");
  return {
    train: trainSet([...items]),
    test: heldOut([]),
    protocol: `every one of the ${speakersOf(items).length} speakers trains the model; no test speakers (its accuracy is the same recipe's cross-validation)`,
    speakerIndependent: true,
  };
}

/** Cross-corpus: each dataset in turn is the test set and the others are the training set. */
export function leaveOneDatasetOut<T extends Splittable>(items: readonly T[]): Split<T>[] {
  requireItems(items, "leave-one-dataset-out");
  const datasets = [...new Set(items.map((i) => i.dataset))].sort();
  if (datasets.length < 2) {
    throw new SerError("invalid-input", `leave-one-dataset-out needs at least 2 datasets, found ${datasets.join(", ")}.`);
  }
  return datasets.map((d) => ({
    train: trainSet(items.filter((i) => i.dataset !== d)),
    test: heldOut(items.filter((i) => i.dataset === d)),
    protocol: `cross-corpus: trained on ${datasets.filter((x) => x !== d).join(", ")}, tested on ${d}`,
    speakerIndependent: true,
  }));
}

/** Carves a validation set from training speakers only (for early stopping); the test set is untouched. */
export function carveValidation<T extends Splittable>(
  train: TrainSet<T>,
  options: { validationSize: number; seed: number },
): { train: TrainSet<T>; validation: HeldOutSet<T> } {
  assertTrainSet(train, "carveValidation");
  const inner = speakerSplit(train.items, { testSize: options.validationSize, seed: options.seed });
  return { train: inner.train, validation: heldOut([...inner.test.items], "validation") };
}

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}
