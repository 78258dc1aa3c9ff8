import assert from "node:assert/strict";
import { enrolmentSets } from "./speaker-protocols.ts";

const emotions = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"];
const items = ["a", "b"].flatMap((speaker) => emotions.flatMap((emotion) => [0, 1, 2].map(() => ({ speaker, emotion }))));

Deno.test("enrolment sets: one clip is the clip alone, enrolled all of the speaker's clips, skewed all neutral and calm plus one clip each of four others", () => {
  const one = enrolmentSets(items, "one-clip", 1);
  one.forEach((set, i) => assert.deepEqual(set, [i]));
  const all = enrolmentSets(items, "enrolled", 1);
  all.forEach((set, i) => assert.deepEqual(set.map((j) => items[j]!.speaker), new Array(24).fill(items[i]!.speaker)));
  const skewed = enrolmentSets(items, "skewed", 1);
  for (const [i, set] of skewed.entries()) {
    assert.ok(set.every((j) => items[j]!.speaker === items[i]!.speaker));
    const es = set.map((j) => items[j]!.emotion);
    assert.equal(es.filter((e) => e === "neutral" || e === "calm").length, 6);
    const others = es.filter((e) => e !== "neutral" && e !== "calm");
    assert.equal(others.length, 4);
    assert.equal(new Set(others).size, 4, "four different emotions, one clip each");
  }
  assert.deepEqual(enrolmentSets(items, "skewed", 1), skewed, "seeded");
  assert.notDeepEqual(enrolmentSets(items, "skewed", 2), skewed);
});
