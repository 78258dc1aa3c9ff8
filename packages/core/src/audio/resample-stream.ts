import { ConfigError } from "../errors.ts";
import type { Resampler } from "./resample.ts";

/** A signal resampled block by block: the same samples as `resampler.process` on the whole signal. */
export interface ResampleStream {
  /** Output samples of the whole signal. */
  readonly outputLength: number;
  /** The next input samples, in order, any block size; finished output goes to `onOutput` (a view, reused). */
  push(input: Float32Array): void;
  /** After the last input sample: the remaining output. */
  finish(): void;
}

/**
 * Resamples a signal of `totalInput` samples that arrives in blocks (a long file read piece by
 * piece), holding about `segment` input samples at a time. Output o of the whole-signal
 * resampler reads inputs floor(o·down/up) − k onwards (taps = 2k + 1); each segment starts on a
 * multiple of `down`, so its outputs are the whole signal's outputs shifted by a whole number,
 * and only those whose window lies inside the segment (or at the signal's true edges) are kept:
 * the same multiply-adds, so the same float32 samples as one `process` call (tested).
 */
export function createResampleStream(
  resampler: Resampler,
  totalInput: number,
  onOutput: (samples: Float32Array) => void,
  segment = 1 << 18,
): ResampleStream {
  const { up, down, taps } = resampler;
  const k = (taps - 1) >> 1;
  const outputLength = resampler.outputLength(totalInput);
  const minSegment = Math.max(segment, 4 * taps + 2 * down);
  let buf = new Float32Array(minSegment * 2);
  let bufStart = 0; // absolute index of buf[0]
  let bufLen = 0;
  let received = 0;
  let next = 0; // next output to emit
  let finished = false;
  let out = new Float32Array(0); // reused: onOutput must use each block before the next

  const windowStart = (o: number) => Math.floor((o * down) / up) - k;

  /** Runs the resampler on buf and emits outputs next .. end-1. */
  const emit = (end: number) => {
    if (end <= next) return;
    const seg = buf.subarray(0, bufLen);
    const shift = (bufStart / down) * up; // outputs before the segment
    if (out.length < resampler.outputLength(bufLen)) out = new Float32Array(resampler.outputLength(bufLen));
    resampler.process(seg, out);
    onOutput(out.subarray(next - shift, end - shift));
    next = end;
    // Keep the inputs the next output still needs, from a multiple of `down`.
    const keepFrom = Math.max(0, Math.floor(Math.max(0, windowStart(next)) / down) * down);
    const drop = keepFrom - bufStart;
    if (drop > 0) {
      buf.copyWithin(0, drop, bufLen);
      bufLen -= drop;
      bufStart = keepFrom;
    }
  };

  return {
    outputLength,
    push(input) {
      if (finished) throw new ConfigError("the resample stream is finished.");
      if (received + input.length > totalInput) throw new ConfigError(`the resample stream was told ${totalInput} input samples and got more.`);
      received += input.length;
      if (up === 1 && down === 1) {
        if (input.length > 0) onOutput(input);
        next += input.length;
        return;
      }
      let offset = 0;
      while (offset < input.length) {
        if (bufLen === buf.length) {
          const grown = new Float32Array(buf.length * 2);
          grown.set(buf);
          buf = grown;
        }
        const n = Math.min(input.length - offset, buf.length - bufLen);
        buf.set(input.subarray(offset, offset + n), bufLen);
        bufLen += n;
        offset += n;
        if (bufLen >= minSegment && received < totalInput) {
          // Outputs whose whole window lies inside what is buffered.
          const end = bufStart + bufLen;
          let last = Math.min(outputLength, Math.floor(((end - taps + k) * up) / down) + 1);
          while (last > next && windowStart(last - 1) + taps > end) last--;
          emit(last);
        }
      }
    },
    finish() {
      if (finished) return;
      if (received !== totalInput) throw new ConfigError(`the resample stream was told ${totalInput} input samples and got ${received}.`);
      finished = true;
      if (up === 1 && down === 1) return;
      emit(outputLength);
    },
  };
}
