import { ConfigError, requirePositiveInt } from "../errors.ts";

export type WindowName = "hann" | "hamming" | "rectangular";

/**
 * Window of `length` samples. Periodic ("DFT-even") by default, as
 * `scipy.signal.get_window(name, length, fftbins=True)` which librosa uses for STFT.
 */
export function makeWindow(name: WindowName, length: number, periodic = true): Float64Array {
  requirePositiveInt("window length", length);
  const w = new Float64Array(length);
  const denom = periodic ? length : length - 1;
  if (length === 1) {
    w[0] = 1;
    return w;
  }
  for (let i = 0; i < length; i++) {
    const c = Math.cos((2 * Math.PI * i) / denom);
    w[i] = name === "hann" ? 0.5 - 0.5 * c : name === "hamming" ? 0.54 - 0.46 * c : 1;
  }
  return w;
}

/** Centers `window` in a zero array of `size` samples (librosa.util.pad_center). */
export function padCenter(window: Float64Array, size: number): Float64Array {
  if (window.length > size) {
    throw new ConfigError(`win_length (${window.length}) must not exceed n_fft (${size}).`);
  }
  const out = new Float64Array(size);
  out.set(window, Math.floor((size - window.length) / 2));
  return out;
}
