import { createComplexFft, createRealFft } from "../dsp/fft.ts";
import { makeWindow } from "../dsp/window.ts";
import { readFrame } from "../dsp/stft.ts";
import { ConfigError } from "../errors.ts";
import { createResampler, type Resampler } from "../audio/resample.ts";

const N_FFT = 2048;
const HOP = N_FFT / 4;

/**
 * librosa.effects.time_stretch: STFT (n_fft 2048, hop 512, Hann, centered), phase vocoder
 * (librosa.phase_vocoder: magnitudes interpolated between frames, phase advanced by the
 * measured instantaneous frequency), inverse STFT with window-square normalisation, length
 * round(n / rate). rate > 1 speeds up (shorter), rate < 1 slows down; pitch is kept.
 */
export function timeStretch(wave: Float32Array, rate: number): Float32Array {
  if (!(rate > 0.1 && rate < 10)) throw new ConfigError(`time-stretch rate must be between 0.1 and 10, got ${rate}.`);
  const bins = N_FFT / 2 + 1;
  const window = makeWindow("hann", N_FFT);
  const fft = createRealFft(N_FFT);
  const frames = 1 + Math.floor(wave.length / HOP);
  // Complex STFT, frames-major.
  const re = new Float64Array((frames + 2) * bins);
  const im = new Float64Array((frames + 2) * bins);
  const frame = new Float64Array(N_FFT);
  const fr = new Float64Array(bins);
  const fi = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    readFrame(wave, t, N_FFT, HOP, true, "constant", frame);
    for (let i = 0; i < N_FFT; i++) frame[i] = frame[i]! * window[i]!;
    fft.forward(frame, fr, fi);
    re.set(fr, t * bins);
    im.set(fi, t * bins);
  }
  // Phase vocoder.
  const steps: number[] = [];
  for (let s = 0; s < frames; s += rate) steps.push(s);
  const outFrames = steps.length;
  const phiAdvance = new Float64Array(bins);
  for (let k = 0; k < bins; k++) phiAdvance[k] = (Math.PI * HOP * k) / (bins - 1);
  const phase = new Float64Array(bins);
  for (let k = 0; k < bins; k++) phase[k] = Math.atan2(im[k]!, re[k]!);
  const len = Math.round(wave.length / rate);
  const out = new Float64Array(len + N_FFT);
  const wsum = new Float64Array(len + N_FFT);
  const inverse = createInverseRealFft(N_FFT);
  const sr = new Float64Array(bins);
  const si = new Float64Array(bins);
  const time = new Float64Array(N_FFT);
  for (let t = 0; t < outFrames; t++) {
    const step = steps[t]!;
    const i0 = Math.floor(step);
    const alpha = step - i0;
    const a = i0 * bins;
    const b = (i0 + 1) * bins;
    for (let k = 0; k < bins; k++) {
      const m0 = Math.hypot(re[a + k]!, im[a + k]!);
      const m1 = Math.hypot(re[b + k]!, im[b + k]!);
      const mag = (1 - alpha) * m0 + alpha * m1;
      sr[k] = mag * Math.cos(phase[k]!);
      si[k] = mag * Math.sin(phase[k]!);
      let dphase = Math.atan2(im[b + k]!, re[b + k]!) - Math.atan2(im[a + k]!, re[a + k]!) - phiAdvance[k]!;
      dphase -= 2 * Math.PI * Math.round(dphase / (2 * Math.PI));
      phase[k] = phase[k]! + phiAdvance[k]! + dphase;
    }
    inverse(sr, si, time);
    // Overlap-add; centered frames start n_fft/2 before their hop position.
    const start = t * HOP - N_FFT / 2;
    for (let i = 0; i < N_FFT; i++) {
      const j = start + i;
      if (j < 0 || j >= out.length) continue;
      out[j] = out[j]! + time[i]! * window[i]!;
      wsum[j] = wsum[j]! + window[i]! * window[i]!;
    }
  }
  const y = new Float32Array(len);
  for (let i = 0; i < len; i++) y[i] = wsum[i]! > 1e-8 ? out[i]! / wsum[i]! : 0;
  return y;
}

/** Inverse of createRealFft (numpy.fft.irfft for even n): bins 0..n/2 -> n real samples. */
export function createInverseRealFft(n: number): (re: Float64Array, im: Float64Array, out: Float64Array) => void {
  const fft = createComplexFft(n);
  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  const bins = (n >> 1) + 1;
  return (re, im, out) => {
    // Conjugate-symmetric spectrum, conjugated, through the forward FFT: ifft(X) = conj(fft(conj X)) / n.
    for (let k = 0; k < bins; k++) {
      xr[k] = re[k]!;
      xi[k] = -im[k]!;
    }
    for (let k = bins; k < n; k++) {
      xr[k] = re[n - k]!;
      xi[k] = im[n - k]!;
    }
    fft.forward(xr, xi);
    for (let i = 0; i < n; i++) out[i] = xr[i]! / n;
  };
}

/** Best rational approximation p/q of x with q <= maxDen (continued fractions). */
export function rationalApprox(x: number, maxDen: number): [number, number] {
  let [h0, h1, k0, k1] = [0, 1, 1, 0];
  let v = x;
  for (let i = 0; i < 64; i++) {
    const a = Math.floor(v);
    const h2 = a * h1 + h0;
    const k2 = a * k1 + k0;
    if (k2 > maxDen) break;
    [h0, h1, k0, k1] = [h1, h2, k1, k2];
    if (Math.abs(v - a) < 1e-12) break;
    v = 1 / (v - a);
  }
  return [h1, k1];
}

const pitchResamplers = new Map<string, Resampler>();

/**
 * librosa.effects.pitch_shift: time-stretch by 2^(-n/12), then resample by the same factor so
 * the length comes back; the ratio is approximated by a fraction with denominator <= 512.
 */
export function pitchShift(wave: Float32Array, semitones: number): Float32Array {
  if (!(Math.abs(semitones) <= 24)) throw new ConfigError(`pitch shift must be within ±24 semitones, got ${semitones}.`);
  if (semitones === 0) return wave.slice();
  const rate = 2 ** (-semitones / 12);
  const stretched = timeStretch(wave, rate);
  const [p, q] = rationalApprox(rate, 512);
  const key = `${p}/${q}`;
  let r = pitchResamplers.get(key);
  if (!r) pitchResamplers.set(key, r = createResampler({ fromHz: q, toHz: p, quality: "fast" }));
  const shifted = new Float32Array(r.outputLength(stretched.length));
  r.process(stretched, shifted);
  const out = new Float32Array(wave.length);
  out.set(shifted.subarray(0, wave.length));
  return out;
}
