import assert from "node:assert/strict";
import { createRealFft } from "../dsp/fft.ts";
import { createRng } from "../rng.ts";
import { addNoise, augmentWaveform, DEFAULT_AUGMENT, parseAugmentList, specAugment } from "./augment.ts";
import { pitchShift, rationalApprox, timeStretch } from "./time-stretch.ts";

const SR = 16000;
function sine(hz: number, seconds: number): Float32Array {
  return Float32Array.from({ length: Math.round(SR * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / SR));
}

/** Frequency of the strongest FFT bin of the middle 8192 samples, refined by parabolic interpolation. */
function peakHz(x: Float32Array): number {
  const n = 8192;
  const mid = Math.floor((x.length - n) / 2);
  const fft = createRealFft(n);
  const frame = Float64Array.from(x.subarray(mid, mid + n), (v, i) => v * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n)));
  const p = new Float64Array(fft.bins);
  fft.spectrum(frame, p, 1);
  let k = 1;
  for (let i = 1; i < p.length - 1; i++) if (p[i]! > p[k]!) k = i;
  const [a, b, c] = [Math.log(p[k - 1]!), Math.log(p[k]!), Math.log(p[k + 1]!)];
  return ((k + (0.5 * (a - c)) / (a - 2 * b + c)) * SR) / n;
}

Deno.test("pitch-shift by +12 semitones doubles a sine's frequency and keeps the length", () => {
  const x = sine(440, 2);
  const y = pitchShift(x, 12);
  assert.equal(y.length, x.length);
  const f = peakHz(y);
  assert.ok(Math.abs(f - 880) < 3, `peak at ${f.toFixed(1)} Hz`);
  const down = peakHz(pitchShift(x, -5));
  assert.ok(Math.abs(down - 440 * 2 ** (-5 / 12)) < 3, `peak at ${down.toFixed(1)} Hz`);
});

Deno.test("time-stretch changes the length by 1/rate and keeps the frequency", () => {
  const x = sine(300, 2);
  for (const rate of [0.8, 1.25, 2]) {
    const y = timeStretch(x, rate);
    assert.equal(y.length, Math.round(x.length / rate));
    const f = peakHz(y);
    assert.ok(Math.abs(f - 300) < 3, `rate ${rate}: peak at ${f.toFixed(1)} Hz`);
    // Amplitude is roughly kept: overlap-add is normalised by the window, but like librosa's
    // vocoder (no phase locking) partials lose some coherence, so allow 20%.
    let s = 0;
    for (const v of y.subarray(4000, y.length - 4000)) s += v * v;
    const rms = Math.sqrt(s / (y.length - 8000));
    assert.ok(Math.abs(rms - 0.5 / Math.SQRT2) < 0.07, `rate ${rate}: rms ${rms}`);
  }
});

Deno.test("additive noise lands at the requested SNR, reproducibly per seed", () => {
  const x = sine(200, 1);
  const y = x.slice();
  addNoise(y, 10, createRng(5));
  let ps = 0;
  let pn = 0;
  for (let i = 0; i < x.length; i++) {
    ps += x[i]! ** 2;
    pn += (y[i]! - x[i]!) ** 2;
  }
  const snr = 10 * Math.log10(ps / pn);
  assert.ok(Math.abs(snr - 10) < 0.2, `snr ${snr}`);
  const z = x.slice();
  addNoise(z, 10, createRng(5));
  assert.deepEqual(z, y);
});

Deno.test("SpecAugment masks whole bands and spans with zeros", () => {
  const frames = 100;
  const dims = 40;
  const x = new Float32Array(frames * dims).fill(1);
  specAugment(x, frames, dims, createRng(1), { freqMasks: 1, freqWidth: 5, timeMasks: 1, timeWidth: 10 });
  const zeroCols = Array.from({ length: dims }, (_, d) => d).filter((d) => Array.from({ length: frames }, (_, t) => x[t * dims + d]).every((v) => v === 0));
  const zeroRows = Array.from({ length: frames }, (_, t) => t).filter((t) => x.subarray(t * dims, (t + 1) * dims).every((v) => v === 0));
  assert.ok(zeroCols.length <= 5 && zeroRows.length <= 10);
  assert.ok(zeroCols.length + zeroRows.length > 0, "something was masked");
});

Deno.test("augmentWaveform is deterministic per seed and leaves the input untouched", () => {
  const x = sine(250, 2.4);
  const copy = x.slice();
  const cfg = { ...DEFAULT_AUGMENT, enabled: parseAugmentList("noise,gain,shift,pitch,stretch"), probability: 1 };
  const a = augmentWaveform(x, SR, SR * 2, cfg, createRng(9));
  const b = augmentWaveform(x, SR, SR * 2, cfg, createRng(9));
  assert.deepEqual(a.wave, b.wave);
  assert.equal(a.offset, b.offset);
  assert.deepEqual(x, copy);
  assert.throws(() => parseAugmentList("noise,reverb"), /unknown augmentation 'reverb'/);
});

Deno.test("rationalApprox finds close fractions", () => {
  const [p, q] = rationalApprox(2 ** (-1 / 12), 512);
  assert.ok(q <= 512 && Math.abs(p / q - 2 ** (-1 / 12)) < 1e-5);
});
