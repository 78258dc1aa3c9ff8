import { createResampler, type Resampler } from "../audio/resample.ts";
import { CHROMA_BINS, createChroma } from "../dsp/chroma.ts";
import { delta } from "../dsp/deltas.ts";
import { createLogMel } from "../dsp/melspectrogram.ts";
import { createMfcc } from "../dsp/mfcc.ts";
import { createProsody, PROSODY_DIMS } from "../dsp/prosody.ts";
import { createRms, createSpectralCentroid, createZeroCrossingRate } from "../dsp/spectral.ts";
import { ConfigError } from "../errors.ts";
import type { ByolS } from "./encoders/byol-s.ts";

/**
 * The front-end registry: every kind, what it gives a model (a sequence of frames or one pooled
 * vector), and how it is built. A kind that needs assets (pretrained weights) loads them through
 * `loadFrontendAssets` (dynamically imported, so pages that never use it never download it).
 */
export const FRONTEND_KINDS = ["mfcc", "logmel", "stats", "byol-s", "byol-s-conv", "byol-s+conv", "byol-s+stats"] as const;
export type FrontendKind = (typeof FRONTEND_KINDS)[number];

/**
 * Pretrained encoders a front end may need, with the sha256 of the weights this build ships and
 * the version of the code that runs them (bumped when it changes what they compute, even by
 * float rounding: the feature cache keys on both).
 */
const BYOL_S_SHA256 = "a202b071cedd0ef566e83f58eaacd754d078ffac54a8ca55cf0c01660494471b";
/** 2: Winograd F(4x4, 3x3) convolutions and the float32 SIMD log-mel. */
const BYOL_S_CODE = 2;
export const ENCODERS = {
  "byol-s": { weightsSha256: BYOL_S_SHA256, codeVersion: BYOL_S_CODE, sampleRateHz: 16000, dims: 512 },
  /** The same network read before its dense head: the last conv block pooled (mean, max over time). */
  "byol-s-conv": { weightsSha256: BYOL_S_SHA256, codeVersion: BYOL_S_CODE, sampleRateHz: 16000, dims: 1024 },
  /** Both readings from one pass: the embedding (512), then the pooled conv block (1024). */
  "byol-s+conv": { weightsSha256: BYOL_S_SHA256, codeVersion: BYOL_S_CODE, sampleRateHz: 16000, dims: 1536 },
} as const;
export type EncoderName = keyof typeof ENCODERS;

interface FrontendDefinition {
  /** "sequence": [frames, dims] for the sequence models; "pooled": [dims] for the mlp. */
  takes: "sequence" | "pooled";
  description: string;
  /** Pretrained encoders (in output order) whose weights load with loadFrontendAssets. */
  encoders?: EncoderName[];
  /** Append the pooled stats after the encoders' outputs. */
  stats?: boolean;
}

const FRONTENDS: Record<FrontendKind, FrontendDefinition> = {
  mfcc: { takes: "sequence", description: "MFCC (+ deltas) per frame" },
  logmel: { takes: "sequence", description: "log-mel spectrogram per frame" },
  stats: { takes: "pooled", description: "mean and std of MFCC, chroma, ZCR, RMS, centroid (+ pitch and level statistics)", stats: true },
  "byol-s": { takes: "pooled", description: "BYOL-S 512 speech embedding (SERAB, frozen), max + mean over the whole clip", encoders: ["byol-s"] },
  "byol-s-conv": { takes: "pooled", description: "BYOL-S's last conv block (before its dense head), mean and max over the whole clip (1024)", encoders: ["byol-s-conv"] },
  "byol-s+conv": { takes: "pooled", description: "BYOL-S 512 embedding followed by its last conv block pooled (1536), one pass of the network", encoders: ["byol-s+conv"] },
  "byol-s+stats": { takes: "pooled", description: "BYOL-S 512 embedding followed by the pooled stats", encoders: ["byol-s"], stats: true },
};

export function frontendEncoders(kind: FrontendKind): readonly EncoderName[] {
  return FRONTENDS[kind]?.encoders ?? [];
}

/** Built encoder plans a front end uses (see loadFrontendAssets). */
export interface FrontendAssets {
  byolS?: ByolS;
}

/**
 * The assets a config's front end needs, loaded and built: encoder modules are imported only
 * here, dynamically, so code that never uses an encoder never loads its weights or runtime.
 */
export async function loadFrontendAssets(c: FrontendConfig): Promise<FrontendAssets> {
  const out: FrontendAssets = {};
  // Every encoder is a reading of the one BYOL-S network: one plan serves them all.
  if (frontendEncoders(c.kind).length > 0) {
    const { createByolS } = await import("./encoders/byol-s.ts");
    out.byolS = createByolS();
  }
  return out;
}

/** A front end with its assets: what every caller uses unless it already holds the assets. */
export async function openFrontend(c: FrontendConfig): Promise<Frontend> {
  return createFrontend(c, await loadFrontendAssets(c));
}

export function frontendTakes(kind: FrontendKind): "sequence" | "pooled" {
  const d = FRONTENDS[kind];
  if (!d) throw new ConfigError(`front end must be one of ${FRONTEND_KINDS.join(", ")}, got '${kind}'.`);
  return d.takes;
}

export function frontendDescription(kind: FrontendKind): string {
  return FRONTENDS[kind]?.description ?? kind;
}

/** How audio becomes model input. Saved in model bundles; the same config must be used to predict. */
export interface FrontendConfig {
  kind: FrontendKind;
  sampleRateHz: number;
  /** Every clip is cropped or zero-padded to this length (after trimming). */
  durationS: number;
  /** Trim leading/trailing audio quieter than this many dB below the clip's peak RMS; null keeps it. */
  trimDb: number | null;
  nFft: number;
  hopLength: number;
  nMels: number;
  nMfcc: number;
  /** MFCC front end only: append deltas (1) or deltas and delta-deltas (2). */
  deltaOrder: 0 | 1 | 2;
  /** Per-utterance or per-speaker feature normalisation before the global scaler (see normalize.ts). */
  normalization: "none" | "utterance" | "speaker";
  /**
   * Pooled stats only: append the pitch and level statistics of dsp/prosody.ts (18 values). Absent
   * in bundles written before it existed, which means false.
   */
  prosody?: boolean;
  /**
   * Scale each trimmed clip so its RMS is this many dB re full scale before any feature, taking
   * the recording's gain out (a microphone, a corpus and a speaker's distance all move it).
   * Absent or null: the level is left as recorded (bundles written before it existed).
   */
  levelDb?: number | null;
}

export const DEFAULT_FRONTEND: FrontendConfig = {
  kind: "mfcc",
  sampleRateHz: 16000,
  durationS: 2.5,
  trimDb: 40,
  nFft: 512,
  hopLength: 160,
  nMels: 64,
  nMfcc: 40,
  deltaOrder: 1,
  normalization: "none",
  prosody: true,
};

export interface Frontend {
  readonly config: FrontendConfig;
  /** Model input shape without the batch axis: [frames, dims] for sequences, [dims] for stats. */
  readonly shape: readonly number[];
  /** Values per item: product of shape. */
  readonly size: number;
  /** Rows of `dims` values the scaler normalises (frames, or 1 for stats). */
  readonly dims: number;
  /** Samples per clip after fixing the length. */
  readonly clipSamples: number;
  /** Resamples to the front end's rate and trims silence. */
  prepare(samples: Float32Array, sampleRateHz: number): Float32Array;
  /** Crops (from `offset`) or zero-pads `wave` to the clip length and fills `out` (length `size`). */
  extract(wave: Float32Array, out: Float32Array, offset?: number): void;
}

/**
 * The fields in which two front-end configs (or parts of them) differ, each value compared as
 * JSON whatever the order of the keys; none when they describe the same front end.
 */
export function configDifferences(have: object, want: object): string[] {
  const a = have as Record<string, unknown>, b = want as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

export function validateFrontendConfig(c: FrontendConfig): void {
  if (!(FRONTEND_KINDS as readonly string[]).includes(c.kind)) throw new ConfigError(`front end must be one of ${FRONTEND_KINDS.join(", ")}, got '${c.kind}'.`);
  if (!(c.durationS > 0 && c.durationS <= 60)) throw new ConfigError(`clip duration must be between 0 and 60 s, got ${c.durationS}.`);
  if (c.trimDb !== null && !(c.trimDb > 0)) throw new ConfigError(`trim threshold must be a positive number of dB or null, got ${c.trimDb}.`);
  if (![0, 1, 2].includes(c.deltaOrder)) throw new ConfigError(`delta order must be 0, 1 or 2, got ${c.deltaOrder}.`);
  if (!["none", "utterance", "speaker"].includes(c.normalization)) {
    throw new ConfigError(`normalization must be none, utterance or speaker, got '${c.normalization}'.`);
  }
  if (c.prosody !== undefined && typeof c.prosody !== "boolean") throw new ConfigError(`prosody must be true or false, got '${c.prosody}'.`);
  if (c.levelDb !== undefined && c.levelDb !== null && !(c.levelDb <= 0 && c.levelDb >= -80)) throw new ConfigError(`level target must be from -80 to 0 dB re full scale or null, got ${c.levelDb}.`);
  for (const encoder of FRONTENDS[c.kind].encoders ?? []) {
    if (c.sampleRateHz !== ENCODERS[encoder].sampleRateHz) {
      throw new ConfigError(`the ${c.kind} front end runs at ${ENCODERS[encoder].sampleRateHz} Hz, got a sample rate of ${c.sampleRateHz} Hz.`);
    }
  }
  if (c.normalization === "utterance" && FRONTENDS[c.kind].takes === "pooled") {
    throw new ConfigError(`utterance normalization needs feature sequences, not the pooled '${c.kind}' front end.`);
  }
}

/**
 * librosa.effects.trim: frames whose RMS is within `topDb` of the loudest frame are speech;
 * returns the span from the first to the last such frame.
 */
export function trimSilence(wave: Float32Array, topDb: number, frameLength = 2048, hopLength = 512): Float32Array {
  const rms = createRms({ frameLength, hopLength });
  const frames = rms.frameCount(wave.length);
  const r = new Float32Array(frames);
  rms.compute(wave, r);
  let max = 0;
  for (const v of r) max = Math.max(max, v);
  if (max === 0) return wave;
  const threshold = max * 10 ** (-topDb / 20);
  let first = -1;
  let last = -1;
  for (let t = 0; t < frames; t++) {
    if (r[t]! > threshold) {
      if (first < 0) first = t;
      last = t;
    }
  }
  if (first < 0) return wave;
  return wave.subarray(first * hopLength, Math.min(wave.length, (last + 1) * hopLength));
}

/** The pooled stats' per-frame parts (MFCC, chroma, ZCR, RMS, centroid) and their widths. */
const pooledParts = (c: FrontendConfig): number[] => [c.nMfcc, CHROMA_BINS, 1, 1, 1];

/**
 * Sizes a config gives, the one place they are worked out (createFrontend builds to them):
 * samples per clip, frames, values per row, the model input shape ([frames, dims] for
 * sequences, [dims] for pooled vectors) and where the encoders' part of a pooled vector ends.
 */
function frontendLayout(c: FrontendConfig) {
  const clipSamples = Math.round(c.durationS * c.sampleRateHz);
  const frames = 1 + Math.floor(clipSamples / c.hopLength);
  if (c.kind === "mfcc" || c.kind === "logmel") {
    const dims = c.kind === "mfcc" ? c.nMfcc * (1 + c.deltaOrder) : c.nMels;
    return { clipSamples, frames, dims, shape: [frames, dims], encoderDims: 0 };
  }
  const d = FRONTENDS[c.kind];
  const encoderDims = (d.encoders ?? []).reduce((s, e) => s + ENCODERS[e].dims, 0);
  const stats = d.stats ? 2 * pooledParts(c).reduce((a, b) => a + b, 0) + (c.prosody ? PROSODY_DIMS : 0) : 0;
  return { clipSamples, frames, dims: encoderDims + stats, shape: [encoderDims + stats], encoderDims };
}

/** The model input shape a config gives, without building the front end (bundle loading checks a network against it). */
export function frontendShape(c: FrontendConfig): number[] {
  validateFrontendConfig(c);
  return frontendLayout(c).shape;
}

/** Longest stretch of a clip an encoder embeds (the first 30 s; clips are a few seconds). */
const MAX_ENCODER_S = 30;

function padTo(wave: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n);
  out.set(wave);
  return out;
}

/**
 * Features of a clip re-heard after prepare() (a training view, a test channel): `wave` is
 * already at the front end's rate, so only prepare()'s level step is applied again (in place)
 * before extraction. A new array of `frontend.size` values.
 */
export function extractReheard(frontend: Frontend, wave: Float32Array): Float32Array {
  const level = frontend.config.levelDb;
  if (level !== undefined && level !== null) normalizeLevel(wave, level);
  const out = new Float32Array(frontend.size);
  frontend.extract(wave, out);
  return out;
}

/** Scales `wave` in place so its RMS is `levelDb` dB re full scale (silence stays silent). */
export function normalizeLevel(wave: Float32Array, levelDb: number): void {
  let energy = 0;
  for (let i = 0; i < wave.length; i++) energy += wave[i]! * wave[i]!;
  const rms = Math.sqrt(energy / Math.max(1, wave.length));
  if (!(rms > 1e-7)) return;
  const g = 10 ** (levelDb / 20) / rms;
  for (let i = 0; i < wave.length; i++) wave[i] = wave[i]! * g;
}

/**
 * Builds a front end (FFT tables, filter banks, WebAssembly instances): once per config, then
 * reused for every clip. Encoder front ends need their built plan in `assets` (openFrontend
 * loads it); a plan whose weights differ from those the config names is refused.
 */
export function createFrontend(config: FrontendConfig, assets: FrontendAssets = {}): Frontend {
  validateFrontendConfig(config);
  const def = FRONTENDS[config.kind];
  // Each encoder as (dims, embed of the whole clip into a slice of the output).
  type Encoder = { dims: number; minSamples: number; embed: (w: Float32Array, out: Float32Array) => void };
  const encoders = (def.encoders ?? []).map((name): Encoder => {
    const b = assets.byolS;
    if (!b) throw new ConfigError(`the ${config.kind} front end needs the byol-s encoder's weights: build it with openFrontend (or loadFrontendAssets).`);
    if (b.weightsSha256 !== ENCODERS["byol-s"].weightsSha256) {
      throw new ConfigError(`the byol-s weights given (sha256 ${b.weightsSha256.slice(0, 12)}…) are not the ones this front end expects (${ENCODERS["byol-s"].weightsSha256.slice(0, 12)}…).`);
    }
    const dims = ENCODERS[name].dims;
    if (name === "byol-s-conv") return { dims, minSamples: b.minSamples, embed: (w, out) => b.embedConv(w, out) };
    if (name === "byol-s+conv") return { dims, minSamples: b.minSamples, embed: (w, out) => b.embedBoth(w, out) };
    return { dims, minSamples: b.minSamples, embed: (w, out) => b.embed(w, out) };
  });
  const c = config;
  const { clipSamples, frames, dims, shape, encoderDims } = frontendLayout(c);
  const stft = { sampleRateHz: c.sampleRateHz, nFft: c.nFft, hopLength: c.hopLength };
  const resamplers = new Map<number, Resampler>();
  const clip = new Float32Array(clipSamples);
  let fill: (clip: Float32Array, out: Float32Array) => void;

  if (c.kind === "mfcc") {
    const mfcc = createMfcc({ ...stft, nMels: c.nMels, nMfcc: c.nMfcc });
    const base = new Float32Array(frames * c.nMfcc);
    const d1 = new Float32Array(frames * c.nMfcc);
    const d2 = new Float32Array(frames * c.nMfcc);
    fill = (x, out) => {
      mfcc.compute(x, base);
      if (c.deltaOrder >= 1) delta(base, frames, c.nMfcc, d1, { order: 1 });
      if (c.deltaOrder >= 2) delta(base, frames, c.nMfcc, d2, { order: 2 });
      for (let t = 0; t < frames; t++) {
        const o = t * dims;
        out.set(base.subarray(t * c.nMfcc, (t + 1) * c.nMfcc), o);
        if (c.deltaOrder >= 1) out.set(d1.subarray(t * c.nMfcc, (t + 1) * c.nMfcc), o + c.nMfcc);
        if (c.deltaOrder >= 2) out.set(d2.subarray(t * c.nMfcc, (t + 1) * c.nMfcc), o + 2 * c.nMfcc);
      }
    };
  } else if (c.kind === "logmel") {
    const mel = createLogMel({ ...stft, nMels: c.nMels });
    fill = (x, out) => mel.compute(x, out);
  } else {
    const statsPart = def.stats ? createPooledStats(c, frames) : null;
    if (encoderDims + (statsPart?.dims ?? 0) !== dims) throw new Error(`internal: the ${c.kind} front end fills ${encoderDims + (statsPart?.dims ?? 0)} values, its layout says ${dims}.`);
    fill = (x, out) => statsPart?.fill(x, out.subarray(encoderDims));
  }
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    config: c,
    shape,
    size,
    dims,
    clipSamples,
    prepare(samples, sampleRateHz) {
      let wave = samples;
      if (sampleRateHz !== c.sampleRateHz) {
        let r = resamplers.get(sampleRateHz);
        if (!r) resamplers.set(sampleRateHz, r = createResampler({ fromHz: sampleRateHz, toHz: c.sampleRateHz }));
        wave = new Float32Array(r.outputLength(samples.length));
        r.process(samples, wave);
      }
      if (c.trimDb !== null) wave = trimSilence(wave, c.trimDb, Math.max(c.nFft, 512), c.hopLength);
      const out = wave.slice();
      if (c.levelDb !== undefined && c.levelDb !== null) normalizeLevel(out, c.levelDb);
      return out;
    },
    extract(wave, out, offset = 0) {
      if (out.length !== size) throw new ConfigError(`output holds ${out.length} values, the front end fills ${size}.`);
      let at = 0;
      for (const e of encoders) {
        // An encoder hears the whole (trimmed) clip, as SERAB embeds it; too short: zero-padded.
        const whole = wave.length >= e.minSamples ? wave.subarray(0, MAX_ENCODER_S * c.sampleRateHz) : padTo(wave, e.minSamples);
        e.embed(whole, out.subarray(at, at + e.dims));
        at += e.dims;
      }
      clip.fill(0);
      const start = Math.max(0, Math.min(offset, Math.max(0, wave.length - clipSamples)));
      clip.set(wave.subarray(start, start + clipSamples));
      fill(clip, out);
    },
  };
}

/**
 * The classic notebook vector: mean and std over frames of MFCC, chroma, ZCR, RMS, centroid,
 * then (with `prosody`) the clip's pitch and level statistics.
 */
function createPooledStats(c: FrontendConfig, frames: number): { dims: number; fill: (clip: Float32Array, out: Float32Array) => void } {
  const stft = { sampleRateHz: c.sampleRateHz, nFft: c.nFft, hopLength: c.hopLength };
  const mfcc = createMfcc({ ...stft, nMels: c.nMels, nMfcc: c.nMfcc });
  const chroma = createChroma(stft);
  const zcr = createZeroCrossingRate({ frameLength: c.nFft, hopLength: c.hopLength });
  const rms = createRms({ frameLength: c.nFft, hopLength: c.hopLength });
  const centroid = createSpectralCentroid(stft);
  const m = new Float32Array(frames * c.nMfcc);
  const ch = new Float32Array(frames * CHROMA_BINS);
  const z = new Float32Array(frames);
  const r = new Float32Array(frames);
  const sc = new Float32Array(frames);
  const widths = pooledParts(c);
  const parts: [Float32Array, number][] = [m, ch, z, r, sc].map((a, i) => [a, widths[i]!]);
  const pooled = 2 * widths.reduce((s, d) => s + d, 0);
  const prosody = c.prosody ? createProsody({ sampleRateHz: c.sampleRateHz, hopLength: c.hopLength }) : null;
  const dims = pooled + (prosody?.dims ?? 0);
  return { dims, fill: (x, out) => {
    mfcc.compute(x, m);
    chroma.compute(x, ch);
    zcr.compute(x, z);
    rms.compute(x, r);
    centroid.compute(x, sc);
    let o = 0;
    for (const [arr, d] of parts) {
      for (let k = 0; k < d; k++) {
        let s = 0;
        for (let t = 0; t < frames; t++) s += arr[t * d + k]!;
        const mean = s / frames;
        let v = 0;
        for (let t = 0; t < frames; t++) v += (arr[t * d + k]! - mean) ** 2;
        out[o] = mean;
        out[o + pooled / 2] = Math.sqrt(v / frames);
        o++;
      }
    }
    if (prosody) prosody.compute(x, out.subarray(pooled));
  } };
}
