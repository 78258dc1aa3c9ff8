import assert from "node:assert/strict";
import {
  assertTrainSet,
  carveValidation,
  leaveOneDatasetOut,
  speakerKFold,
  speakerSplit,
  type Splittable,
  stratifiedSplit,
  type TrainSet,
} from "./splits.ts";
import { EMOTIONS } from "./labels.ts";

/** A RAVDESS-shaped corpus: 12 actors (odd male), 8 emotions, 7 clips each, plus 2 TESS speakers. */
function corpus(): (Splittable & { id: number })[] {
  const items: (Splittable & { id: number })[] = [];
  let id = 0;
  for (let a = 1; a <= 12; a++) {
    for (const emotion of EMOTIONS) {
      for (let r = 0; r < 7; r++) {
        items.push({ id: id++, speaker: `ravdess-${String(a).padStart(2, "0")}`, gender: a % 2 ? "male" : "female", emotion, dataset: "ravdess" });
      }
    }
  }
  for (const s of ["OAF", "YAF"]) {
    for (const emotion of ["angry", "sad"] as const) items.push({ id: id++, speaker: `tess-${s}`, gender: "female", emotion, dataset: "tess" });
  }
  return items;
}

const overlap = (a: readonly string[], b: readonly string[]) => a.filter((s) => b.includes(s));

Deno.test("speaker split: no speaker on both sides, both genders held out, deterministic per seed", () => {
  const items = corpus().filter((i) => i.dataset === "ravdess");
  const s = speakerSplit(items, { testSize: 0.25, seed: 7 });
  assert.equal(s.speakerIndependent, true);
  assert.deepEqual(overlap(s.train.speakers, s.test.speakers), []);
  assert.equal(s.test.speakers.length, 3);
  assert.equal(s.train.items.length + s.test.items.length, items.length);
  const genders = new Set(s.test.items.map((i) => i.gender));
  assert.deepEqual([...genders].sort(), ["female", "male"]);
  assert.deepEqual(speakerSplit(items, { testSize: 0.25, seed: 7 }).test.speakers, s.test.speakers);
  const others = new Set([1, 2, 3, 4, 5].map((seed) => speakerSplit(items, { testSize: 0.25, seed }).test.speakers.join()));
  assert.ok(others.size > 1, "different seeds draw different speakers");
  assert.match(s.protocol, /speaker-independent split: 3 of 12 speakers held out/);
});

Deno.test("speaker split with named test speakers accepts short actor ids and rejects unknown ones", () => {
  const items = corpus().filter((i) => i.dataset === "ravdess");
  const s = speakerSplit(items, { testSpeakers: ["11", "ravdess-12"], seed: 0 });
  assert.deepEqual(s.test.speakers, ["ravdess-11", "ravdess-12"]);
  assert.throws(() => speakerSplit(items, { testSpeakers: ["13"], seed: 0 }), /speaker '13' is not in the corpus/);
});

Deno.test("speaker k-fold tests every speaker exactly once", () => {
  const items = corpus();
  const folds = speakerKFold(items, { folds: 4, seed: 1 });
  assert.equal(folds.length, 4);
  const tested = folds.flatMap((f) => f.test.speakers).sort();
  assert.deepEqual(tested, [...new Set(items.map((i) => i.speaker))].sort());
  for (const f of folds) {
    assert.deepEqual(overlap(f.train.speakers, f.test.speakers), []);
    assert.ok(new Set(f.test.items.map((i) => i.gender)).size === 2, "each fold holds out both genders");
  }
  assert.throws(() => speakerKFold(items, { folds: 1, seed: 1 }), /folds must be an integer >= 2/);
});

Deno.test("stratified split keeps emotion proportions and says it is not speaker-independent", () => {
  const items = corpus().filter((i) => i.dataset === "ravdess");
  const s = stratifiedSplit(items, { testSize: 0.2, seed: 3 });
  for (const e of EMOTIONS) assert.equal(s.test.items.filter((i) => i.emotion === e).length, Math.round(84 * 0.2));
  assert.equal(s.speakerIndependent, false);
  assert.match(s.protocol, /NOT speaker-independent/);
});

Deno.test("leave-one-dataset-out tests each corpus on models trained on the others", () => {
  const splits = leaveOneDatasetOut(corpus());
  assert.deepEqual(splits.map((s) => [...new Set(s.test.items.map((i) => i.dataset))]), [["ravdess"], ["tess"]]);
  assert.match(splits[1]!.protocol, /trained on ravdess, tested on tess/);
  assert.throws(() => leaveOneDatasetOut(corpus().filter((i) => i.dataset === "tess")), /at least 2 datasets/);
});

Deno.test("fits accept only a split's training side: test data cannot reach them", () => {
  const s = speakerSplit(corpus(), { testSize: 0.25, seed: 1 });
  assertTrainSet(s.train);
  assert.throws(() => assertTrainSet(s.test as unknown as TrainSet<Splittable>), /accepts only the training side of a split; it was given the test side/);
  const forged = { role: "train", items: s.test.items, speakers: s.test.speakers } as const;
  assert.throws(() => assertTrainSet(forged), /accepts only the training side/);
  assert.throws(() => (s.train.items as unknown as Splittable[]).push(s.test.items[0]!), TypeError, "split sides are frozen");
  // @ts-expect-error: the type system refuses a held-out set where a training set is required.
  assert.throws(() => assertTrainSet(s.test));
});

Deno.test("validation is carved from training speakers only and leaves the test set alone", () => {
  const s = speakerSplit(corpus().filter((i) => i.dataset === "ravdess"), { testSize: 0.25, seed: 2 });
  const v = carveValidation(s.train, { validationSize: 0.2, seed: 2 });
  assert.deepEqual(overlap(v.validation.speakers, s.test.speakers), []);
  assert.deepEqual(overlap(v.train.speakers, v.validation.speakers), []);
  assert.equal(v.train.items.length + v.validation.items.length, s.train.items.length);
  assertTrainSet(v.train);
});
