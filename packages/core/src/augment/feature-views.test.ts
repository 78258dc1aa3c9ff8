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

Deno.test("room view: FFT convolution equals direct convolution; the same clip always meets the same room, another clip another; a burst leaves a decaying tail", async () => {
  const { convolve, roomWave, viewWave, waveSeed } = await import("./feature-views.ts");
  const { createRng } = await import("../rng.ts");
  const rng = createRng(5);
  const x = Float32Array.from({ length: 300 }, () => rng.normal());
  const h = Float64Array.from({ length: 37 }, () => rng.normal());
  const y = convolve(x, h);
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    let s = 0;
    for (let j = 0; j <= Math.min(i, h.length - 1); j++) s += x[i - j]! * h[j]!;
    worst = Math.max(worst, Math.abs(s - y[i]!));
  }
  assert.ok(worst < 1e-5, `max error ${worst}`);
  // A 0.2 s 440 Hz burst, then 1.8 s of silence.
  const sr = 16000;
  const burst = new Float32Array(2 * sr);
  for (let i = 0; i < 0.2 * sr; i++) burst[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / sr);
  const a = viewWave(burst, sr, "room"), b = viewWave(burst, sr, "room");
  assert.deepEqual(a, b, "deterministic per clip");
  const other = burst.slice();
  other[5] = other[5]! + 1e-3;
  assert.notEqual(waveSeed(other), waveSeed(burst));
  assert.notDeepEqual(viewWave(other, sr, "room"), a);
  const db = (w: Float32Array, from: number, to: number) => {
    let e = 0;
    for (let i = Math.round(from * sr); i < Math.round(to * sr); i++) e += w[i]! * w[i]!;
    return 10 * Math.log10(e / ((to - from) * sr));
  };
  // Every room of 20 seeds: the 50 ms after the burst hold its reverberation, well above the
  // room tone 1.5 s later, and decaying (the next 50 ms lower).
  for (let seed = 0; seed < 20; seed++) {
    const w = roomWave(burst, sr, createRng(seed));
    const [t1, t2, floor] = [db(w, 0.2, 0.25), db(w, 0.25, 0.3), db(w, 1.8, 2)];
    assert.ok(t1 > floor + 6, `seed ${seed}: tail ${t1.toFixed(1)} dB, floor ${floor.toFixed(1)} dB`);
    assert.ok(t2 < t1, `seed ${seed}: ${t2.toFixed(1)} after ${t1.toFixed(1)} dB`);
  }
});
