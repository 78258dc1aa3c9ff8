import { ConfigError, requirePositiveInt } from "../errors.ts";
import { createComplexFft } from "./fft.ts";

export interface YinConfig {
  sampleRateHz: number;
  /** Samples per analysis frame; must hold two periods of `fminHz` (YIN's integration window plus the largest lag). */
  frameLength?: number;
  hopLength?: number;
  /** Lowest and highest fundamental searched. */
  fminHz?: number;
  fmaxHz?: number;
  /** Absolute threshold on the cumulative mean normalised difference (step 4 of YIN). */
  threshold?: number;
}

/** Pitch per frame: frames start at t * hopLength (not centred), the tail is zero-padded. */
export interface Yin {
  readonly frameLength: number;
  readonly hopLength: number;
  frameCount(nSamples: number): number;
  /**
   * Fills, per frame, `f0Hz` (0 where no period is found: unvoiced or silent), `aperiodicity`
   * (the normalised difference at the chosen lag, 1 when unvoiced) and `rms` (sqrt(mean(x^2))
   * over the whole frame).
   */
  compute(signal: Float32Array, f0Hz: Float32Array, aperiodicity: Float32Array, rms: Float32Array): void;
}

/**
 * YIN fundamental-frequency estimator (de Cheveigné & Kawahara, "YIN, a fundamental frequency
 * estimator for speech and music", JASA 2002), steps 2-5: the difference function
 * d(τ) = Σ_{j<W} (x_j − x_{j+τ})², its cumulative mean normalisation d'(τ) = d(τ)·τ / Σ_{k≤τ} d(k),
 * the first lag in [sr/fmax, sr/fmin) where d' dips under the threshold (followed down to its
 * local minimum), and parabolic interpolation around it. Unlike librosa.yin, which always
 * returns the global minimum, a frame without a dip under the threshold is unvoiced (f0 = 0), so
 * the voicing decision comes with the pitch.
 *
 * d(τ) is computed as E(0..W) + E(τ..τ+W) − 2·r(τ): energies from prefix sums and the
 * cross-correlation r from one packed complex FFT of the frame and one inverse, in float64 (the
 * subtraction cancels at the period, where d is small against the energies).
 */
export function createYin(config: YinConfig): Yin {
  const sr = config.sampleRateHz;
  if (!(sr > 0)) throw new ConfigError(`sample rate must be positive, got ${sr}.`);
  const n = requirePositiveInt("frame_length", config.frameLength ?? 1024);
  const hop = requirePositiveInt("hop_length", config.hopLength ?? 160);
  const fmin = config.fminHz ?? 70;
  const fmax = config.fmaxHz ?? 450;
  const threshold = config.threshold ?? 0.15;
  if (!(fmin > 0 && fmax > fmin && fmax < sr / 2)) {
    throw new ConfigError(`pitch range must satisfy 0 < fmin < fmax < sr/2, got fmin ${fmin} Hz, fmax ${fmax} Hz at ${sr} Hz.`);
  }
  if (!(threshold > 0 && threshold < 1)) throw new ConfigError(`YIN threshold must be between 0 and 1, got ${threshold}.`);
  const tauMin = Math.max(2, Math.floor(sr / fmax));
  const tauMax = Math.ceil(sr / fmin);
  const w = n - tauMax;
  if (w < tauMax) {
    throw new ConfigError(`a ${n}-sample frame is too short for YIN down to ${fmin} Hz at ${sr} Hz: it needs at least ${2 * tauMax} samples.`);
  }
  let size = 1;
  while (size < n) size *= 2;
  const fft = createComplexFft(size);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const frame = new Float64Array(n);
  const prefix = new Float64Array(n + 1);
  const d = new Float64Array(tauMax + 1);
  const cmnd = new Float64Array(tauMax + 1);

  const frameCount = (nSamples: number) => (nSamples <= n ? 1 : 1 + Math.floor((nSamples - n) / hop));

  return {
    frameLength: n,
    hopLength: hop,
    frameCount,
    compute(signal, f0Hz, aperiodicity, rms) {
      const frames = frameCount(signal.length);
      for (const [name, out] of [["f0", f0Hz], ["aperiodicity", aperiodicity], ["rms", rms]] as const) {
        if (out.length < frames) throw new ConfigError(`${name} output holds ${out.length} values, YIN needs ${frames}.`);
      }
      for (let t = 0; t < frames; t++) {
        const start = t * hop;
        const avail = Math.max(0, Math.min(n, signal.length - start));
        for (let i = 0; i < avail; i++) frame[i] = signal[start + i]!;
        frame.fill(0, avail);
        prefix[0] = 0;
        for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + frame[i]! * frame[i]!;
        rms[t] = Math.sqrt(prefix[n]! / n);
        f0Hz[t] = 0;
        aperiodicity[t] = 1;
        if (prefix[n]! === 0) continue;

        // z = a + i·b with a the first W samples (zero beyond) and b the whole frame.
        for (let i = 0; i < size; i++) {
          re[i] = i < w ? frame[i]! : 0;
          im[i] = i < n ? frame[i]! : 0;
        }
        fft.forward(re, im);
        // A_k = (Z_k + conj Z_{-k}) / 2, B_k = (Z_k − conj Z_{-k}) / 2i; R_k = conj(A_k)·B_k. The
        // inverse is taken as conj(FFT(conj R)) / size; r is real, so only its real part is kept.
        // Bins k and size−k are read before either is written, so the loop pairs them.
        for (let k = 0; k <= size / 2; k++) {
          const j = (size - k) % size;
          const zr = re[k]!, zi = im[k]!, yr = re[j]!, yi = im[j]!;
          // bin k
          let ar = (zr + yr) / 2, ai = (zi - yi) / 2;
          let br = (zi + yi) / 2, bi = (yr - zr) / 2;
          const rkr = ar * br + ai * bi, rki = ar * bi - ai * br;
          // bin size−k: A_{-k} = conj A_k, B_{-k} = conj B_k, so R_{-k} = conj R_k.
          ar = (yr + zr) / 2; ai = (yi - zi) / 2;
          br = (yi + zi) / 2; bi = (zr - yr) / 2;
          const rjr = ar * br + ai * bi, rji = ar * bi - ai * br;
          re[k] = rkr; im[k] = -rki;
          re[j] = rjr; im[j] = -rji;
        }
        fft.forward(re, im);

        const ea = prefix[w]!;
        let cum = 0;
        cmnd[0] = 1;
        for (let tau = 1; tau <= tauMax; tau++) {
          const v = ea + (prefix[tau + w]! - prefix[tau]!) - 2 * (re[tau]! / size);
          d[tau] = v > 0 ? v : 0;
          cum += d[tau]!;
          cmnd[tau] = cum > 0 ? (d[tau]! * tau) / cum : 1;
        }
        let tau = -1;
        for (let k = tauMin; k < tauMax; k++) {
          if (cmnd[k]! < threshold) {
            tau = k;
            while (tau + 1 < tauMax && cmnd[tau + 1]! < cmnd[tau]!) tau++;
            break;
          }
        }
        if (tau < 0) continue;
        // Parabolic interpolation of d' through tau−1, tau, tau+1 (step 5).
        const a = cmnd[tau - 1]!, b = cmnd[tau]!, c = cmnd[tau + 1]!;
        const den = a - 2 * b + c;
        const shift = den !== 0 ? (0.5 * (a - c)) / den : 0;
        f0Hz[t] = sr / (tau + shift);
        aperiodicity[t] = b;
      }
    },
  };
}
