import assert from "node:assert/strict";
import { createEnrolmentDraw, runExperiment, tested } from "./run-experiment.ts";
import type { FitStart } from "./run-progress.ts";
import { createFrontend, DEFAULT_FRONTEND } from "../features/frontend.ts";
import type { PreparedItem } from "../ingest/process-recording.ts";
import { speakerSplit, trainOnAll } from "../data/splits.ts";
import { resolveTrainingSpec, type TrainingSpecInput } from "../spec/spec.ts";
import { selectBackend } from "../train/backend.ts";
import { createRng } from "../rng.ts";
import type { Emotion } from "../data/labels.ts";

// Pooled-stat vectors whose first values depend on the emotion, plus speaker offsets and noise:
// learnable, but not perfectly, so the two ways of training can be told apart.
const frontend = createFrontend({ ...DEFAULT_FRONTEND, kind: "stats", prosody: false });
const emotions: Emotion[] = ["angry", "happy", "sad", "neutral"];
const rng = createRng(11);
const items: PreparedItem[] = [];
for (let s = 1; s <= 8; s++) {
  for (let k = 0; k < 24; k++) {
    const e = k % emotions.length;
    const features = new Float32Array(frontend.size).map((_, d) => (d < 8 && d % 4 === e ? 1.5 : 0) + 0.3 * s * (d === 9 ? 1 : 0) + (rng.next() - 0.5) * 2);
    items.push({
      dataset: "ravdess", path: `spk${s}/${k}.wav`, speaker: `s${s}`, gender: s % 2 ? "male" : "female", emotion: emotions[e]!,
      emotionCode: String(e), durationS: 1, sampleRateHz: 16000, channelCount: 1, wave: new Float32Array(16), features,
    } as PreparedItem);
  }
}
const split = speakerSplit(items, { testSize: 0.25, seed: 3 });
const spec = (over: TrainingSpecInput) =>
  resolveTrainingSpec({ model: "mlp", features: "stats", prosody: false, normalize: "none", augment: "none", epochs: 4, batchSize: 16, learningRate: 3e-3, patience: 0, l2: 0, refit: false, views: "none", seed: 5, ...over });
const base = { frontend, split };

Deno.test("refit: the first model fits the temperature on the validation speakers, the final one learns from every training speaker", async () => {
  await selectBackend("cpu");
  const stages: string[] = [];
  const fits: FitStart[] = [];
  const r = await runExperiment({ ...base, spec: spec({ validationSize: 0.34, refit: true }), onStage: (m) => stages.push(m), onFit: (f) => fits.push(f) });
  try {
    assert.equal(stages.length, 2);
    // What progress reads: the first model's budget and clips (and the retrained one's clips), then the retrained one's.
    assert.deepEqual(fits, [{ name: "first", epochs: 4, clips: 4 * 24, refitClips: split.train.items.length }, { name: "refit", epochs: 4, clips: split.train.items.length }]);
    assert.match(stages[0]!, /^first model: 4 training speakers, 2 for validation/);
    assert.match(stages[1]!, /^final model: retrained on all 6 training speakers for 4 epochs$/);
    assert.equal(r.firstFit?.history.length, 4);
    assert.equal(r.fit.history.length, 4);
    assert.deepEqual([...r.trainSpeakers].sort(), [...split.train.speakers].sort());
    assert.equal(r.validationSpeakers.length, 2);
    assert.ok(r.validationSpeakers.every((s) => r.trainSpeakers.includes(s)));
    assert.match(r.calibration!.fittedOn, /^validation speakers .* \(48 clips\), predicted by the first model$/);
    assert.match(r.protocol, /fitted the calibration, then the model was retrained on all 6 training speakers for 4 epochs/);
    const meta = r.meta({ createdAt: "", split: { kind: "speaker", testSize: 0.25, seed: 3 }, from: "test", inputs: [] });
    assert.deepEqual(meta.dataset.trainSpeakers, r.trainSpeakers);
    assert.equal(meta.training.version, 2);
    assert.deepEqual(meta.training.spec, spec({ validationSize: 0.34, refit: true }));
  } finally {
    r.model.dispose();
  }
});

for (const refit of [true, false]) {
  Deno.test(`without early stopping or calibration no speaker is held out (refit ${refit}): the same model as without validation`, async () => {
    await selectBackend("cpu");
    const stages: string[] = [];
    const a = await runExperiment({ ...base, spec: spec({ validationSize: 0.34, refit }), calibrate: false, onStage: (m) => stages.push(m) });
    const b = await runExperiment({ ...base, spec: spec({ validationSize: 0 }) });
    try {
      assert.deepEqual(stages, []);
      assert.deepEqual(a.predictions.map((p) => p.probabilities), b.predictions.map((p) => p.probabilities));
      assert.equal(a.calibration, undefined);
      assert.deepEqual(a.validationSpeakers, []);
      assert.match(a.protocol, /no validation speakers/);
    } finally {
      a.model.dispose();
      b.model.dispose();
    }
  });
}

Deno.test("early stopping without calibration: the protocol names only what validation did", async () => {
  await selectBackend("cpu");
  const r = await runExperiment({ ...base, spec: spec({ epochs: 6, patience: 2, validationSize: 0.34 }), calibrate: false });
  try {
    assert.equal(r.calibration, undefined);
    assert.match(r.protocol, /validation for early stopping: 2 training speakers/);
  } finally {
    r.model.dispose();
  }
});

Deno.test("refit with early stopping retrains for the epoch the validation speakers chose", async () => {
  await selectBackend("cpu");
  const r = await runExperiment({ ...base, spec: spec({ epochs: 12, patience: 2, validationSize: 0.34, refit: true }) });
  try {
    assert.ok(r.firstFit!.bestEpoch >= 1 && r.firstFit!.bestEpoch <= 12);
    assert.equal(r.fit.history.length, r.firstFit!.bestEpoch);
    assert.match(r.protocol, new RegExp(`chose the epochs and fitted the calibration, then the model was retrained on all 6 training speakers for ${r.firstFit!.bestEpoch} epochs`));
  } finally {
    r.model.dispose();
  }
});

/** A drawn enrolment set as clip indices: the whole speaker with the clip first, the skewed set calm clips first. */
function drawIndices(all: readonly { speaker: string; emotion: string }[]) {
  const draw = createEnrolmentDraw(all);
  return (i: number, rng: ReturnType<typeof createRng>): number[] => {
    const d = draw(i, rng);
    if (d.kind === "few") return d.clips;
    if (d.kind === "whole") return [i, ...d.group.filter((j) => j !== i)];
    return [...d.calm, ...d.clips];
  };
}

Deno.test("random enrolment draws sets of the clip's own speaker: none, the clip first, up to all, or the skewed protocol's set", async () => {
  const draw = drawIndices(items);
  const r = createRng(9);
  const sizes = new Map<number, number>();
  let skewed = 0;
  for (let t = 0; t < 4000; t++) {
    const i = r.int(items.length);
    const set = draw(i, r);
    assert.ok(set.every((j) => items[j]!.speaker === items[i]!.speaker), "never another speaker's clips");
    assert.equal(new Set(set).size, set.length, "no clip twice");
    const calm = set.filter((j) => items[j]!.emotion === "neutral").length;
    if (set.length > 0 && set[0] !== i) {
      // The skewed set: every neutral clip of the speaker, then one clip each of distinct other emotions.
      skewed++;
      assert.equal(calm, 6);
      const others = set.filter((j) => items[j]!.emotion !== "neutral").map((j) => items[j]!.emotion);
      assert.equal(new Set(others).size, others.length);
    }
    sizes.set(set.length, (sizes.get(set.length) ?? 0) + 1);
  }
  for (const n of [0, 1, 2, 4, 8, 16, 24]) assert.ok((sizes.get(n) ?? 0) > 100, `size ${n} drawn ${sizes.get(n) ?? 0} times`);
  assert.ok(skewed > 400 && skewed < 1000, `skewed ${skewed} of 4000`);
});

Deno.test("training views: a channel the test speakers are heard through is learned from views of it, and items without views are refused", async () => {
  await selectBackend("cpu");
  // The "channel" adds 1.5 to the dims that mark the first emotion: heard through it, every
  // other emotion looks half like the first. The views carry the same channel.
  const channel = (f: Float32Array) => f.map((v, d) => (d < 8 && d % 4 === 0 ? v + 1.5 : v));
  const withViews = items.map((it) => ({ ...it, views: { narrowband: channel(it.features) } }));
  const viewSplit = speakerSplit(withViews, { testSize: 0.25, seed: 3 });
  const heard = { ...viewSplit, test: { ...viewSplit.test, items: viewSplit.test.items.map((it) => ({ ...it, features: channel(it.features) })) } };
  const uar = async (views: string) => {
    const r = await runExperiment({ frontend, split: heard, spec: spec({ views, epochs: 10 }) });
    r.model.dispose();
    return tested(r).report.uar;
  };
  const without = await uar("none");
  const withView = await uar("narrowband");
  assert.ok(withView > without + 0.1, `UAR through the channel: ${withView} with the view, ${without} without`);
  const slower = speakerSplit(items.map((it) => ({ ...it, views: { slower: it.features } })), { testSize: 0.25, seed: 3 });
  await assert.rejects(runExperiment({ frontend, split: slower, spec: spec({ views: "narrowband" }) }), /was loaded without narrowband/, "views are matched by name, not by count");
  await assert.rejects(runExperiment({ ...base, spec: spec({ views: "narrowband" }) }), /training views \(narrowband\) were asked for, but spk\d\/\d+\.wav was loaded without narrowband/);
});

Deno.test("trainOnAll: every speaker trains, nothing is scored, and tested() says so", async () => {
  await selectBackend("cpu");
  await assert.rejects(runExperiment({ frontend, split: trainOnAll(items), spec: spec({ epochs: 2 }) }), /with no test speakers every speaker should train the model, but 2 would only validate it/);
  const r = await runExperiment({ frontend, split: trainOnAll(items), spec: spec({ epochs: 2, refit: true }) });
  try {
    assert.equal(r.report, undefined);
    assert.deepEqual(r.predictions, []);
    assert.deepEqual([...r.trainSpeakers].sort(), [...new Set(items.map((i) => i.speaker))].sort());
    const meta = r.meta({ createdAt: "2026-12-06T00:00:00Z", split: { kind: "none", testSize: 0.25, seed: 1 }, from: "test", inputs: [] });
    assert.equal(meta.evaluation, undefined);
    assert.deepEqual(meta.dataset.testSpeakers, []);
    assert.throws(() => tested(r), /held no speakers out for a test/);
  } finally {
    r.model.dispose();
  }
});

Deno.test("random enrolment draws exactly the sets, with exactly the random numbers, of drawing clips one by one from a copy", async () => {
  const { skewedSet } = await import("./speaker-protocols.ts");
  // The straightforward rule, as it was written before the draws stopped copying a speaker's clips.
  const reference = (all: readonly { speaker: string; emotion: string }[]) => (i: number, rng: ReturnType<typeof createRng>): number[] => {
    const idx = all.flatMap((it, j) => (it.speaker === all[i]!.speaker ? [j] : []));
    if (rng.next() < 0.2) return skewedSet(idx, (j) => all[j]!.emotion, rng);
    const size = Math.min(idx.length, [0, 1, 1, 2, 4, 8, 16, Infinity][rng.int(8)]!);
    const pool = idx.filter((j) => j !== i);
    const set = size === 0 ? [] : [i];
    while (set.length < size && pool.length > 0) set.push(pool.splice(rng.int(pool.length), 1)[0]!);
    return set;
  };
  const emotions = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"];
  const r0 = createRng(3);
  const many = Array.from({ length: 600 }, () => ({ speaker: `s${r0.int(5)}`, emotion: emotions[r0.int(8)]! }));
  const [ours, theirs] = [drawIndices(many), reference(many)];
  const [ra, rb, pick] = [createRng(11), createRng(11), createRng(5)];
  for (let t = 0; t < 3000; t++) {
    const i = pick.int(many.length);
    const [a, b] = [ours(i, ra), theirs(i, rb)];
    const whole = b.length === many.filter((it) => it.speaker === many[i]!.speaker).length && b[0] === i;
    // The whole speaker comes back in item order (its statistics do not depend on the order).
    if (whole) assert.deepEqual([...a].sort((x, y) => x - y), [...b].sort((x, y) => x - y), `draw ${t}`);
    else assert.deepEqual(a, b, `draw ${t}`);
    assert.equal(ra.next(), rb.next(), `draw ${t}: the generator moved differently`);
  }
});
