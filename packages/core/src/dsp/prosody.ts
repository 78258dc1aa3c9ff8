import { ConfigError } from "../errors.ts";
import { createYin, type YinConfig } from "./yin.ts";

/** Names of the values `createProsody` writes, in order (pitch in semitones re 100 Hz, level in dBFS). */
export const PROSODY_NAMES = [
  "f0-mean-st",
  "f0-std-st",
  "f0-p5-st",
  "f0-p25-st",
  "f0-p50-st",
  "f0-p75-st",
  "f0-p95-st",
  "f0-range-p5-p95-st",
  "f0-slope-st-per-s",
  "f0-median-abs-delta-st",
  "voiced-ratio",
  "level-mean-db",
  "level-std-db",
  "level-p5-db",
  "level-p50-db",
  "level-p95-db",
  "loud-duration-s",
  "aperiodicity-mean",
] as const;
/** Values the prosody plan fills. */
export const PROSODY_DIMS = PROSODY_NAMES.length;

export interface ProsodyConfig extends YinConfig {
  /** Frames within this many dB of the clip's loudest frame count as speech. */
  loudRangeDb?: number;
}

export interface Prosody {
  readonly dims: number;
  readonly names: readonly string[];
  /** Fills `out` (length `dims`) with the clip's pitch and level statistics. */
  compute(signal: Float32Array, out: Float32Array): void;
}

/** numpy.percentile's default ("linear") on an ascending array. */
function percentile(sorted: Float64Array, n: number, q: number): number {
  const pos = (q / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const F0_PERCENTILES = [5, 25, 50, 75, 95];
const LEVEL_PERCENTILES = [5, 50, 95];

/** Writes the percentiles `qs` of `sorted[0..n)` to out[at], out[at + 1], … */
function percentiles(sorted: Float64Array, n: number, qs: readonly number[], out: Float32Array, at: number): void {
  for (const [i, q] of qs.entries()) out[at + i] = percentile(sorted, n, q);
}

function meanStd(v: Float64Array, n: number): [number, number] {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i]!;
  const m = s / n;
  let q = 0;
  for (let i = 0; i < n; i++) q += (v[i]! - m) ** 2;
  return [m, Math.sqrt(q / n)];
}

/**
 * Utterance-level prosody: statistics of the YIN pitch contour over voiced speech frames and of
 * the frame level over speech frames, the pitch and energy descriptors of the eGeMAPS family
 * (Eyben et al., "The Geneva Minimalistic Acoustic Parameter Set", IEEE TAC 2016) that MFCC
 * means and deviations leave out: pitch height, range and movement carry much of arousal and
 * some of valence, and they are speaker dependent, so they pay off with per-speaker
 * normalisation. Pitch is in semitones re 100 Hz so that differences are perceptual ratios.
 *
 * Speech frames: level within `loudRangeDb` (40) of the loudest frame; voiced: speech frames
 * where YIN finds a period. With fewer than 3 voiced frames the pitch values are 0.
 */
export function createProsody(config: ProsodyConfig): Prosody {
  const yin = createYin(config);
  const range = config.loudRangeDb ?? 40;
  if (!(range > 0)) throw new ConfigError(`speech level range must be a positive number of dB, got ${range}.`);
  const hopS = yin.hopLength / config.sampleRateHz;
  let cap = 0;
  let f0 = new Float32Array(0), ap = new Float32Array(0), rms = new Float32Array(0);
  let db = new Float64Array(0), st = new Float64Array(0), time = new Float64Array(0), tmp = new Float64Array(0);
  const dims = PROSODY_NAMES.length;

  return {
    dims,
    names: PROSODY_NAMES,
    compute(signal, out) {
      if (out.length < dims) throw new ConfigError(`output holds ${out.length} values, prosody fills ${dims}.`);
      const frames = yin.frameCount(signal.length);
      if (frames > cap) {
        cap = frames;
        f0 = new Float32Array(cap); ap = new Float32Array(cap); rms = new Float32Array(cap);
        db = new Float64Array(cap); st = new Float64Array(cap); time = new Float64Array(cap); tmp = new Float64Array(cap);
      }
      yin.compute(signal, f0, ap, rms);
      let maxDb = -Infinity;
      for (let t = 0; t < frames; t++) {
        db[t] = 20 * Math.log10(Math.max(rms[t]!, 1e-5));
        if (db[t]! > maxDb) maxDb = db[t]!;
      }
      const floor = maxDb - range;
      let loud = 0, voiced = 0, apSum = 0;
      for (let t = 0; t < frames; t++) {
        if (!(db[t]! > floor)) continue;
        tmp[loud++] = db[t]!;
        if (f0[t]! > 0) {
          st[voiced] = 12 * Math.log2(f0[t]! / 100);
          time[voiced] = t * hopS;
          apSum += ap[t]!;
          voiced++;
        }
      }
      out.fill(0, 0, dims);
      if (voiced >= 3) {
        const [m, s] = meanStd(st, voiced);
        // Slope by least squares over the voiced frames' times; then the median step between
        // consecutive voiced frames, before the contour is sorted for the percentiles.
        const [tm] = meanStd(time, voiced);
        let num = 0, den = 0;
        for (let i = 0; i < voiced; i++) {
          num += (time[i]! - tm) * (st[i]! - m);
          den += (time[i]! - tm) ** 2;
        }
        const steps = time; // reused: the times are no longer needed
        for (let i = 1; i < voiced; i++) steps[i - 1] = Math.abs(st[i]! - st[i - 1]!);
        const stepsSorted = steps.subarray(0, voiced - 1).sort();
        const sorted = st.subarray(0, voiced).sort();
        out[0] = m;
        out[1] = s;
        percentiles(sorted, voiced, F0_PERCENTILES, out, 2);
        out[7] = out[6]! - out[2]!;
        out[8] = den > 0 ? num / den : 0;
        out[9] = percentile(stepsSorted, voiced - 1, 50);
      }
      out[10] = loud > 0 ? voiced / loud : 0;
      const [lm, ls] = meanStd(tmp, loud);
      const levels = tmp.subarray(0, loud).sort();
      out[11] = lm;
      out[12] = ls;
      percentiles(levels, loud, LEVEL_PERCENTILES, out, 13);
      out[16] = loud * hopS;
      out[17] = voiced > 0 ? apSum / voiced : 1;
    },
  };
}
