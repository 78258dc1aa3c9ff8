import assert from "node:assert/strict";
import { groupBySpeaker } from "./speaker-groups.ts";

Deno.test("predict's speaker groups: by the speaker names carry, never mixed; a given speaker holds all; a nameless file stands alone", () => {
  const names = ["a/03-01-05-01-01-01-12.wav", "b/03a01Wa.wav", "x/03-01-01-01-01-01-12.wav", "me.wav", "03b02Nb.wav"];
  assert.deepEqual(groupBySpeaker(names), [
    { speaker: "ravdess-12", from: "file name", indices: [0, 2] },
    { speaker: "emodb-03", from: "file name", indices: [1, 4] },
    { speaker: "me.wav", from: "alone", indices: [3] },
  ]);
  assert.deepEqual(groupBySpeaker(names, "ann"), [{ speaker: "ann", from: "given", indices: [0, 1, 2, 3, 4] }]);
});

Deno.test("a folder-per-label name carries no speaker: such files are each alone, never one speaker", () => {
  const groups = groupBySpeaker(["data/happy/a.wav", "data/sad/b.wav"]);
  assert.deepEqual(groups.map((g) => [g.from, g.indices]), [["alone", [0]], ["alone", [1]]]);
});
