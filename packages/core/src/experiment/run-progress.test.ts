import assert from "node:assert/strict";
import { createRunProgress, formatRunLine, formatSeconds } from "./run-progress.ts";

const epochLog = (epoch: number) => ({ epoch, loss: 1, accuracy: 0.5, learningRate: 1e-3, seconds: 1, samplesPerSecond: 1 });
const batch = (epoch: number, b: number, batches: number) => ({ epoch, epochs: 10, batch: b, batches, loss: 1, accuracy: 0.5, samplesPerSecond: 1, etaS: 0 });

Deno.test("run progress: features n/N, then the first model, then the retrained one, with one time left for the whole run", () => {
  let now = 0;
  const p = createRunProgress(() => now);
  assert.equal(p.view().etaS, undefined);
  p.features(0, 100);
  now = 10_000;
  p.features(50, 100);
  // 50 recordings in 10 s: 10 s for the other 50; the training's length is not known yet.
  assert.equal(p.view().phaseEtaS, 10);
  assert.equal(p.view().etaS, undefined);
  assert.match(formatRunLine(p.view()), /features: about 10 s left$/);
  assert.equal(p.view().current, "features");
  now = 20_000;
  p.features(100, 100);
  p.fit({ name: "first", epochs: 10, clips: 300, refitClips: 450 });
  let v = p.view();
  assert.deepEqual(v.phases.map((q) => [q.name, q.state]), [["features", "done"], ["first", "running"], ["refit", "waiting"]]);
  assert.equal(v.etaS, undefined, "no epoch time yet");
  now = 22_000;
  p.batch(batch(1, 5, 10));
  // Half an epoch in 2 s: 4 s per epoch; 9.5 epochs left of the first model, then 10 of the
  // retrained one on 1.5 times the clips (6 s each).
  assert.equal(p.view().etaS, 4 * 9.5 + 6 * 10);
  now = 24_000;
  p.epoch(epochLog(1));
  assert.equal(p.view().etaS, 4 * 9 + 6 * 10);
  assert.match(formatRunLine(p.view()), /^features 100\/100 ✓ · first model 1\/10 · retrained model –\/\? · about 1 min 36 s left$/);
  // Early stopping at epoch 3 decides 3 epochs for the retrained model.
  now = 32_000;
  p.epoch(epochLog(3));
  p.fit({ name: "refit", epochs: 3, clips: 450 });
  now = 38_000;
  p.epoch(epochLog(1));
  v = p.view();
  assert.equal(v.current, "refit");
  assert.equal(v.etaS, 6 * 2);
  assert.deepEqual(v.phases.map((q) => [q.name, q.done, q.total, q.state]), [["features", 100, 100, "done"], ["first", 3, 10, "done"], ["refit", 1, 3, "running"]]);
  p.finish("done");
  assert.equal(p.view().etaS, 0);
  assert.equal(p.view().outcome, "done");
  assert.match(formatRunLine(p.view()), /retrained model 1\/3 ✓ · done$/);
});

Deno.test("run progress: without refit there is one model; a feature total learned at the end is kept", () => {
  let now = 0;
  const p = createRunProgress(() => now);
  p.features(7);
  assert.equal(p.view().etaS, undefined, "no total, no estimate");
  now = 1000;
  p.fit({ name: "only", epochs: 4, clips: 7 });
  now = 3000;
  p.epoch(epochLog(1));
  const v = p.view();
  assert.deepEqual(v.phases.map((q) => [q.name, q.done, q.total]), [["features", 7, 7], ["only", 1, 4]]);
  assert.equal(v.etaS, 6);
  assert.equal(formatSeconds(59.6), "60 s");
  assert.equal(formatSeconds(125), "2 min 05 s");
});

Deno.test("run progress: a stopped run drops the fit that never started; a failed one keeps where it failed; counts past the total", () => {
  let now = 0;
  const stopped = createRunProgress(() => now);
  stopped.features(120, 100);
  assert.equal(stopped.view().phaseEtaS, 0, "a count past its total leaves nothing, never less");
  stopped.fit({ name: "first", epochs: 10, clips: 30, refitClips: 40 });
  now = 1000;
  stopped.epoch(epochLog(2));
  stopped.finish("stopped");
  assert.deepEqual(stopped.view().phases.map((q) => [q.name, q.state]), [["features", "done"], ["first", "done"]]);
  assert.match(formatRunLine(stopped.view()), /· stopped$/);
  const failed = createRunProgress(() => now);
  failed.features(3);
  failed.finish("failed");
  assert.deepEqual(failed.view().phases.map((q) => [q.name, q.state]), [["features", "running"]]);
  assert.equal(failed.view().outcome, "failed");
});

Deno.test("run progress: a resumed fit is timed on the epochs this process ran", () => {
  let now = 0;
  const p = createRunProgress(() => now);
  p.fit({ name: "only", epochs: 20, clips: 10, startEpoch: 10 });
  assert.equal(p.view().phases[1]!.done, 10);
  now = 2000;
  p.epoch(epochLog(11));
  // One epoch in 2 s, nine to go.
  assert.equal(p.view().etaS, 18);
});
