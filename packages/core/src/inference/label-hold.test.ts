import assert from "node:assert/strict";
import { createLabelHold, NOT_SURE } from "./label-hold.ts";

const run = (hold: number, seq: string[]) => {
  const h = createLabelHold(hold);
  return seq.map((s) => h.next(s));
};

Deno.test("label hold: the first state shows at once; a new one only after leading for holdUpdates updates in a row", () => {
  assert.deepEqual(run(2, ["angry", "happy", "angry", "happy", "happy", "happy"]), ["angry", "angry", "angry", "angry", "happy", "happy"]);
  assert.deepEqual(run(2, ["sad", NOT_SURE, NOT_SURE, "sad"]), ["sad", "sad", NOT_SURE, NOT_SURE]);
  // A challenger that changes identity restarts the count.
  assert.deepEqual(run(2, ["calm", "happy", "sad", "sad"]), ["calm", "calm", "calm", "sad"]);
  // holdUpdates 1 shows every proposal.
  assert.deepEqual(run(1, ["a", "b", "a"]), ["a", "b", "a"]);
});

Deno.test("label hold: reset forgets the shown state; bad settings are refused", () => {
  const h = createLabelHold(3);
  h.next("angry");
  h.reset();
  assert.equal(h.next("sad"), "sad");
  assert.throws(() => createLabelHold(0), /holdUpdates must be a whole number ≥ 1, got 0/);
  assert.throws(() => createLabelHold(1.5), /got 1.5/);
});
