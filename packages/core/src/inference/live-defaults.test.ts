import assert from "node:assert/strict";
import { liveWindows } from "./live-defaults.ts";

Deno.test("live smoothing is set in seconds: the windows and updates follow the hop, at least one each", () => {
  assert.deepEqual(liveWindows(0.5), { smoothWindows: 6, holdUpdates: 2 }); // the page's cadence
  assert.deepEqual(liveWindows(1), { smoothWindows: 3, holdUpdates: 1 });
  assert.deepEqual(liveWindows(2.5), { smoothWindows: 1, holdUpdates: 1 }); // ser predict --timeline's default hop
  assert.deepEqual(liveWindows(10), { smoothWindows: 1, holdUpdates: 1 });
  assert.deepEqual(liveWindows(0.25), { smoothWindows: 12, holdUpdates: 4 });
});
