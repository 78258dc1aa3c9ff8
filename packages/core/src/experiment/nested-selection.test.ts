import assert from "node:assert/strict";
import { nestedSelection } from "./nested-selection.ts";
import { createFrontend, DEFAULT_FRONTEND } from "../features/frontend.ts";
import type { PreparedItem } from "../ingest/process-recording.ts";
import { selectBackend } from "../train/backend.ts";
import { createRng } from "../rng.ts";
import type { Emotion } from "../data/labels.ts";
import { resolveTrainingSpec } from "../spec/spec.ts";

// Two candidates over the same recordings: one whose features carry the emotion, one of noise.
const frontend = createFrontend({ ...DEFAULT_FRONTEND, kind: "stats", prosody: false });
const emotions: Emotion[] = ["angry", "happy", "sad", "neutral"];
const rng = createRng(5);
const make = (informative: boolean) => {
  const items: PreparedItem[] = [];
  for (let s = 1; s <= 8; s++) {
    for (let k = 0; k < 16; k++) {
      const e = k % emotions.length;
      const features = new Float32Array(frontend.size).map((_, d) => (informative && d < 8 && d % 4 === e ? 2 : 0) + (rng.next() - 0.5) * 2);
      items.push({
        dataset: "ravdess", path: `spk${s}/${k}.wav`, speaker: `s${s}`, gender: s % 2 ? "male" : "female", emotion: emotions[e]!,
        emotionCode: String(e), durationS: 1, sampleRateHz: 16000, channelCount: 1, wave: new Float32Array(16), features,
      } as PreparedItem);
    }
  }
  return items;
};

Deno.test("nested selection scores candidates on training speakers only and keeps the one that carries the signal", async () => {
  await selectBackend("cpu");
  const spec = resolveTrainingSpec({ features: "stats", prosody: false, normalize: "none", views: "none", epochs: 6, learningRate: 0.01, l2: 0, seed: 3 });
  const inner: [number, string][] = [];
  const r = await nestedSelection({
    candidates: [{ name: "noise", spec, frontend, items: make(false) }, { name: "signal", spec, frontend, items: make(true) }],
    folds: 2,
    innerFolds: 2,
    seed: 1,
    onInner: (k, c) => inner.push([k, c]),
  });
  assert.deepEqual(inner, [[1, "noise"], [1, "signal"], [2, "noise"], [2, "signal"]]);
  assert.deepEqual(r.folds.map((f) => f.chosen), ["signal", "signal"]);
  for (const f of r.folds) assert.ok(f.inner.signal! > f.inner.noise!);
  // Every speaker is tested once, and never among the speakers its choice was made on.
  assert.deepEqual(r.folds.flatMap((f) => f.testSpeakers).sort(), ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"]);
  assert.ok(r.mean["one-clip"].uar > 0.5);
});
