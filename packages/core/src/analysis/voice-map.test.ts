import assert from "node:assert/strict";
import { createRng } from "../rng.ts";
import { voiceMap } from "./voice-map.ts";

Deno.test("voice map: emotions that differ in the features separate along the first axis; per-speaker normalisation removes a speaker offset", () => {
  const rng = createRng(3);
  const dims = 16;
  const items: { speaker: string; emotion: string; features: Float32Array }[] = [];
  for (const [s, offset] of [["a", 0], ["b", 8]] as const) {
    for (const [emotion, shift] of [["calm", -1], ["angry", 1]] as const) {
      for (let k = 0; k < 20; k++) {
        // Every feature carries the speaker's offset; the first four the emotion too.
        items.push({ speaker: s, emotion, features: Float32Array.from({ length: dims }, (_, j) => offset + (j < 4 ? 2 * shift : 0) + 0.3 * rng.normal()) });
      }
    }
  }
  const separation = (normalization: "none" | "speaker") => {
    const { points } = voiceMap(items, dims, normalization);
    const mean = (f: (it: (typeof items)[number]) => boolean) => {
      const xs = items.flatMap((it, i) => (f(it) ? [points[2 * i]!] : []));
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    return { emotion: Math.abs(mean((it) => it.emotion === "angry") - mean((it) => it.emotion === "calm")), speaker: Math.abs(mean((it) => it.speaker === "a") - mean((it) => it.speaker === "b")) };
  };
  const raw = separation("none"), norm = separation("speaker");
  // Without normalisation the speaker offset is the first axis; with it, the emotion is.
  assert.ok(raw.speaker > raw.emotion, JSON.stringify(raw));
  assert.ok(norm.emotion > 5 * norm.speaker, JSON.stringify(norm));
});
