export interface PowerToDbOptions {
  /** Reference power (librosa ref=1.0). */
  ref?: number;
  /** Floor applied before the log (librosa amin=1e-10). */
  amin?: number;
  /** Clip to max - topDb over the whole array; null disables (librosa top_db=80). */
  topDb?: number | null;
}

/**
 * In-place librosa.power_to_db: 10 log10(max(amin, S)) - 10 log10(max(amin, ref)), then
 * clipped below at (max over the whole array) - top_db. The floor is global, not per frame,
 * so this runs on a whole signal's spectrogram after all frames are known.
 */
export function powerToDb(values: Float32Array | Float64Array, options: PowerToDbOptions = {}, count = values.length): void {
  const amin = options.amin ?? 1e-10;
  const ref = options.ref ?? 1;
  const topDb = options.topDb === undefined ? 80 : options.topDb;
  const refDb = 10 * Math.log10(Math.max(amin, ref));
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = 10 * Math.log10(Math.max(amin, values[i]!)) - refDb;
    values[i] = v;
    if (v > max) max = v;
  }
  if (topDb !== null) {
    const floor = max - topDb;
    for (let i = 0; i < count; i++) if (values[i]! < floor) values[i] = floor;
  }
}

/** Root-mean-square level of `samples` in dB re full scale (−Infinity when all zero). */
export function rmsDb(samples: Float32Array): number {
  let s = 0;
  for (let i = 0; i < samples.length; i++) s += samples[i]! * samples[i]!;
  return 10 * Math.log10(s / Math.max(1, samples.length));
}
