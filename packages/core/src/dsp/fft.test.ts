import assert from "node:assert/strict";
import { createComplexFft, createRealFft } from "./fft.ts";

/** Deterministic test signal: a Weyl sequence scrambled through sin. */
function signal(n: number, seed: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453 % 1;
  return x;
}

/** O(n^2) DFT in long-hand form, the definition numpy.fft follows. */
function naiveDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * ((k * t) % n)) / n;
      sr += re[t]! * Math.cos(a) - im[t]! * Math.sin(a);
      si += re[t]! * Math.sin(a) + im[t]! * Math.cos(a);
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return [outRe, outIm];
}

const SIZES = [1, 2, 3, 4, 5, 8, 12, 64, 100, 400, 512, 1000, 2048];

for (const n of SIZES) {
  Deno.test(`complex FFT of size ${n} equals the DFT definition`, () => {
    const re = signal(n, 1);
    const im = signal(n, 2);
    const [er, ei] = naiveDft(re, im);
    createComplexFft(n).forward(re, im);
    for (let k = 0; k < n; k++) {
      assert.ok(Math.abs(re[k]! - er[k]!) < 1e-9 * n && Math.abs(im[k]! - ei[k]!) < 1e-9 * n, `bin ${k}`);
    }
  });
  Deno.test(`real FFT of size ${n} equals the DFT definition on bins 0..n/2`, () => {
    const x = signal(n, 3);
    const [er, ei] = naiveDft(x, new Float64Array(n));
    const fft = createRealFft(n);
    const outRe = new Float64Array(fft.bins);
    const outIm = new Float64Array(fft.bins);
    fft.forward(x, outRe, outIm);
    assert.equal(fft.bins, Math.floor(n / 2) + 1);
    for (let k = 0; k < fft.bins; k++) {
      assert.ok(Math.abs(outRe[k]! - er[k]!) < 1e-9 * n && Math.abs(outIm[k]! - ei[k]!) < 1e-9 * n, `bin ${k}`);
    }
    const power = new Float64Array(fft.bins);
    fft.spectrum(x, power, 2);
    for (let k = 0; k < fft.bins; k++) assert.ok(Math.abs(power[k]! - (er[k]! ** 2 + ei[k]! ** 2)) < 1e-8 * n * n);
  });
}

Deno.test("FFT rejects a size that is not a positive integer", () => {
  assert.throws(() => createRealFft(0), /FFT size must be a positive integer, got 0/);
});
