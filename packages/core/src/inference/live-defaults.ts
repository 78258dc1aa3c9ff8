/**
 * How a live session smooths what it shows, in seconds of audio, whatever the hop between
 * windows: the label shown averages the last 3 s of windows, and a new label shows once it has
 * led for 1 s (at least one window each). At the page's cadence (a window every 0.5 s) that is 6
 * windows and 2 updates; for `ser predict --timeline` with 2.5 s hops, 1 and 1. Kept apart from
 * predictor.ts so the page's main thread can describe them without loading TensorFlow.js.
 */
export const LIVE_DEFAULTS = Object.freeze({ smoothS: 3, holdS: 1 });

/** The windows averaged and the updates a new label must lead, for windows `hopS` seconds apart. */
export function liveWindows(hopS: number): { smoothWindows: number; holdUpdates: number } {
  return {
    smoothWindows: Math.max(1, Math.round(LIVE_DEFAULTS.smoothS / hopS)),
    holdUpdates: Math.max(1, Math.round(LIVE_DEFAULTS.holdS / hopS)),
  };
}

/**
 * Below this mean probability a live label is "not sure": twice chance among the `choices`
 * emotions chosen among, but never above halfway from chance to certainty (with two choices
 * twice chance would be 1, and nothing would ever show).
 */
export function notSureLevel(choices: number): number {
  return Math.min(2 / choices, (1 + 1 / choices) / 2);
}
