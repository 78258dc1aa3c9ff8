import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.ts";
import { createLabelHold, NOT_SURE } from "./label-hold.ts";
import { createWindowLevel, enrolmentDiscount, liveWindows, notSureLevel, SILENCE_DB } from "./live-defaults.ts";
import { applyStandardScaler } from "../encode/standard-scaler.ts";
import type { BundleMeta } from "../bundle/bundle.ts";
import { configDifferences, type Frontend, openFrontend } from "../features/frontend.ts";
import { applyNorm, type NormStats, rowStats } from "../features/normalize.ts";
import { enrolmentWeight, kappaOf, type SpeakerNormalizer, statsFor } from "../features/speaker-norm.ts";
import { applyTemperature, rowEntropy } from "../metrics/calibration.ts";
import { mcDropoutPredict, type McDropoutResult } from "./mc-dropout.ts";
import { classMask, narrowRows } from "./narrow.ts";

/** Fewer clips than this of one speaker: normalise with the training speakers' average statistics. */
export const MIN_SPEAKER_CLIPS = 3;

export interface Clip {
  name: string;
  samples: Float32Array;
  sampleRateHz: number;
}

export interface ClipPrediction {
  name: string;
  label: string;
  /** Calibrated with the bundle's temperature when it has one (see `calibrated`). */
  probabilities: Record<string, number>;
  /** Probability of `label`. */
  confidence: number;
  /** Entropy of `probabilities`, nats (0 = certain, log k = uniform). */
  entropy: number;
  calibrated: boolean;
  /** Set when the confidence is below `abstainBelow`: the label is the best guess, not an answer. */
  abstained?: boolean;
  /** With Monte-Carlo dropout: model uncertainty (mutual information, nats) over `passes` samples. */
  mcDropout?: { passes: number; mutualInformation: number; predictiveEntropy: number };
  /** Which statistics normalised this clip's features (the speaker's own, the training average, none). */
  normalization?: NormalizationUsed;
}

export interface PredictOptions {
  /** Monte-Carlo dropout passes (0 or undefined: one deterministic pass). */
  mcPasses?: number;
  seed?: number;
  /** Abstain when the (calibrated) confidence is below this. */
  abstainBelow?: number;
  /** Choose among these of the model's emotions only (narrow.ts); the probabilities are renormalised over them. */
  emotions?: readonly string[];
}

/** A bundle's network and metadata (what loadBundle returns). */
export interface PredictorSource {
  model: tf.LayersModel;
  meta: BundleMeta;
  /** A front end already open for `meta.frontend` (one encoder shared by several predictors); default: opened here. */
  frontend?: Frontend;
}

/** Statistics a clip's features were normalised with before the scaler. */
export type NormalizationUsed =
  | { kind: "none" | "utterance" }
  /** The speaker's own statistics from `clips` clips, weighing `weight` against the training speakers' average (1 - weight). */
  | { kind: "speaker"; clips: number; weight?: number }
  /** Older bundles: below 3 clips, the training speakers' average alone. */
  | { kind: "training-average"; clips: number };

/** The normaliser a bundle describes (shrinkage from its prior, or the older threshold rule). */
export function normalizerOf(meta: BundleMeta): SpeakerNormalizer {
  const mode = meta.frontend.normalization;
  if (mode !== "speaker") return { mode };
  const sn = meta.speakerNormalization;
  if (sn) return { mode, kappa: sn.kappa, prior: { mean: Float64Array.from(sn.prior.mean), variance: Float64Array.from(sn.prior.variance) } };
  const f = meta.normalizationFallback;
  return { mode, ...(f ? { legacyFallback: { mean: Float64Array.from(f.mean), scale: Float64Array.from(f.scale) } } : {}) };
}

export interface Predictor {
  readonly meta: BundleMeta;
  readonly model: tf.LayersModel;
  /** The bundle's front end, built once for every call. */
  readonly frontend: Frontend;
  /**
   * Predicts clips processed exactly as in training: the bundle's front end, normalisation and
   * scaler. With per-speaker normalisation the clips given together are one speaker's.
   */
  predict(clips: readonly Clip[], options?: PredictOptions): Promise<ClipPrediction[]>;
  /** A live session: windows of one speaker, the statistics built up as they come. */
  createSession(options?: LiveOptions): LiveSession;
  dispose(): void;
}

export interface LiveOptions {
  /** Seconds between windows (the page: 0.5): overlapping windows count as the new audio they add. */
  hopS?: number;
  /** Windows whose probabilities are averaged for the label shown (default: those of the last 3 s, live-defaults.ts). */
  smoothWindows?: number;
  /** Updates a new label (or "not sure") must lead in a row before it is shown (default: those of 1 s; label-hold.ts). */
  holdUpdates?: number;
  /** Choose among these of the model's emotions only; "not sure" is then below notSureLevel of that choice. */
  emotions?: readonly string[];
  /** The voice's audio counts as this many times fewer clips in its statistics (≥ 1; default LIVE_DEFAULTS.enrolmentDiscount). */
  enrolmentDiscount?: number;
}

export interface LivePrediction extends ClipPrediction {
  kind: "speech";
  /** The window's level (its loudest LEVEL_FRAME_S, live-defaults.ts' createWindowLevel), dB re full scale. */
  levelDb: number;
  historyWindows: number;
  /**
   * The voice's own statistics still weigh less than half of what they will once the session
   * has heard LIVE_HISTORY windows (with the default discount, about the first 100 s of speech
   * at the page's cadence), or are not used yet (older bundles' threshold rule).
   */
  stillLearning: boolean;
  /**
   * What to show: the mean probabilities of the last few windows; `notSure` when even their best
   * (or the held label's mean) is below notSureLevel, or while another emotion leads the held label, `label` the best guess then. A new label or
   * "not sure" is shown only once it has led for `holdUpdates` updates in a row, so `label` may
   * be the one still held while another leads by a little; `confidence` is the shown label's mean.
   */
  smoothed: { label: string; probabilities: Record<string, number>; confidence: number; windows: number; notSure: boolean };
}

/**
 * A window below SILENCE_DB (live-defaults.ts): not classified, nothing added to the voice's
 * statistics; the label shown and the windows it averages are forgotten (as `pause`).
 */
export interface LiveSilence {
  kind: "silence";
  levelDb: number;
  historyWindows: number;
}

export type LiveUpdate = LivePrediction | LiveSilence;

export interface LiveSession {
  /** One window: silence, or its prediction normalised with the session's statistics so far. */
  push(samples: Float32Array, sampleRateHz: number): Promise<LiveUpdate>;
  /**
   * A pause: the label shown and the windows it averages are forgotten, so speech after it
   * starts fresh; the speaker statistics built up so far are kept (a silent window does this).
   */
  pause(): void;
  reset(): void;
}

/**
 * Live windows whose features stand in for "the speaker's other clips": the whole session (up
 * to 5 minutes of windows at the page's two a second), so statistics build up as the person
 * talks and are shrunk toward the training speakers' average while there are few of them —
 * never 8 overlapping windows of one emotion standing in for a speaker's whole range.
 */
export const LIVE_HISTORY = 600;

/**
 * Builds the bundle's front end once (FFT tables, filter banks, WebAssembly instance) and
 * predicts any number of clips or live windows with it.
 */
export async function createPredictor(source: PredictorSource): Promise<Predictor> {
  const { model, meta } = source;
  const differs = source.frontend ? configDifferences(source.frontend.config, meta.frontend) : [];
  if (differs.length > 0) throw new ConfigError(`the front end given to the predictor is not the one its bundle was trained with (${differs.join(", ")} differ).`);
  const frontend = source.frontend ?? (await openFrontend(meta.frontend));
  const mode = meta.frontend.normalization;
  const normalizer = normalizerOf(meta);
  /** Raw features of one clip (utterance-normalised where the bundle says so). */
  const features = async (samples: Float32Array, sampleRateHz: number): Promise<Float32Array> => {
    const x = new Float32Array(frontend.size);
    frontend.extract(frontend.prepare(samples, sampleRateHz), x);
    if (mode === "utterance") applyNorm(x, frontend.dims, rowStats([x], frontend.dims));
    return x;
  };
  /**
   * The statistics for one speaker's clips: shrunk toward the training prior, the clips counting
   * as `counted` (a live session's discount; older bundles: the threshold rule).
   */
  const speakerStats = (xs: readonly Float32Array[], counted = xs.length): { stats: NormStats; used: NormalizationUsed } | undefined => {
    const stats = statsFor(normalizer, xs, frontend.dims, counted);
    if (!stats) return undefined;
    if (normalizer.prior) return { stats, used: { kind: "speaker", clips: xs.length, weight: enrolmentWeight(counted, kappaOf(normalizer)) } };
    return { stats, used: xs.length < MIN_SPEAKER_CLIPS && normalizer.legacyFallback ? { kind: "training-average", clips: xs.length } : { kind: "speaker", clips: xs.length } };
  };
  const k = meta.labels.length;
  const temperature = meta.calibration?.temperature ?? 1;
  /** Normalised and scaled copies of raw features, classified in one batch. */
  const classify = async (raw: readonly Float32Array[], stats: NormStats | undefined, options: PredictOptions, mask?: Uint8Array): Promise<{ probs: Float32Array; mc?: McDropoutResult }> => {
    const n = raw.length;
    const batch = new Float32Array(n * frontend.size);
    raw.forEach((r, i) => {
      const x = batch.subarray(i * frontend.size, (i + 1) * frontend.size);
      x.set(r);
      if (stats) applyNorm(x, frontend.dims, stats);
      applyStandardScaler(meta.scaler, x);
    });
    const input = tf.tensor(batch, [n, ...frontend.shape]);
    try {
      if (options.mcPasses && options.mcPasses > 1) {
        const mc = await mcDropoutPredict(model, input, { passes: options.mcPasses, seed: options.seed ?? 0, temperature });
        if (mask) narrowRows(mc.mean, k, () => mask);
        return { probs: mc.mean, mc };
      }
      const t = model.predict(input) as tf.Tensor;
      let probs: Float32Array;
      try {
        probs = (await t.data()) as Float32Array;
      } finally {
        t.dispose();
      }
      if (temperature !== 1) probs = applyTemperature(probs, k, temperature);
      if (mask) narrowRows(probs, k, () => mask);
      return { probs };
    } finally {
      input.dispose();
    }
  };
  const describe = (name: string, probs: Float32Array, entropy: Float32Array | Float64Array, i: number, options: PredictOptions, mc?: McDropoutResult, mask?: Uint8Array): ClipPrediction => {
    const row = probs.subarray(i * k, (i + 1) * k);
    let best = mask ? mask.indexOf(1) : 0;
    row.forEach((v, c) => {
      if ((!mask || mask[c]) && v > row[best]!) best = c;
    });
    const confidence = row[best]!;
    return {
      name,
      label: meta.labels[best]!,
      // Narrowed: only the emotions chosen among.
      probabilities: Object.fromEntries(meta.labels.flatMap((l, c) => (!mask || mask[c] ? [[l, row[c]!]] : []))),
      confidence,
      entropy: entropy[i]!,
      calibrated: meta.calibration !== undefined,
      ...(options.abstainBelow !== undefined && confidence < options.abstainBelow ? { abstained: true } : {}),
      ...(mc ? { mcDropout: { passes: options.mcPasses!, mutualInformation: mc.mutualInformation[i]!, predictiveEntropy: mc.predictiveEntropy[i]! } } : {}),
    };
  };
  const normalizationOf = (used: NormalizationUsed | undefined): NormalizationUsed => used ?? { kind: mode === "utterance" ? "utterance" : "none" };
  return {
    meta,
    model,
    frontend,
    async predict(clips, options = {}) {
      if (clips.length === 0) return [];
      const raw: Float32Array[] = [];
      for (const c of clips) raw.push(await features(c.samples, c.sampleRateHz));
      // Monte-Carlo dropout's uncertainty (mutual information) is over every class; narrowed
      // probabilities beside it would not match it.
      if (options.emotions && (options.mcPasses ?? 0) > 1) throw new ConfigError("Monte-Carlo dropout measures uncertainty over all the model's emotions: it cannot be combined with choosing among some of them.");
      const mask = options.emotions ? classMask(meta.labels, options.emotions) : undefined;
      const s = speakerStats(raw);
      const { probs, mc } = await classify(raw, s?.stats, options, mask);
      const entropy = rowEntropy(probs, k);
      return clips.map((c, i) => ({ ...describe(c.name, probs, entropy, i, options, mc, mask), normalization: normalizationOf(s?.used) }));
    },
    createSession(live = {}) {
      let history: Float32Array[] = [];
      let recent: Float32Array[] = [];
      /** The windows the statistics are built from, oldest first (one array per session, refilled each push). */
      const sampled: Float32Array[] = [];
      const hopS = live.hopS ?? meta.frontend.durationS;
      if (!(hopS > 0) || !Number.isFinite(hopS)) throw new ConfigError(`a live session's hopS must be a positive number of seconds, got ${live.hopS}.`);
      const defaults = liveWindows(hopS);
      const smoothWindows = live.smoothWindows ?? defaults.smoothWindows;
      if (!Number.isInteger(smoothWindows) || smoothWindows < 1) throw new ConfigError(`a live session's smoothWindows must be a whole number ≥ 1, got ${smoothWindows}.`);
      const hold = createLabelHold(live.holdUpdates ?? defaults.holdUpdates);
      const discount = enrolmentDiscount(live.enrolmentDiscount);
      const mask = live.emotions ? classMask(meta.labels, live.emotions) : undefined;
      /** The emotions chosen among: "not sure" below notSureLevel of them. */
      const choices = mask ? mask.reduce((a, b) => a + b, 0) : k;
      // Overlapping windows share audio: each one after the first adds hop / window of a clip.
      const share = Math.min(1, hopS / meta.frontend.durationS);
      const effectiveClips = (windows: number) => Math.max(1, Math.round(1 + (windows - 1) * share));
      const pause = () => {
        recent = [];
        hold.reset();
      };
      /** The level plan for the windows' sample rate (a microphone keeps one; rebuilt if it changes). */
      let meter: { sampleRateHz: number; levelDb: (samples: Float32Array) => number } | undefined;
      const notSureBelow = notSureLevel(choices);
      /** The weight a full history reaches: "still learning" below half of it. */
      const fullWeight = enrolmentWeight(effectiveClips(LIVE_HISTORY) / discount, kappaOf(normalizer));
      return {
        async push(samples, sampleRateHz) {
          if (meter?.sampleRateHz !== sampleRateHz) meter = { sampleRateHz, levelDb: createWindowLevel(sampleRateHz) };
          const levelDb = meter.levelDb(samples);
          if (!(levelDb >= SILENCE_DB)) {
            pause();
            return { kind: "silence", levelDb, historyWindows: history.length };
          }
          // Features of earlier windows are kept, not recomputed: one extraction per window.
          history.push(await features(samples, sampleRateHz));
          if (history.length > LIVE_HISTORY) history.shift();
          // The statistics weigh the session by the distinct audio heard (effective clips), not by overlapping windows.
          const effective = effectiveClips(history.length);
          // Evenly spaced back from the newest window, so the current one is always among them.
          const step = history.length / effective;
          sampled.length = effective;
          for (let i = 0; i < effective; i++) sampled[effective - 1 - i] = history[history.length - 1 - Math.floor(i * step)]!;
          const s = speakerStats(sampled, effective / discount);
          const last = history[history.length - 1]!;
          const { probs } = await classify([last], s?.stats, {}, mask);
          recent = [...recent, probs.slice(0, k)].slice(-smoothWindows);
          const mean = new Float32Array(k);
          for (const r of recent) for (let c = 0; c < k; c++) mean[c] = mean[c]! + r[c]! / recent.length;
          const sm = describe("live", mean, rowEntropy(mean, k), 0, {}, undefined, mask);
          const shown = hold.next(sm.confidence < notSureBelow ? NOT_SURE : sm.label);
          // A held label is not shown as an answer when its mean has sunk below the "not sure"
          // level or another emotion now leads (it has not led long enough to show): the label
          // on screen never sits below the stated level and never contradicts the bars.
          const notSure = shown === NOT_SURE || sm.probabilities[shown]! < notSureBelow || shown !== sm.label;
          const label = notSure ? sm.label : shown;
          return {
            ...describe("live", probs, rowEntropy(probs, k), 0, {}, undefined, mask),
            kind: "speech",
            levelDb,
            normalization: normalizationOf(s?.used),
            historyWindows: history.length,
            stillLearning: s?.used.kind === "training-average" || (s?.used.kind === "speaker" && s.used.weight !== undefined && s.used.weight < fullWeight / 2),
            smoothed: { label, probabilities: sm.probabilities, confidence: sm.probabilities[label]!, windows: recent.length, notSure },
          };
        },
        pause,
        reset() {
          history = [];
          recent = [];
          hold.reset();
        },
      };
    },
    dispose() {
      model.dispose();
    },
  };
}
