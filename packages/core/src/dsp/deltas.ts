import { ConfigError } from "../errors.ts";

export interface DeltaConfig {
  /** Odd window length >= 3 (librosa width=9). */
  width?: number;
  /** Derivative order (librosa order=1). */
  order?: number;
}

/**
 * Savitzky-Golay coefficients for the `order`-th derivative of a degree-`order` least-squares
 * polynomial over offsets -h..h (scipy.signal.savgol_coeffs with polyorder=deriv=order, in
 * correlation order: out[i] = sum_j c[j + h] x[i + j]).
 */
export function savgolDerivativeCoefficients(width: number, order: number): Float64Array {
  const h = (width - 1) / 2;
  const p = order + 1;
  // Normal equations (V^T V) a = V^T y with V[j][i] = j^i; we need row `order` of (V^T V)^-1 V^T.
  const ata = new Float64Array(p * p);
  for (let r = 0; r < p; r++) {
    for (let c = 0; c < p; c++) {
      let s = 0;
      for (let j = -h; j <= h; j++) s += j ** (r + c);
      ata[r * p + c] = s;
    }
  }
  const inv = invert(ata, p);
  let factorial = 1;
  for (let i = 2; i <= order; i++) factorial *= i;
  const coeffs = new Float64Array(width);
  for (let j = -h; j <= h; j++) {
    let s = 0;
    for (let i = 0; i < p; i++) s += inv[order * p + i]! * j ** i;
    coeffs[j + h] = factorial * s;
  }
  return coeffs;
}

function invert(m: Float64Array, n: number): Float64Array {
  const a = m.slice();
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]!) > Math.abs(a[pivot * n + col]!)) pivot = r;
    for (let c = 0; c < n; c++) {
      [a[col * n + c], a[pivot * n + c]] = [a[pivot * n + c]!, a[col * n + c]!];
      [inv[col * n + c], inv[pivot * n + c]] = [inv[pivot * n + c]!, inv[col * n + c]!];
    }
    const d = a[col * n + col]!;
    for (let c = 0; c < n; c++) {
      a[col * n + c] = a[col * n + c]! / d;
      inv[col * n + c] = inv[col * n + c]! / d;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r * n + col]!;
      for (let c = 0; c < n; c++) {
        a[r * n + c] = a[r * n + c]! - f * a[col * n + c]!;
        inv[r * n + c] = inv[r * n + c]! - f * inv[col * n + c]!;
      }
    }
  }
  return inv;
}

/**
 * librosa.feature.delta(data, width, order, axis=-1, mode="interp") on a frames-major
 * [frames × dims] array. With mode "interp" the first and last width/2 frames take the
 * derivative of the polynomial fitted to the first / last full window; since the polynomial
 * has degree `order`, that derivative is the value at the window's center.
 */
export function delta(
  input: Float32Array,
  frames: number,
  dims: number,
  out: Float32Array,
  config: DeltaConfig = {},
): void {
  const width = config.width ?? 9;
  const order = config.order ?? 1;
  if (!Number.isInteger(width) || width < 3 || width % 2 === 0) {
    throw new ConfigError(`delta width must be an odd integer >= 3, got ${width}.`);
  }
  if (!Number.isInteger(order) || order < 1) throw new ConfigError(`delta order must be a positive integer, got ${order}.`);
  if (order >= width) throw new ConfigError(`delta order (${order}) must be less than width (${width}).`);
  if (frames < width) {
    throw new ConfigError(`delta width (${width}) exceeds the number of frames (${frames}); use a smaller width.`);
  }
  if (input.length < frames * dims || out.length < frames * dims) {
    throw new ConfigError(`delta needs ${frames * dims} values in input and output.`);
  }
  const c = savgolDerivativeCoefficients(width, order);
  const h = (width - 1) / 2;
  for (let t = h; t < frames - h; t++) {
    for (let d = 0; d < dims; d++) {
      let s = 0;
      for (let j = -h; j <= h; j++) s += c[j + h]! * input[(t + j) * dims + d]!;
      out[t * dims + d] = s;
    }
  }
  for (let t = 0; t < h; t++) {
    for (let d = 0; d < dims; d++) {
      out[t * dims + d] = out[h * dims + d]!;
      out[(frames - 1 - t) * dims + d] = out[(frames - 1 - h) * dims + d]!;
    }
  }
}
