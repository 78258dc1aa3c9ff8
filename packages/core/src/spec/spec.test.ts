import assert from "node:assert/strict";
import { needsWaveforms, resolveTrainingSpec, SpecError } from "./spec.ts";

Deno.test("views: the mlp trains on a narrowband view by default; sequences and waveform augmentation do not take them", () => {
  assert.deepEqual(resolveTrainingSpec({}).views, ["narrowband"]);
  assert.deepEqual(resolveTrainingSpec({ views: "none" }).views, []);
  assert.deepEqual(resolveTrainingSpec({ views: "narrowband,slower,faster" }).views, ["narrowband", "slower", "faster"]);
  assert.deepEqual(resolveTrainingSpec({ model: "cnn1d" }).views, []);
  // Asking for waveform augmentation replaces the default views; asking for both is refused.
  assert.deepEqual(resolveTrainingSpec({ features: "stats", augment: "noise,gain" }).views, []);
  const both = () => resolveTrainingSpec({ features: "stats", augment: "noise", views: "narrowband" });
  assert.throws(both, SpecError);
  try {
    both();
  } catch (e) {
    assert.deepEqual((e as SpecError).fields, ["views", "augment"]);
    assert.match((e as SpecError).format((f) => `--${f}`), /--views and waveform --augment \(noise\)/);
  }
  assert.throws(() => resolveTrainingSpec({ model: "cnn1d", views: "narrowband" }), /views are computed once per clip for pooled front ends/);
  assert.throws(() => resolveTrainingSpec({ views: "phone" }), /views: unknown view 'phone'/);
});

Deno.test("needsWaveforms: only waveform augmentation re-hears the waveforms (the mlp's default and specaugment do not)", () => {
  assert.equal(needsWaveforms(resolveTrainingSpec({})), false);
  assert.equal(needsWaveforms(resolveTrainingSpec({ model: "cnn1d" })), true);
  assert.equal(needsWaveforms(resolveTrainingSpec({ model: "cnn1d", augment: "specaugment" })), false);
  assert.equal(needsWaveforms(resolveTrainingSpec({ augment: "noise", views: "none" })), true);
});
