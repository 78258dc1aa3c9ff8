import assert from "node:assert/strict";
import { muLaw8, parseViewList, viewWave } from "./feature-views.ts";

const sr = 16000;
const tone = (hz: number, amp = 0.1) => Float32Array.from({ length: sr }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / sr));
/** RMS over the middle half (away from filter start-up and edges). */
const rms = (x: Float32Array) => Math.sqrt(x.subarray(sr / 4, (3 * sr) / 4).reduce((a, v) => a + v * v, 0) / (sr / 2));
const gainDb = (hz: number) => 20 * Math.log10(rms(viewWave(tone(hz), sr, "narrowband")) / rms(tone(hz)));
/** Frequency from upward zero crossings over the middle half. */
function pitchHz(x: Float32Array): number {
  const a = Math.floor(x.length / 4), b = Math.floor((3 * x.length) / 4);
  let n = 0;
  for (let i = a + 1; i < b; i++) if (x[i - 1]! < 0 && x[i]! >= 0) n++;
  return (n * sr) / (b - a);
}

Deno.test("narrowband view: passes 1 kHz within 0.5 dB, stops 5 kHz (beyond 8 kHz sampling) and attenuates 80 Hz by 16 dB", () => {
  assert.ok(Math.abs(gainDb(1000)) < 0.5, `1 kHz: ${gainDb(1000)} dB`);
  assert.ok(gainDb(5000) < -50, `5 kHz: ${gainDb(5000)} dB`);
  assert.ok(gainDb(80) < -14, `80 Hz: ${gainDb(80)} dB`);
  const x = tone(440);
  const before = x.slice();
  viewWave(x, sr, "narrowband");
  assert.deepEqual(x, before, "the input is not touched");
});

Deno.test("8-bit mu-law: 256 levels, error relative to the level (SNR about 43 dB on a -20 dBFS tone)", () => {
  const x = tone(1000, 0.1);
  const y = x.slice();
  muLaw8(y);
  assert.ok(new Set(y).size <= 256);
  const err = Math.sqrt(x.reduce((s, v, i) => s + (v - y[i]!) ** 2, 0) / x.length);
  const snr = 20 * Math.log10(rms(x) / err);
  assert.ok(snr > 40 && snr < 45, `SNR ${snr} dB`);
});

Deno.test("speed views: slower is 11/10 as long and 10/11 the pitch, faster 9/10 and 10/9", () => {
  const x = tone(440);
  const slow = viewWave(x, sr, "slower");
  const fast = viewWave(x, sr, "faster");
  assert.equal(slow.length, 17600);
  assert.equal(fast.length, 14400);
  assert.ok(Math.abs(pitchHz(slow) - 400) < 3, `slower: ${pitchHz(slow)} Hz`);
  assert.ok(Math.abs(pitchHz(fast) - 488.9) < 3, `faster: ${pitchHz(fast)} Hz`);
});

Deno.test("view lists: none, duplicates dropped, unknown names refused by name", () => {
  assert.deepEqual(parseViewList("none"), []);
  assert.deepEqual(parseViewList("narrowband, slower,narrowband"), ["narrowband", "slower"]);
  assert.throws(() => parseViewList("narrowband,phone"), /unknown view 'phone'/);
});
