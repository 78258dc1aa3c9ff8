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
 * Views are for training only: prediction and every reported score use the clip as recorded.
 */
import { createResampler, type Resampler } from "../audio/resample.ts";

export const FEATURE_VIEWS = ["narrowband", "slower", "faster"] as const;
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

/** `wave` (at `sampleRateHz`) re-heard as `view`; a new array, the input untouched. */
export function viewWave(wave: Float32Array, sampleRateHz: number, view: FeatureView): Float32Array {
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
