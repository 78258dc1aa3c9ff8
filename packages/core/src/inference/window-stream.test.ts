import assert from "node:assert/strict";
import { createRng } from "../rng.ts";
import { createWindowStream } from "./window-stream.ts";

/** The windows a whole-signal cut takes: starts 0, hop, …; the uncovered tail as a last, shorter window. */
function cutWhole(x: Float32Array, win: number, hop: number): { start: number; w: Float32Array }[] {
  const out: { start: number; w: Float32Array }[] = [];
  let start = 0, lastEnd = 0;
  for (; start + win <= x.length; start += hop) {
    out.push({ start, w: x.slice(start, start + win) });
    lastEnd = start + win;
  }
  if (x.length > lastEnd && start < x.length) out.push({ start, w: x.slice(start) });
  return out;
}

Deno.test("windows of a signal arriving in blocks of any size are the whole-signal cut's (overlapping, adjacent, gapped, shorter than a window)", async () => {
  const rng = createRng(3);
  for (const [n, win, hop] of [[10_000, 1000, 250], [10_000, 1000, 1000], [10_000, 1000, 1700], [9_999, 1000, 333], [600, 1000, 500]] as const) {
    const x = Float32Array.from({ length: n }, (_, i) => i);
    const got: { start: number; w: Float32Array }[] = [];
    const s = createWindowStream(win, hop, (w, start) => void got.push({ start, w }));
    for (let at = 0; at < n;) {
      const m = Math.min(n - at, 1 + Math.floor(rng.next() * 2500));
      await s.push(x.subarray(at, at + m));
      at += m;
    }
    await s.finish();
    assert.deepEqual(got, cutWhole(x, win, hop), `n ${n}, window ${win}, hop ${hop}`);
  }
});

Deno.test("an empty signal has no window to predict", async () => {
  await assert.rejects(createWindowStream(10, 5, () => {}).finish(), /signal is empty/);
});
