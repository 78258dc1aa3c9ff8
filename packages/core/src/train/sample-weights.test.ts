import assert from "node:assert/strict";
import { sampleWeights } from "./sample-weights.ts";

const items = [
  ...Array.from({ length: 6 }, () => ({ dataset: "big", emotion: "angry" })),
  ...Array.from({ length: 2 }, () => ({ dataset: "big", emotion: "sad" })),
  { dataset: "small", emotion: "angry" },
  { dataset: "small", emotion: "calm" },
];
const total = (w: Float32Array, pick: (i: number) => boolean) => [...w].reduce((s, x, i) => s + (pick(i) ? x : 0), 0);

Deno.test("corpus weighting: each corpus the same total, each class the same within it, mean 1", () => {
  const w = sampleWeights(items, "corpus");
  assert.ok(Math.abs(total(w, () => true) - items.length) < 1e-5);
  assert.ok(Math.abs(total(w, (i) => items[i]!.dataset === "big") - total(w, (i) => items[i]!.dataset === "small")) < 1e-5);
  // Within "big": angry (6 clips) and sad (2 clips) weigh the same in total.
  assert.ok(Math.abs(total(w, (i) => items[i]!.dataset === "big" && items[i]!.emotion === "angry") - total(w, (i) => items[i]!.dataset === "big" && items[i]!.emotion === "sad")) < 1e-5);
  // 10 clips, 2 corpora, 2 classes each: w = 10 / (2 · 2 · n).
  assert.ok(Math.abs(w[0]! - 10 / 24) < 1e-6 && Math.abs(w[6]! - 10 / 8) < 1e-6 && Math.abs(w[8]! - 10 / 4) < 1e-6);
});

Deno.test("class weighting is sklearn's balanced over all clips; clip weighting is uniform", () => {
  const w = sampleWeights(items, "class");
  // 3 classes: angry 7, sad 2, calm 1 -> 10 / (3 n).
  assert.deepEqual([...w].map((x) => +x.toFixed(5)), [...items.map((it) => +(10 / (3 * { angry: 7, sad: 2, calm: 1 }[it.emotion]!)).toFixed(5))]);
  assert.deepEqual([...sampleWeights(items, "clip")], items.map(() => 1));
  // One corpus: corpus weighting equals class weighting.
  const one = items.slice(0, 8);
  assert.deepEqual([...sampleWeights(one, "corpus")], [...sampleWeights(one, "class")]);
});
