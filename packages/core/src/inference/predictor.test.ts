import assert from "node:assert/strict";
import { untrainedBundle } from "../../test/bundles.ts";
import { DEFAULT_FRONTEND, frontendShape } from "../features/frontend.ts";
import { createRng } from "../rng.ts";
import { createPredictor, LIVE_HISTORY, type LivePrediction, type LiveUpdate, MIN_SPEAKER_CLIPS } from "./predictor.ts";
import { rmsDb } from "../dsp/db.ts";
import { createWindowLevel, liveWindows, SILENCE_DB } from "./live-defaults.ts";

/** A live update that must be a prediction (the test windows are speech-level). */
function speech(r: LiveUpdate): LivePrediction {
  assert.ok(r.kind === "speech", `expected speech, got ${r.kind}`);
  return r;
}

async function predictor() {
  const config = { ...DEFAULT_FRONTEND, kind: "stats" as const, normalization: "speaker" as const };
  const dims = frontendShape(config)[0]!;
  const { model, meta } = await untrainedBundle(config, { normalizationFallback: { mean: new Array(dims).fill(0), scale: new Array(dims).fill(1) } });
  return await createPredictor({ model, meta });
}

/** A voiced-ish test window: a few harmonics with a seeded vibrato and noise. */
function window(seed: number, sampleRateHz = 16000, seconds = 1): Float32Array {
  const rng = createRng(seed);
  const f0 = 120 + 80 * rng.next();
  return Float32Array.from({ length: sampleRateHz * seconds }, (_, i) => {
    const t = i / sampleRateHz;
    const f = f0 * (1 + 0.02 * Math.sin(2 * Math.PI * 5 * t));
    return 0.3 * Math.sin(2 * Math.PI * f * t) + 0.1 * Math.sin(4 * Math.PI * f * t) + 0.01 * rng.normal();
  });
}

Deno.test("a predictor (older bundle: threshold rule) serves any number of live windows and clips", async () => {
  const p = await predictor();
  const session = p.createSession();
  const used: string[] = [];
  for (let i = 0; i < 20; i++) {
    const r = speech(await session.push(window(i), 16000));
    assert.equal(r.historyWindows, Math.min(i + 1, LIVE_HISTORY));
    used.push(r.normalization!.kind);
  }
  await p.predict([{ name: "a", samples: window(99, 48000), sampleRateHz: 48000 }]);
  // Below MIN_SPEAKER_CLIPS windows the training speakers' average statistics stand in.
  assert.deepEqual(used.slice(0, MIN_SPEAKER_CLIPS), [...new Array(MIN_SPEAKER_CLIPS - 1).fill("training-average"), "speaker"]);
  p.dispose();
});

Deno.test("predict says which statistics normalised the clips, and a session equals predict on the same windows", async () => {
  const p = await predictor();
  const clips = [0, 1, 2, 3].map((i) => ({ name: `c${i}`, samples: window(i), sampleRateHz: 16000 }));
  const one = await p.predict(clips.slice(0, 1));
  assert.deepEqual(one[0]!.normalization, { kind: "training-average", clips: 1 });
  const all = await p.predict(clips);
  assert.deepEqual(all[3]!.normalization, { kind: "speaker", clips: 4 });
  const session = p.createSession();
  let last;
  for (const c of clips) last = speech(await session.push(c.samples, c.sampleRateHz));
  for (const label of p.meta.labels) assert.ok(Math.abs(last!.probabilities[label]! - all[3]!.probabilities[label]!) < 1e-6);
  p.dispose();
});

Deno.test("with a shrinkage prior (current bundles) a speaker's own statistics weigh n / (n + kappa), from one clip up", async () => {
  const p = await predictor();
  const dims = p.frontend.dims;
  const meta = { ...p.meta, normalizationFallback: undefined, speakerNormalization: { kappa: 8, prior: { mean: new Array(dims).fill(0), variance: new Array(dims).fill(1) } } };
  const q = await createPredictor({ model: p.model, meta });
  const clips = [0, 1, 2, 3, 4, 5].map((i) => ({ name: `c${i}`, samples: window(i), sampleRateHz: 16000 }));
  for (const n of [1, 2, 6]) {
    const r = await q.predict(clips.slice(0, n));
    assert.deepEqual(r[0]!.normalization, { kind: "speaker", clips: n, weight: n / (n + 8) });
  }
  q.dispose();
});

Deno.test("live: the label shown is the mean of the last windows' probabilities; overlapping windows count as the audio they add", async () => {
  const p = await predictor();
  const meta = { ...p.meta, normalizationFallback: undefined, speakerNormalization: { kappa: 8, prior: { mean: new Array(p.frontend.dims).fill(0), variance: new Array(p.frontend.dims).fill(1) } } };
  const q = await createPredictor({ model: p.model, meta });
  const session = q.createSession({ hopS: 0.5, smoothWindows: 3, enrolmentDiscount: 1 });
  const discounted = q.createSession({ hopS: 0.5, smoothWindows: 3, enrolmentDiscount: 4 });
  const raw: Record<string, number>[] = [];
  let last, lastDiscounted;
  for (let i = 0; i < 7; i++) {
    last = speech(await session.push(window(i), 16000));
    lastDiscounted = speech(await discounted.push(window(i), 16000));
    raw.push(last.probabilities);
  }
  assert.equal(last!.smoothed.windows, 3);
  for (const label of q.meta.labels) {
    const mean = raw.slice(-3).reduce((a, r) => a + r[label]! / 3, 0);
    assert.ok(Math.abs(last!.smoothed.probabilities[label]! - mean) < 1e-6);
  }
  // 7 windows of 2.5 s every 0.5 s: 1 + 6 * 0.2 = 2.2 -> 2 effective clips.
  assert.deepEqual(last!.normalization, { kind: "speaker", clips: 2, weight: 2 / 10 });
  assert.equal(last!.stillLearning, true, "2 effective clips weigh 0.2 against the training average");
  // Discounted 4×, the same 2 clips count as half a clip: weight 0.5 / 8.5, and the voice is normalised otherwise.
  assert.deepEqual(lastDiscounted!.normalization, { kind: "speaker", clips: 2, weight: 0.5 / 8.5 });
  assert.ok(q.meta.labels.some((l) => Math.abs(lastDiscounted!.probabilities[l]! - last!.probabilities[l]!) > 1e-6), "the discount changes the statistics the window is normalised with");
  // A pause forgets the label and the windows it averages, not the speaker's statistics.
  session.pause();
  const after = speech(await session.push(window(7), 16000));
  assert.equal(after.smoothed.windows, 1);
  assert.equal(after.historyWindows, 8);
  for (const label of q.meta.labels) assert.ok(Math.abs(after.smoothed.probabilities[label]! - after.probabilities[label]!) < 1e-6);
  // By default the smoothing is the last 3 s of windows: 6 at 0.5 s hops, the window itself at 2.5 s.
  for (const hopS of [0.5, 2.5]) {
    const s = q.createSession({ hopS });
    let r;
    for (let i = 0; i < 8; i++) r = speech(await s.push(window(i), 16000));
    assert.equal(r!.smoothed.windows, liveWindows(hopS).smoothWindows, `hop ${hopS} s`);
  }
  for (const hopS of [0, -1, Number.NaN]) assert.throws(() => q.createSession({ hopS }), /hopS must be a positive number of seconds/);
  for (const smoothWindows of [0, 1.5, Number.NaN]) assert.throws(() => q.createSession({ smoothWindows }), /smoothWindows must be a whole number/);
  assert.throws(() => q.createSession({ holdUpdates: 0 }), /holdUpdates must be a whole number/);
  for (const enrolmentDiscount of [0.5, 0, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => q.createSession({ enrolmentDiscount }), /enrolmentDiscount must be a number ≥ 1/);
  q.dispose();
});

Deno.test("live: a window below SILENCE_DB is silence, not classified and not in the statistics; the label starts again after it", async () => {
  const p = await predictor();
  const meta = { ...p.meta, normalizationFallback: undefined, speakerNormalization: { kappa: 8, prior: { mean: new Array(p.frontend.dims).fill(0), variance: new Array(p.frontend.dims).fill(1) } } };
  const q = await createPredictor({ model: p.model, meta });
  const a = q.createSession({ hopS: 0.5, smoothWindows: 3 });
  const b = q.createSession({ hopS: 0.5, smoothWindows: 3 });
  // A quiet room: noise 2 dB under the level, and the same noise 2 dB over it (which is classified).
  const noise = (db: number) => {
    const rng = createRng(5);
    const x = Float32Array.from({ length: 16000 }, () => rng.normal());
    const g = 10 ** ((db - rmsDb(x)) / 20);
    return x.map((v) => v * g);
  };
  assert.ok(Math.abs(rmsDb(noise(SILENCE_DB - 2)) - (SILENCE_DB - 2)) < 1e-3);
  for (let i = 0; i < 4; i++) speech(await a.push(window(i), 16000));
  for (let i = 0; i < 4; i++) speech(await b.push(window(i), 16000));
  for (const quiet of [noise(SILENCE_DB - 2), new Float32Array(16000)]) {
    const r = await a.push(quiet, 16000);
    assert.equal(r.kind, "silence");
    assert.equal(r.historyWindows, 4, "silence adds nothing to the voice's statistics");
  }
  assert.equal((await a.push(new Float32Array(16000), 16000)).levelDb, -Infinity);
  await assert.rejects(a.push(window(9), Number.NaN), /sample rate must be a positive number of Hz, got NaN/);
  // A burst of 50 ms across two of the side-by-side frames is caught whole by the frame between them.
  const across = new Float32Array(16000);
  across.fill(0.1, 800 - 400, 800 + 400);
  const level = createWindowLevel(16000);
  assert.ok(Math.abs(level(across) - 20 * Math.log10(0.1)) < 1e-5);
  // Speech after it: normalised as if the silence had never come, with the label starting again.
  b.pause();
  const ra = speech(await a.push(window(4), 16000)), rb = speech(await b.push(window(4), 16000));
  assert.equal(ra.smoothed.windows, 1);
  assert.deepEqual(ra.normalization, rb.normalization);
  for (const label of q.meta.labels) assert.ok(Math.abs(ra.probabilities[label]! - rb.probabilities[label]!) < 1e-6);
  // Just above the level a window is heard as speech.
  assert.equal((await a.push(noise(SILENCE_DB + 2), 16000)).kind, "speech");
  // Soft speech among pauses: 0.2 s at −40 dB in 2.5 s of a −80 dB room is under the level on
  // average, and speech by its loudest 50 ms.
  const soft = noise(-80).slice(0, 16000);
  const padded = new Float32Array(40000);
  padded.set(soft);
  padded.set(soft, 16000);
  const burst = window(8).slice(0, 3200);
  const g = 10 ** ((-40 - rmsDb(burst)) / 20);
  for (let i = 0; i < burst.length; i++) padded[20000 + i] = padded[20000 + i]! + burst[i]! * g;
  assert.ok(rmsDb(padded) < SILENCE_DB && level(padded) > -41, `${rmsDb(padded)} ${level(padded)}`);
  assert.equal((await a.push(padded, 16000)).kind, "speech");
  q.dispose();
});

Deno.test("live: still learning until the voice weighs half of what a full history gives it, later the larger the discount", async () => {
  const p = await predictor();
  const meta = { ...p.meta, normalizationFallback: undefined, speakerNormalization: { kappa: 8, prior: { mean: new Array(p.frontend.dims).fill(0), variance: new Array(p.frontend.dims).fill(1) } } };
  const q = await createPredictor({ model: p.model, meta, frontend: p.frontend });
  const discounts = [1, 2, 4];
  const sessions = discounts.map((enrolmentDiscount) => q.createSession({ hopS: 0.5, enrolmentDiscount }));
  // 2.5 s windows every 0.5 s: a full history is 121 effective clips, counted as 121 / d; half
  // its weight is reached at 8 effective clips (÷1, the 34th window), 13 (÷2, the 59th; a fixed
  // half-weight rule would wait for 16, the 74th) and 21 (÷4, the 99th).
  const learning = discounts.map(() => [] as boolean[]);
  for (let i = 0; i < 80; i++) {
    const w = window(i);
    for (let j = 0; j < sessions.length; j++) learning[j]!.push(speech(await sessions[j]!.push(w, 16000)).stillLearning);
  }
  const firstLearnt = learning.map((l) => l.indexOf(false));
  assert.deepEqual(firstLearnt, [33, 58, -1]);
  // Once learnt, it stays so (the weight only grows until the history is full).
  for (let j = 0; j < 2; j++) assert.ok(learning[j]!.slice(firstLearnt[j]).every((l) => !l));
  p.dispose();
});

Deno.test("a predictor can share an open front end with others of the same config, and refuses another config's", async () => {
  const p = await predictor();
  const q = await createPredictor({ model: p.model, meta: p.meta, frontend: p.frontend });
  assert.equal(q.frontend, p.frontend);
  const clip = [{ name: "a", samples: window(3), sampleRateHz: 16000 }];
  assert.deepEqual((await q.predict(clip))[0]!.probabilities, (await p.predict(clip))[0]!.probabilities);
  const other = await createPredictor({ model: p.model, meta: { ...p.meta, frontend: { ...p.meta.frontend, nMfcc: p.meta.frontend.nMfcc + 1 } } });
  await assert.rejects(createPredictor({ model: p.model, meta: p.meta, frontend: other.frontend }), /not the one its bundle was trained with \(nMfcc differ\)/);
  // The same config with its keys in another order (a bundle's JSON read back) is the same front end.
  const reordered = Object.fromEntries(Object.entries(p.meta.frontend).reverse()) as typeof p.meta.frontend;
  const r = await createPredictor({ model: p.model, meta: { ...p.meta, frontend: reordered }, frontend: p.frontend });
  assert.equal(r.frontend, p.frontend);
  p.dispose();
});
