/**
 * Feature views: fixed, deterministic re-hearings of a training clip whose features are computed
 * once, at ingestion, beside the clip's own. Encoder front ends cost ~15 ms a clip, so waveform
 * augmentation that re-extracts features every epoch (augment.ts) is out of reach for them; a few
 * views per clip, drawn in place of the clip while training, give most of the benefit for the
 * price of one extra extraction each.
 *  - narrowband: a telephone-like chain — through 8 kHz sampling (band-limited by the project's
 *    resampler), 8-bit μ-law companding (ITU-T G.711's μ = 255 curve, continuous form), and a
 *    200 Hz high-pass. Deliberately not the test channel of channel-robustness.ts (300 Hz
 *    high-pass, no companding), so that channel's score is not a score on the training chain.
 *  - slower / faster: speed perturbation by 10/11 and 10/9 (tempo and pitch together, as Kaldi's
 *    speed perturbation; Ko et al., Interspeech 2015), a resampling read at the original rate.
 *  - room: another room and microphone — a synthetic room response (exponentially decaying
 *    Gaussian noise after a direct path, Schroeder's statistical model as used by Ko et al.,
 *    ICASSP 2017 for simulated reverberation: RT60 0.2–0.8 s, direct-to-reverberant ratio
 *    0–12 dB, 2–10 ms pre-delay), a microphone tilt (first-difference emphasis from dull to
 *    bright) and low-passed background noise at 10–30 dB SNR. Drawn from a seed of the clip's
 *    own samples, so a clip always meets the same room (views are computed once and cached).
 * Views are for training only: prediction and every reported score use the clip as recorded.
 */
import { createResampler, type Resampler } from "../audio/resample.ts";
import { type ComplexFft, createComplexFft } from "../dsp/fft.ts";
import { createRng, type Rng } from "../rng.ts";

export const FEATURE_VIEWS = ["narrowband", "slower", "faster", "room"] as const;
export type FeatureView = (typeof FEATURE_VIEWS)[number];

const resamplers = new Map<string, Resampler>();

/** `wave` resampled from `fromHz` to `toHz` (plans cached per rate pair). */
export function resampleBy(wave: Float32Array, fromHz: number, toHz: number): Float32Array {
  const key = `${fromHz}:${toHz}`;
  let r = resamplers.get(key);
  if (!r) resamplers.set(key, r = createResampler({ fromHz, toHz }));
  const out = new Float32Array(r.outputLength(wave.length));
  r.process(wave, out);
  return out;
}

/** Second-order Butterworth high-pass (RBJ audio EQ cookbook biquad, Q = 1/√2), in place. */
export function highPass(x: Float32Array, cutoffHz: number, sampleRateHz: number): void {
  const w0 = (2 * Math.PI * cutoffHz) / sampleRateHz;
  const alpha = Math.sin(w0) / Math.SQRT2;
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  const b0 = (1 + cos) / 2 / a0, b1 = -(1 + cos) / a0, b2 = b0, a1 = (-2 * cos) / a0, a2 = (1 - alpha) / a0;
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i]!;
    const y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1, x1 = x0, y2 = y1, y1 = y0;
    x[i] = y0;
  }
}

const MU = 255;
const LOG1P_MU = Math.log1p(MU);

/** 8-bit μ-law companding and expansion in place (samples clipped to [-1, 1]). */
export function muLaw8(x: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = Math.max(-1, Math.min(1, x[i]!));
    const c = (Math.sign(v) * Math.log1p(MU * Math.abs(v))) / LOG1P_MU; // [-1, 1]
    const q = Math.round(c * 127.5 - 0.5) + 0.5; // 256 levels
    const cq = Math.max(-1, Math.min(1, q / 127.5));
    x[i] = (Math.sign(cq) * Math.expm1(Math.abs(cq) * LOG1P_MU)) / MU;
  }
}

/** A seed from a clip's samples (FNV-1a over the bits of every one). */
export function waveSeed(wave: Float32Array): number {
  const bits = new Uint32Array(wave.buffer, wave.byteOffset, wave.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < wave.length; i++) h = Math.imul(h ^ bits[i]!, 0x01000193);
  return (h ^ wave.length) >>> 0;
}

/** Linear convolution of x with h, truncated to x's length, by FFT (one plan per power-of-two size). */
const ffts = new Map<number, ComplexFft>();

export function convolve(x: Float32Array, h: Float64Array): Float32Array {
  let n = 1;
  while (n < x.length + h.length - 1) n <<= 1;
  // One plan per size (twiddles and bit reversal), as the resamplers above: clips come in few lengths.
  let fft = ffts.get(n);
  if (!fft) ffts.set(n, fft = createComplexFft(n));
  const xr = new Float64Array(n), xi = new Float64Array(n), hr = new Float64Array(n), hi = new Float64Array(n);
  for (let i = 0; i < x.length; i++) xr[i] = x[i]!;
  hr.set(h);
  fft.forward(xr, xi);
  fft.forward(hr, hi);
  // Product, conjugated, forward again, conjugated and scaled: the inverse transform.
  for (let k = 0; k < n; k++) {
    const re = xr[k]! * hr[k]! - xi[k]! * hi[k]!;
    const im = xr[k]! * hi[k]! + xi[k]! * hr[k]!;
    xr[k] = re;
    xi[k] = -im;
  }
  fft.forward(xr, xi);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = xr[i]! / n;
  return out;
}

/** `wave` heard in a synthetic room through another microphone with background noise (see the header); a new array. */
export function roomWave(wave: Float32Array, sampleRateHz: number, rng: Rng): Float32Array {
  const rt60 = 0.2 + 0.6 * rng.next();
  const drrDb = 12 * rng.next();
  const predelay = Math.round((0.002 + 0.008 * rng.next()) * sampleRateHz);
  const len = Math.max(predelay + 1, Math.round(rt60 * sampleRateHz));
  const h = new Float64Array(len);
  let tail = 0;
  for (let i = predelay; i < len; i++) {
    h[i] = rng.normal() * Math.exp((-6.908 * i) / (rt60 * sampleRateHz)); // −60 dB at rt60
    tail += h[i]! * h[i]!;
  }
  const g = Math.sqrt(1 / (tail * 10 ** (drrDb / 10)));
  for (let i = predelay; i < len; i++) h[i] = h[i]! * g;
  h[0] = 1;
  const out = convolve(wave, h);
  // Microphone tilt: y + t·(y − y_prev), t < 0 dull (a low-pass), t > 0 bright.
  const tilt = -0.5 + 1.3 * rng.next();
  let prev = 0;
  let power = 0;
  for (let i = 0; i < out.length; i++) {
    const y = out[i]!;
    out[i] = y + tilt * (y - prev);
    prev = y;
    power += out[i]! * out[i]!;
  }
  power /= Math.max(1, out.length);
  // Room tone: white noise through a one-pole low-pass (most energy below ~1 kHz), at 10–30 dB SNR.
  const snrDb = 10 + 20 * rng.next();
  const a = Math.exp((-2 * Math.PI * 1000) / sampleRateHz);
  const noise = new Float32Array(out.length);
  let lp = 0, noisePower = 0;
  for (let i = 0; i < out.length; i++) {
    lp = a * lp + (1 - a) * rng.normal();
    noise[i] = lp;
    noisePower += lp * lp;
  }
  noisePower /= Math.max(1, out.length);
  if (power > 0 && noisePower > 0) {
    const k = Math.sqrt(power / (noisePower * 10 ** (snrDb / 10)));
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + k * noise[i]!;
  }
  return out;
}

/** `wave` (at `sampleRateHz`) re-heard as `view`; a new array, the input untouched. */
export function viewWave(wave: Float32Array, sampleRateHz: number, view: FeatureView): Float32Array {
  if (view === "room") return roomWave(wave, sampleRateHz, createRng(waveSeed(wave)));
  if (view === "narrowband") {
    const narrow = resampleBy(wave, sampleRateHz, 8000);
    muLaw8(narrow);
    const out = resampleBy(narrow, 8000, sampleRateHz);
    highPass(out, 200, sampleRateHz);
    return out;
  }
  // Read at the original rate, a signal resampled to rate·11/10 plays 10/11 as fast (and lower).
  // Only the ratio matters (any front-end rate works, 11025 Hz included).
  return view === "slower" ? resampleBy(wave, 10, 11) : resampleBy(wave, 10, 9);
}

/** Parses "narrowband,slower" or "none"; errors name the unknown view. */
export function parseViewList(text: string): FeatureView[] {
  const t = text.trim();
  if (t === "" || t === "none") return [];
  const out: FeatureView[] = [];
  for (const part of t.split(",").map((s) => s.trim())) {
    if (!(FEATURE_VIEWS as readonly string[]).includes(part)) throw new Error(`unknown view '${part}'; choose from ${FEATURE_VIEWS.join(", ")} or none.`);
    if (!out.includes(part as FeatureView)) out.push(part as FeatureView);
  }
  return out;
}
