import { rmsDb } from "../dsp/db.ts";
import { createRms } from "../dsp/spectral.ts";
import { ConfigError } from "../errors.ts";
/**
 * How a live session smooths what it shows, in seconds of audio, whatever the hop between
 * windows: the label shown averages the last 3 s of windows, and a new label shows once it has
 * led for 1 s (at least one window each). At the page's cadence (a window every 0.5 s) that is 6
 * windows and 2 updates; for `ser predict --timeline` with 2.5 s hops, 1 and 1. Kept apart from
 * predictor.ts so the page's main thread can describe them without loading TensorFlow.js.
 *
 * `enrolmentDiscount`: the voice's own statistics weigh the distinct audio heard as this many
 * times fewer clips against the training speakers' average (ENROLMENT_KAPPA). Training's
 * enrolment draws a speaker's clips across emotions; a live voice is often one emotion for a
 * while, and its statistics then describe that emotion as much as the voice, normalising it
 * toward the middle (sessions that first hear every emotion of the speaker show more:
 * docs/accuracy.md). 16 is the best of 1–64 over the three shared corpora's 183 one-emotion
 * streams, each heard by a model that never heard its speaker (bench/live-folds.sh; 107 shown
 * against 97 undiscounted, 89 with the training average alone; every corpus gains); among
 * four emotions the discount barely matters (69–72 of 104 from 1 to 64; 71 at 16). The fair
 * figure is smaller: chosen for each corpus on the other two, 100 of 183 (RAVDESS then gets
 * 32; among 1–16 alone, 106): bench/results/live-folds-discount.json and
 * live-folds-discount-four.json.
 */
export const LIVE_DEFAULTS = Object.freeze({ smoothS: 3, holdS: 1, enrolmentDiscount: 16 });

/**
 * Below this level (dB re full scale) a live window is silence: it is not classified and adds
 * nothing to the voice's statistics, and the label shown starts again when speech resumes. The
 * level is the window's loudest 50 ms (createWindowLevel), not its mean: soft speech among pauses is
 * still speech (RAVDESS actor 08's calm clips: mean −50 dB over 2.5 s, loudest 50 ms −43 dB, room
 * −88 dB). A room's quiet is about −60 dB at a laptop microphone. Without the rule a silent window
 * would be trimmed, raised to the training level and classified as if it were speech. The page,
 * `ser predict --timeline` and bench:live share it.
 */
export const SILENCE_DB = -50;

/** The frame (seconds) whose loudest instance is a window's level. */
export const LEVEL_FRAME_S = 0.05;

/**
 * A window's level, dB re full scale: the RMS of its loudest LEVEL_FRAME_S of audio, over frames
 * half a frame apart (a burst across two frames is still caught within 3 dB by one of them; the
 * whole window when shorter than a frame). Built once per sample rate on core's createRms
 * (librosa.feature.rms framing, not centred); the frame buffer grows to the longest window.
 */
export function createWindowLevel(sampleRateHz: number): (samples: Float32Array) => number {
  if (!(sampleRateHz > 0) || !Number.isFinite(sampleRateHz)) throw new ConfigError(`a window's sample rate must be a positive number of Hz, got ${sampleRateHz}.`);
  const frameLength = Math.max(1, Math.round(LEVEL_FRAME_S * sampleRateHz));
  const rms = createRms({ frameLength, hopLength: Math.max(1, frameLength >> 1), center: false });
  let frames = new Float32Array(0);
  return (samples) => {
    const n = rms.frameCount(samples.length);
    if (n === 0) return rmsDb(samples);
    if (frames.length < n) frames = new Float32Array(n);
    rms.compute(samples, frames);
    let loudest = 0;
    for (let t = 0; t < n; t++) loudest = Math.max(loudest, frames[t]!);
    return 20 * Math.log10(loudest);
  };
}

/** A level as the page and the CLI print it: "−62 dB", or "digital silence" for all-zero audio. */
export function formatLevelDb(db: number): string {
  return Number.isFinite(db) ? `${db.toFixed(0).replace("-", "−")} dB` : "digital silence";
}

/** The windows averaged and the updates a new label must lead, for windows `hopS` seconds apart. */
export function liveWindows(hopS: number): { smoothWindows: number; holdUpdates: number } {
  return {
    smoothWindows: Math.max(1, Math.round(LIVE_DEFAULTS.smoothS / hopS)),
    holdUpdates: Math.max(1, Math.round(LIVE_DEFAULTS.holdS / hopS)),
  };
}

/** A live session's enrolment discount, given or the default; refused unless a finite number ≥ 1. */
export function enrolmentDiscount(given?: number): number {
  const discount = given ?? LIVE_DEFAULTS.enrolmentDiscount;
  if (!(discount >= 1) || !Number.isFinite(discount)) throw new ConfigError(`a live session's enrolmentDiscount must be a number ≥ 1, got ${discount}.`);
  return discount;
}

/**
 * How far from chance toward certainty a live label's mean must reach to be shown: below it the
 * label is "not sure". An eighth keeps the level the nine-class model has always had (twice
 * chance, 2/9) and scales it with the choice: 34 % among four, 56 % between two. Twice chance
 * does not scale: among four it is 50 %, which the calibrated mean of a few seconds seldom
 * reaches even when it leads the right emotion (bench/results/live-folds-corpora-four.json:
 * the right best guess in 70 of 104 streams, shown in 34).
 */
export const NOT_SURE_FRACTION = 1 / 8;

/** Below this mean probability a live label is "not sure", among `choices` emotions. */
export function notSureLevel(choices: number): number {
  const chance = 1 / choices;
  return chance + NOT_SURE_FRACTION * (1 - chance);
}

/** The not-sure level as the page and the CLI describe it: "22 % among 9". */
export function describeNotSure(choices: number): string {
  return `${Math.round(100 * notSureLevel(choices))} % among ${choices}`;
}
