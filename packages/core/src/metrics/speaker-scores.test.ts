import assert from "node:assert/strict";
import { speakerScores } from "./speaker-scores.ts";

Deno.test("per-speaker scores: accuracy and UAR over each speaker's own emotions (sklearn balanced_accuracy_score)", () => {
  const rows = [
    ["b", "sad", "sad"], ["b", "sad", "angry"], ["b", "angry", "angry"], ["b", "angry", "angry"],
    ["a", "sad", "sad"], ["a", "sad", "sad"], ["a", "sad", "angry"],
    ["a", "ghost", "sad"],
  ].map(([speaker, truth, predicted]) => ({ speaker: speaker!, truth: truth!, predicted: predicted! }));
  const s = speakerScores(rows, ["sad", "angry", "happy"]);
  // sklearn: balanced_accuracy_score([0,0,1,1],[0,1,1,1]) = 0.75; speaker a has only sad: recall 2/3.
  assert.deepEqual(s, [
    { speaker: "a", n: 3, accuracy: 2 / 3, uar: 2 / 3 },
    { speaker: "b", n: 4, accuracy: 0.75, uar: 0.75 },
  ]);
});
