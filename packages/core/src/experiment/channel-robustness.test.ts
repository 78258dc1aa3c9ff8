import assert from "node:assert/strict";
import { degrade } from "./channel-robustness.ts";

const sr = 16000;
const tone = (hz: number) => Float32Array.from({ length: sr }, (_, i) => Math.sin((2 * Math.PI * hz * i) / sr));
/** RMS over the middle half (away from filter start-up and edges). */
const rms = (x: Float32Array) => Math.sqrt(x.subarray(sr / 4, (3 * sr) / 4).reduce((a, v) => a + v * v, 0) / (sr / 2));

Deno.test("channels: gains are exact; the telephone channel passes 1 kHz and stops 100 Hz and 5 kHz", () => {
  const x = tone(440);
  assert.ok(Math.abs(rms(degrade(x, sr, "gain-20db")) / rms(x) - 0.1) < 1e-6);
  assert.ok(Math.abs(rms(degrade(x, sr, "gain+10db")) / rms(x) - 10 ** 0.5) < 1e-5);
  const gain = (hz: number) => 20 * Math.log10(rms(degrade(tone(hz), sr, "telephone")) / rms(tone(hz)));
  assert.ok(Math.abs(gain(1000)) < 0.5, `1 kHz: ${gain(1000)} dB`);
  assert.ok(gain(100) < -15, `100 Hz: ${gain(100)} dB`);
  assert.ok(gain(5000) < -40, `5 kHz: ${gain(5000)} dB`);
});
