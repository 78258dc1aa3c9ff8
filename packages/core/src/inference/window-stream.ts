import { ConfigError } from "../errors.ts";

/** A long signal cut into windows as it arrives (a recording read in blocks, a microphone). */
export interface WindowStream {
  /** The next samples, in order, any block size; full windows go to `onWindow` as they complete. */
  push(samples: Float32Array): Promise<void>;
  /** After the last sample: the tail not yet covered by a window, if any, as a last (shorter) window. */
  finish(): Promise<void>;
}

/**
 * Windows of `windowSamples` starting every `hopSamples` (0, hop, 2·hop, …) over a signal that
 * arrives in blocks, holding one window of audio at a time. Every window is the same slice a
 * whole-signal cut would take; a signal shorter than one window gives one window of what there
 * is, and audio after the last full window gives one last window from the next start to the end
 * (so nothing heard is left out). `onWindow` gets its own copy and the window's first sample.
 */
export function createWindowStream(
  windowSamples: number,
  hopSamples: number,
  onWindow: (window: Float32Array, startSample: number) => Promise<void> | void,
): WindowStream {
  if (!(Number.isInteger(windowSamples) && windowSamples > 0)) throw new ConfigError(`window length must be a positive number of samples, got ${windowSamples}.`);
  if (!(Number.isInteger(hopSamples) && hopSamples > 0)) throw new ConfigError(`hop must be a positive number of samples, got ${hopSamples}.`);
  const buf = new Float32Array(Math.max(windowSamples, hopSamples) + windowSamples);
  let bufStart = 0; // absolute index of buf[0]
  let bufLen = 0;
  let nextStart = 0; // absolute start of the next window
  let lastEnd = 0; // absolute end of the last window emitted
  let done = false;

  const emitReady = async () => {
    while (nextStart + windowSamples <= bufStart + bufLen) {
      const from = nextStart - bufStart;
      await onWindow(buf.slice(from, from + windowSamples), nextStart);
      lastEnd = nextStart + windowSamples;
      nextStart += hopSamples;
    }
    // Drop what no later window reads.
    const keep = Math.min(nextStart, bufStart + bufLen) - bufStart;
    if (keep > 0) {
      buf.copyWithin(0, keep, bufLen);
      bufLen -= keep;
      bufStart += keep;
    }
  };

  return {
    async push(samples) {
      if (done) throw new ConfigError("the window stream is finished.");
      let at = 0;
      while (at < samples.length) {
        // Samples before the next window's start are skipped without buffering (hop > window).
        const skip = Math.min(samples.length - at, Math.max(0, nextStart - (bufStart + bufLen)));
        if (skip > 0 && bufLen === 0) {
          bufStart += skip;
          at += skip;
          continue;
        }
        const n = Math.min(samples.length - at, buf.length - bufLen);
        buf.set(samples.subarray(at, at + n), bufLen);
        bufLen += n;
        at += n;
        await emitReady();
      }
    },
    async finish() {
      if (done) return;
      done = true;
      const end = bufStart + bufLen;
      if (end > lastEnd && nextStart < end) {
        const from = nextStart - bufStart;
        await onWindow(buf.slice(from, bufLen), nextStart);
      } else if (end === 0 && lastEnd === 0) {
        throw new ConfigError("the signal is empty: no window to predict.");
      }
    },
  };
}
