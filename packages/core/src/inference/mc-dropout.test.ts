import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createModel } from "../models/models.ts";
import { mcDropoutPredict } from "./mc-dropout.ts";

Deno.test("MC dropout: seeded (same seed, same result), sampled (another seed differs), MI within [0, H]; needs dropout", async () => {
  await tf.setBackend("cpu");
  const model = createModel("mlp", { inputShape: [10], nClasses: 3, seed: 2, dropout: 0.5 });
  const x = tf.randomNormal([6, 10], 0, 1, "float32", 9);
  const a = await mcDropoutPredict(model, x, { passes: 16, seed: 1 });
  const b = await mcDropoutPredict(model, x, { passes: 16, seed: 1 });
  const c = await mcDropoutPredict(model, x, { passes: 16, seed: 2 });
  assert.deepEqual(a.mean, b.mean);
  assert.notDeepEqual(a.mean, c.mean);
  for (let i = 0; i < 6; i++) {
    const row = a.mean.subarray(i * 3, i * 3 + 3);
    assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-5);
    assert.ok(a.mutualInformation[i]! >= 0 && a.mutualInformation[i]! <= a.predictiveEntropy[i]! + 1e-12);
  }
  // With rate 0.5 the masks matter: some item must show model uncertainty.
  assert.ok(Math.max(...a.mutualInformation) > 1e-4);
  const before = tf.memory().numTensors;
  await mcDropoutPredict(model, x, { passes: 4, seed: 3 });
  assert.equal(tf.memory().numTensors, before, "no tensor leaks");
  const noDrop = createModel("mlp", { inputShape: [10], nClasses: 3, seed: 2, dropout: 0 });
  await assert.rejects(mcDropoutPredict(noDrop, x, { passes: 4, seed: 1 }), /trained with dropout; this one has rate 0/);
  tf.dispose([x]);
  model.dispose();
  noDrop.dispose();
});
