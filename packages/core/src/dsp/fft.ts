import { requirePositiveInt } from "../errors.ts";

/** In-place forward DFT on split real/imaginary arrays of length `n` (sign convention of numpy.fft). */
export interface ComplexFft {
  readonly n: number;
  forward(re: Float64Array, im: Float64Array): void;
}

/** Forward DFT of a real signal of length `n`, returning bins 0..n/2 (numpy.fft.rfft). */
export interface RealFft {
  readonly n: number;
  /** Number of output bins: floor(n / 2) + 1. */
  readonly bins: number;
  /** Fills `outRe`/`outIm` (length `bins`) with the spectrum of `input` (length `n`). */
  forward(input: Float64Array, outRe: Float64Array, outIm: Float64Array): void;
  /** Fills `out` (length `bins`) with |X|^2 (power = 2) or |X| (power = 1). */
  spectrum(input: Float64Array, out: Float64Array, power: 1 | 2): void;
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/**
 * Complex FFT plan. Powers of two use an iterative radix-2 transform with precomputed
 * bit-reversal and twiddle tables; other sizes use Bluestein's chirp-z algorithm on a
 * power-of-two transform, so any `n_fft` librosa accepts works here too.
 */
export function createComplexFft(n: number): ComplexFft {
  requirePositiveInt("FFT size", n);
  return isPowerOfTwo(n) ? createRadix2(n) : createBluestein(n);
}

/**
 * Iterative decimation-in-time FFT for powers of two: bit-reversal permutation, one radix-2
 * stage when log2(n) is odd, then radix-4 stages (half the passes over memory of pure radix-2).
 * With bit-reversed input the four blocks a radix-4 stage combines hold the residues 0, 2, 1, 3
 * (mod 4) of the sub-sequence, hence the block order in the butterfly. Twiddles are stored
 * per stage, contiguously, so the inner loop reads them in order.
 */
interface Radix2Fft extends ComplexFft {
  /** Bit-reversal permutation: input sample i belongs at position rev[i] before `butterflies`. */
  readonly rev: Uint32Array;
  /** The transform proper, on data already in bit-reversed order (lets callers fuse the copy). */
  butterflies(re: Float64Array, im: Float64Array): void;
}

/** The bit-reversal permutation of 0..n-1 (n a power of two). */
export function bitReversal(n: number): Uint32Array {
  const bits = Math.round(Math.log2(n));
  const rev = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  return rev;
}

function createRadix2(n: number): Radix2Fft {
  const bits = Math.round(Math.log2(n));
  const rev = bitReversal(n);
  const oddStage = bits % 2 === 1;
  // Radix-4 stages: block size m -> 4m, starting from m = 1 (or 2 after the radix-2 stage).
  // The m = 1 stage has unit twiddles and gets its own multiply-free loop.
  const stages: { m: number; tw: Float64Array }[] = [];
  for (let m = oddStage ? 2 : 1; m * 4 <= n; m *= 4) {
    const L = 4 * m;
    const tw = new Float64Array(6 * m);
    for (let j = 0; j < m; j++) {
      for (let q = 1; q <= 3; q++) {
        const a = (-2 * Math.PI * q * j) / L;
        tw[6 * j + 2 * (q - 1)] = Math.cos(a);
        tw[6 * j + 2 * (q - 1) + 1] = Math.sin(a);
      }
    }
    stages.push({ m, tw });
  }
  const butterflies = (re: Float64Array, im: Float64Array): void => {
    if (oddStage) {
      for (let a = 0; a < n; a += 2) {
        const ar = re[a]!, ai = im[a]!, br = re[a + 1]!, bi = im[a + 1]!;
        re[a] = ar + br;
        im[a] = ai + bi;
        re[a + 1] = ar - br;
        im[a + 1] = ai - bi;
      }
    }
    for (const { m, tw } of stages) {
      const L = 4 * m;
      if (m === 1) {
        for (let i0 = 0; i0 < n; i0 += 4) {
          const ar = re[i0]!, ai = im[i0]!, cr = re[i0 + 1]!, ci = im[i0 + 1]!;
          const br = re[i0 + 2]!, bi = im[i0 + 2]!, dr = re[i0 + 3]!, di = im[i0 + 3]!;
          const s0r = ar + cr, s0i = ai + ci, s1r = ar - cr, s1i = ai - ci;
          const s2r = br + dr, s2i = bi + di, s3r = br - dr, s3i = bi - di;
          re[i0] = s0r + s2r;
          im[i0] = s0i + s2i;
          re[i0 + 2] = s0r - s2r;
          im[i0 + 2] = s0i - s2i;
          re[i0 + 1] = s1r + s3i;
          im[i0 + 1] = s1i - s3r;
          re[i0 + 3] = s1r - s3i;
          im[i0 + 3] = s1i + s3r;
        }
        continue;
      }
      for (let start = 0; start < n; start += L) {
        for (let j = 0; j < m; j++) {
          const i0 = start + j;
          const i1 = i0 + m; // residue 2
          const i2 = i1 + m; // residue 1
          const i3 = i2 + m; // residue 3
          const t = 6 * j;
          const w1r = tw[t]!, w1i = tw[t + 1]!, w2r = tw[t + 2]!, w2i = tw[t + 3]!, w3r = tw[t + 4]!, w3i = tw[t + 5]!;
          const ar = re[i0]!, ai = im[i0]!;
          const x1r = re[i2]!, x1i = im[i2]!;
          const br = x1r * w1r - x1i * w1i, bi = x1r * w1i + x1i * w1r;
          const x2r = re[i1]!, x2i = im[i1]!;
          const cr = x2r * w2r - x2i * w2i, ci = x2r * w2i + x2i * w2r;
          const x3r = re[i3]!, x3i = im[i3]!;
          const dr = x3r * w3r - x3i * w3i, di = x3r * w3i + x3i * w3r;
          const s0r = ar + cr, s0i = ai + ci, s1r = ar - cr, s1i = ai - ci;
          const s2r = br + dr, s2i = bi + di, s3r = br - dr, s3i = bi - di;
          re[i0] = s0r + s2r;
          im[i0] = s0i + s2i;
          re[i2] = s0r - s2r;
          im[i2] = s0i - s2i;
          // (a - c) - i (b - d) and (a - c) + i (b - d)
          re[i1] = s1r + s3i;
          im[i1] = s1i - s3r;
          re[i3] = s1r - s3i;
          im[i3] = s1i + s3r;
        }
      }
    }
  };
  return {
    n,
    rev,
    butterflies,
    forward(re: Float64Array, im: Float64Array): void {
      for (let i = 0; i < n; i++) {
        const j = rev[i]!;
        if (j > i) {
          const tr = re[i]!;
          re[i] = re[j]!;
          re[j] = tr;
          const ti = im[i]!;
          im[i] = im[j]!;
          im[j] = ti;
        }
      }
      butterflies(re, im);
    },
  };
}

function createBluestein(n: number): ComplexFft {
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const inner = createRadix2(m);
  // Chirp w_k = exp(-i pi k^2 / n); k^2 is reduced mod 2n so the angle stays exact for large k.
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const k2 = (k * k) % (2 * n);
    const a = (-Math.PI * k2) / n;
    wr[k] = Math.cos(a);
    wi[k] = Math.sin(a);
  }
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  br[0] = wr[0]!;
  bi[0] = -wi[0]!;
  for (let k = 1; k < n; k++) {
    br[k] = br[m - k] = wr[k]!;
    bi[k] = bi[m - k] = -wi[k]!;
  }
  inner.forward(br, bi);
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  return {
    n,
    forward(re: Float64Array, im: Float64Array): void {
      ar.fill(0);
      ai.fill(0);
      for (let k = 0; k < n; k++) {
        ar[k] = re[k]! * wr[k]! - im[k]! * wi[k]!;
        ai[k] = re[k]! * wi[k]! + im[k]! * wr[k]!;
      }
      inner.forward(ar, ai);
      // Pointwise product, then an inverse FFT done as conj(FFT(conj(x))) / m.
      for (let k = 0; k < m; k++) {
        const xr = ar[k]! * br[k]! - ai[k]! * bi[k]!;
        const xi = ar[k]! * bi[k]! + ai[k]! * br[k]!;
        ar[k] = xr;
        ai[k] = -xi;
      }
      inner.forward(ar, ai);
      const scale = 1 / m;
      for (let k = 0; k < n; k++) {
        const cr = ar[k]! * scale;
        const ci = -ai[k]! * scale;
        re[k] = cr * wr[k]! - ci * wi[k]!;
        im[k] = cr * wi[k]! + ci * wr[k]!;
      }
    },
  };
}

/**
 * Real-input FFT plan. Even sizes pack the signal into a complex FFT of half the size
 * (z[k] = x[2k] + i x[2k+1]) and untangle the result, halving the work; odd sizes fall back
 * to a full complex transform.
 */
export function createRealFft(n: number): RealFft {
  requirePositiveInt("FFT size", n);
  const bins = (n >> 1) + 1;
  if (n % 2 === 1 || n < 4) {
    const full = createComplexFft(n);
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    const forward = (input: Float64Array, outRe: Float64Array, outIm: Float64Array): void => {
      re.set(input.subarray(0, n));
      im.fill(0);
      full.forward(re, im);
      for (let k = 0; k < bins; k++) {
        outRe[k] = re[k]!;
        outIm[k] = im[k]!;
      }
    };
    return withSpectrum(n, bins, forward);
  }
  const m = n >> 1;
  const radix2 = isPowerOfTwo(m) ? createRadix2(m) : null;
  const half = radix2 ?? createComplexFft(m);
  const zr = new Float64Array(m);
  const zi = new Float64Array(m);
  const tr = new Float64Array(bins);
  const ti = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    const a = (-2 * Math.PI * k) / n;
    tr[k] = Math.cos(a);
    ti[k] = Math.sin(a);
  }
  // Packing writes straight to the bit-reversed slots, so the permutation costs no extra pass.
  const transformPacked = (input: Float64Array): void => {
    if (radix2) {
      const rev = radix2.rev;
      for (let k = 0; k < m; k++) {
        const j = rev[k]!;
        zr[j] = input[2 * k]!;
        zi[j] = input[2 * k + 1]!;
      }
      radix2.butterflies(zr, zi);
    } else {
      for (let k = 0; k < m; k++) {
        zr[k] = input[2 * k]!;
        zi[k] = input[2 * k + 1]!;
      }
      half.forward(zr, zi);
    }
  };
  // E = (Z[k] + conj Z[m-k]) / 2, O = (Z[k] - conj Z[m-k]) / 2i, X[k] = E + W^k O.
  const forward = (input: Float64Array, outRe: Float64Array, outIm: Float64Array): void => {
    transformPacked(input);
    for (let k = 0; k < bins; k++) {
      const p = k === m ? 0 : k;
      const q = k === 0 ? 0 : m - k;
      const ar = zr[p]!, ai = zi[p]!, cr = zr[q]!, ci = -zi[q]!;
      const er = 0.5 * (ar + cr), ei = 0.5 * (ai + ci);
      const or = 0.5 * (ai - ci), oi = -0.5 * (ar - cr);
      const wr = tr[k]!, wi = ti[k]!;
      outRe[k] = er + or * wr - oi * wi;
      outIm[k] = ei + or * wi + oi * wr;
    }
  };
  const spectrum = (input: Float64Array, out: Float64Array, power: 1 | 2): void => {
    transformPacked(input);
    // Bins 0 and m are real: X[0] = Re Z0 + Im Z0, X[m] = Re Z0 - Im Z0.
    const d = zr[0]! + zi[0]!, ny = zr[0]! - zi[0]!;
    out[0] = power === 2 ? d * d : Math.abs(d);
    out[m] = power === 2 ? ny * ny : Math.abs(ny);
    for (let k = 1; k < m; k++) {
      const q = m - k;
      const ar = zr[k]!, ai = zi[k]!, cr = zr[q]!, ci = -zi[q]!;
      const er = 0.5 * (ar + cr), ei = 0.5 * (ai + ci);
      const or = 0.5 * (ai - ci), oi = -0.5 * (ar - cr);
      const wr = tr[k]!, wi = ti[k]!;
      const xr = er + or * wr - oi * wi;
      const xi = ei + or * wi + oi * wr;
      const p2 = xr * xr + xi * xi;
      out[k] = power === 2 ? p2 : Math.sqrt(p2);
    }
  };
  return { n, bins, forward, spectrum };
}

function withSpectrum(
  n: number,
  bins: number,
  forward: (input: Float64Array, outRe: Float64Array, outIm: Float64Array) => void,
): RealFft {
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  return {
    n,
    bins,
    forward,
    spectrum(input: Float64Array, out: Float64Array, power: 1 | 2): void {
      forward(input, re, im);
      if (power === 2) {
        for (let k = 0; k < bins; k++) out[k] = re[k]! * re[k]! + im[k]! * im[k]!;
      } else {
        for (let k = 0; k < bins; k++) out[k] = Math.sqrt(re[k]! * re[k]! + im[k]! * im[k]!);
      }
    },
  };
}
