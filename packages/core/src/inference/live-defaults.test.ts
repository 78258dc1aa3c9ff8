import assert from "node:assert/strict";
import { liveWindows } from "./live-defaults.ts";

Deno.test("live smoothing is set in seconds: the windows and updates follow the hop, at least one each", () => {
  assert.deepEqual(liveWindows(0.5), { smoothWindows: 6, holdUpdates: 2 }); // the page's cadence
  assert.deepEqual(liveWindows(1), { smoothWindows: 3, holdUpdates: 1 });
  assert.deepEqual(liveWindows(2.5), { smoothWindows: 1, holdUpdates: 1 }); // ser predict --timeline's default hop
  assert.deepEqual(liveWindows(10), { smoothWindows: 1, holdUpdates: 1 });
  assert.deepEqual(liveWindows(0.25), { smoothWindows: 12, holdUpdates: 4 });
});

Deno.test("not sure below twice chance, capped halfway to certainty so a two-way choice can show a label", async () => {
  const { notSureLevel } = await import("./live-defaults.ts");
  assert.equal(notSureLevel(9), 2 / 9);
  assert.equal(notSureLevel(4), 0.5);
  assert.equal(notSureLevel(2), 0.75);
  assert.equal(notSureLevel(1), 1);
});
