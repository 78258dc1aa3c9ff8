/**
 * Resampler quality, measured: aliasing of a swept sine above the output Nyquist, passband
 * gain of pure tones, and output length. The figures asserted here are the ones documented
 * in resample.ts.
 */
import assert from "node:assert/strict";
import { createResampler, resample, type ResampleQuality } from "./resample.ts";
import { createRng } from "../rng.ts";

function tone(hz: number, sr: number, seconds: number, amplitude = 0.5): Float32Array {
  const n = Math.round(sr * seconds);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sr);
  return x;
}

/** Linear chirp from f0 to f1 Hz. */
function chirp(f0: number, f1: number, sr: number, seconds: number, amplitude = 0.5): Float32Array {
  const n = Math.round(sr * seconds);
  const x = new Float32Array(n);
  const k = (f1 - f0) / seconds;
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    x[i] = amplitude * Math.sin(2 * Math.PI * (f0 * t + 0.5 * k * t * t));
  }
  return x;
}

/** RMS of the middle of a signal (edges carry the filter's start-up transient). */
function rmsMiddle(x: Float32Array, skip: number): number {
  let s = 0;
  for (let i = skip; i < x.length - skip; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / (x.length - 2 * skip));
}

const db = (x: number) => 20 * Math.log10(x);
const RATIOS: [number, number][] = [[48000, 16000], [48000, 22050], [44100, 16000], [24414, 16000], [16000, 48000]];

const SPEC: Record<ResampleQuality, { passbandEdge: number; rippleDb: number; aliasDb: number; stopDb: number }> = {
  high: { passbandEdge: 0.8, rippleDb: 0.01, aliasDb: -110, stopDb: -100 },
  fast: { passbandEdge: 0.7, rippleDb: 0.1, aliasDb: -75, stopDb: -70 },
};

for (const quality of ["high", "fast"] as const) {
  const spec = SPEC[quality];
  for (const [from, to] of RATIOS) {
    const nyquist = Math.min(from, to) / 2;
    Deno.test(`resample ${from} -> ${to} Hz (${quality}): passband within ${spec.rippleDb} dB up to ${spec.passbandEdge} x Nyquist`, () => {
      for (const frac of [0.05, 0.2, 0.4, 0.6, spec.passbandEdge]) {
        const hz = frac * nyquist;
        const y = resample(tone(hz, from, 0.5), from, to, quality);
        const gain = db(rmsMiddle(y, Math.round(to * 0.05)) / (0.5 / Math.SQRT2));
        assert.ok(Math.abs(gain) < spec.rippleDb, `${hz.toFixed(0)} Hz: gain ${gain.toFixed(4)} dB`);
      }
    });
    if (to < from) {
      Deno.test(`resample ${from} -> ${to} Hz (${quality}): a sweep above the output Nyquist aliases below ${spec.aliasDb} dB`, () => {
        const sweep = chirp(nyquist * 1.0, (from / 2) * 0.99, from, 1.0);
        const y = resample(sweep, from, to, quality);
        const level = db(rmsMiddle(y, Math.round(to * 0.05)) / (0.5 / Math.SQRT2));
        assert.ok(level < spec.aliasDb, `alias level ${level.toFixed(1)} dB`);
        if (Deno.env.get("SER_PRINT_ERRORS")) console.log(`${from}->${to} ${quality}: alias ${level.toFixed(1)} dB`);
      });
      Deno.test(`resample ${from} -> ${to} Hz (${quality}): tones from 1.02 x Nyquist are below ${spec.stopDb} dB`, () => {
        for (const frac of [1.02, 1.1, 1.5, 0.98 * from / 2 / nyquist]) {
          const y = resample(tone(frac * nyquist, from, 0.5), from, to, quality);
          const level = db(rmsMiddle(y, Math.round(to * 0.05)) / (0.5 / Math.SQRT2));
          assert.ok(level < spec.stopDb, `${(frac * nyquist).toFixed(0)} Hz: ${level.toFixed(1)} dB`);
        }
      });
    }
  }
}

Deno.test("resample output length is ceil(n * to / from), as librosa", () => {
  const r = createResampler({ fromHz: 48000, toHz: 22050 });
  assert.equal(r.up, 147);
  assert.equal(r.down, 320);
  assert.equal(r.outputLength(114688), Math.ceil((114688 * 22050) / 48000));
  assert.equal(resample(new Float32Array(1000), 24414, 16000).length, Math.ceil((1000 * 16000) / 24414));
});

Deno.test("resample to the same rate is the identity", () => {
  const x = tone(440, 16000, 0.1);
  assert.deepEqual(resample(x, 16000, 16000), x);
});

Deno.test("resample rejects a non-integer or zero rate, naming it", () => {
  assert.throws(() => createResampler({ fromHz: 0, toHz: 16000 }), /source sample rate \(Hz\) must be a positive integer, got 0/);
  assert.throws(() => createResampler({ fromHz: 44100, toHz: 16000.5 }), /target sample rate \(Hz\).*16000.5/);
});

Deno.test("the WebAssembly inner loop gives the TypeScript reference's output (any ratio, any length, edges included)", () => {
  const rng = createRng(11);
  for (const [from, to] of [[48000, 16000], [44100, 16000], [24414, 16000], [16000, 48000], [22050, 16000]] as const) {
    for (const n of [1, 37, 500, 4801, 48000]) {
      const x = Float32Array.from({ length: n }, () => rng.normal() * 0.3);
      const wasm = createResampler({ fromHz: from, toHz: to });
      const js = createResampler({ fromHz: from, toHz: to, implementation: "js" });
      const a = new Float32Array(wasm.outputLength(n)), b = new Float32Array(js.outputLength(n));
      wasm.process(x, a);
      js.process(x, b);
      let err = 0;
      for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i]! - b[i]!));
      assert.ok(err < 2e-6, `${from} -> ${to}, ${n} samples: max difference ${err}`);
    }
  }
});
