import assert from "node:assert/strict";
import { classMask, corpusMasks, narrowRows } from "./narrow.ts";

Deno.test("narrowing renormalises over the chosen emotions, and can change the argmax", () => {
  const labels = ["neutral", "calm", "happy", "sad"];
  const probs = Float32Array.from([0.1, 0.5, 0.3, 0.1, 0.25, 0.25, 0.25, 0.25]);
  const mask = classMask(labels, ["neutral", "happy", "sad"]);
  narrowRows(probs, 4, () => mask);
  const row0 = [...probs.subarray(0, 4)];
  assert.deepEqual(row0.map((v) => +v.toFixed(6)), [0.2, 0, 0.6, 0.2]);
  assert.ok(Math.abs(row0.reduce((a, b) => a + b, 0) - 1) < 1e-6);
  assert.deepEqual([...probs.subarray(4)].map((v) => +v.toFixed(6)), [1 / 3, 0, 1 / 3, 1 / 3].map((v) => +v.toFixed(6)));
  // Zero mass on the allowed classes: uniform over them, never NaN.
  const z = Float32Array.from([0, 1, 0, 0]);
  narrowRows(z, 4, () => classMask(labels, ["sad", "happy"]));
  assert.deepEqual([...z], [0, 0, 0.5, 0.5]);
});

Deno.test("classMask names emotions the model lacks; corpusMasks only for corpora with fewer emotions than the model", () => {
  assert.throws(() => classMask(["angry", "sad"], ["angry", "boredom"]), /'boredom' is not among the model's emotions \(angry, sad\)/);
  assert.throws(() => classMask(["angry", "sad"], []), /empty/);
  const masks = corpusMasks([
    { dataset: "a", emotion: "angry" }, { dataset: "a", emotion: "sad" }, { dataset: "a", emotion: "calm" },
    { dataset: "b", emotion: "angry" }, { dataset: "b", emotion: "boredom" },
  ], ["calm", "sad", "angry"]);
  assert.equal(masks.has("a"), false);
  assert.deepEqual([...masks.get("b")!], [0, 0, 1]);
});

Deno.test("a built-in corpus chooses among its whole label set, even when the clips given carry only some of it", () => {
  const labels = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised", "boredom"];
  const masks = corpusMasks([{ dataset: "ravdess", emotion: "angry" }, { dataset: "ravdess", emotion: "sad" }, { dataset: "nemo", emotion: "angry" }], labels);
  // RAVDESS has the eight: nothing to narrow but boredom.
  assert.deepEqual([...masks.get("ravdess")!], [1, 1, 1, 1, 1, 1, 1, 1, 0]);
  // nEMO: its six, not the one emotion given.
  assert.deepEqual(labels.filter((_, c) => masks.get("nemo")![c]), ["neutral", "happy", "sad", "angry", "fearful", "surprised"]);
});
