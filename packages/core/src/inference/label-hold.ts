/**
 * What a live display shows: a label (or "not sure") that changes only when a new one has led
 * for `holdUpdates` updates in a row (a live session's default: those of 1 s, live-defaults.ts).
 * Smoothing the probabilities alone still lets the top label flip back and forth between two
 * close emotions every half second; holding it for a second (two updates at the page's cadence)
 * removed a third of the changes on one-emotion streams of unseen speakers without changing
 * which label held most of the time (bench/live.ts).
 */
import { ConfigError } from "../errors.ts";

export const NOT_SURE = "not sure";

export interface LabelHold {
  /** The state this update proposes (a label or NOT_SURE); returns the state to show. */
  next(proposed: string): string;
  reset(): void;
}

export function createLabelHold(holdUpdates: number): LabelHold {
  if (!Number.isInteger(holdUpdates) || holdUpdates < 1) throw new ConfigError(`holdUpdates must be a whole number ≥ 1, got ${holdUpdates}.`);
  let shown: string | undefined;
  let pending: string | undefined;
  let count = 0;
  return {
    next(proposed) {
      if (shown === undefined || proposed === shown) {
        shown = proposed;
        pending = undefined;
        count = 0;
        return shown;
      }
      count = proposed === pending ? count + 1 : 1;
      pending = proposed;
      if (count >= holdUpdates) {
        shown = proposed;
        pending = undefined;
        count = 0;
      }
      return shown;
    },
    reset() {
      shown = pending = undefined;
      count = 0;
    },
  };
}
