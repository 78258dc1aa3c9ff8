// AssemblyScript source of the WebAssembly SIMD kernels behind createMfcc / createLogMel
// (packages/core/src/dsp/wasm-kernels.ts). Build: pnpm --filter @ser/core build:wasm, which
// writes src/dsp/dsp-wasm.ts (the module as base64). The plain TypeScript path in stft.ts /
// fft.ts / mel.ts / mfcc.ts is the reference these kernels are tested against.
//
// Memory is laid out by the caller (bump allocation from __heap_base via alloc()); every
// array is f32 or i32 and 16-byte aligned, so f32x4 loads of contiguous runs are aligned.

let top: usize = (__heap_base + 15) & ~15;

export function alloc(bytes: i32): usize {
  const p = top;
  top = (top + <usize>bytes + 15) & ~15;
  const need = <i32>((top + 0xffff) >>> 16);
  const have = memory.size();
  if (need > have) memory.grow(need - have);
  return p;
}

/** Frees everything allocated after `mark` (alloc returns marks too). */
export function reset(mark: usize): void {
  top = mark;
}

// ---- plan (set by configure) ----
let M: i32 = 0; // complex FFT size = nFft / 2
let REV: usize = 0; // i32[M] bit reversal
let WIN: usize = 0; // f32[nFft] window (padded to nFft)
let STAGES: i32 = 0; // radix-4 stages after the optional radix-2 stage
let STAGE_M: usize = 0; // i32[STAGES] block quarter size m
let STAGE_TW: usize = 0; // usize[STAGES] pointer to 6 f32[m] arrays: w1r w1i w2r w2i w3r w3i
let ODD: i32 = 0; // log2(M) odd: one radix-2 stage first
let TR: usize = 0; // f32[M] cos(-2 pi k / nFft)
let TI: usize = 0; // f32[M] sin(-2 pi k / nFft)
let ZR: usize = 0;
let ZI: usize = 0;
let SPEC: usize = 0; // f32[M + 1 + 3] power spectrum
let NMELS: i32 = 0;
let MEL_START: usize = 0; // i32[nMels] first bin
let MEL_LEN: usize = 0; // i32[nMels]
let MEL_OFF: usize = 0; // i32[nMels] offset into MEL_W
let MEL_W: usize = 0; // f32 weights

export function configure(
  m: i32, rev: usize, win: usize, odd: i32, stages: i32, stageM: usize, stageTw: usize, tr: usize, ti: usize,
  zr: usize, zi: usize, spec: usize, nMels: i32, melStart: usize, melLen: usize, melOff: usize, melW: usize,
): void {
  M = m; REV = rev; WIN = win; ODD = odd; STAGES = stages; STAGE_M = stageM; STAGE_TW = stageTw; TR = tr; TI = ti;
  ZR = zr; ZI = zi; SPEC = spec; NMELS = nMels; MEL_START = melStart; MEL_LEN = melLen; MEL_OFF = melOff; MEL_W = melW;
}

@inline function f(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}
@inline function setf(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}
@inline function geti(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

function butterflies(): void {
  const zr = ZR, zi = ZI, n = M;
  if (ODD) {
    for (let a = 0; a < n; a += 2) {
      const ar = f(zr, a), ai = f(zi, a), br = f(zr, a + 1), bi = f(zi, a + 1);
      setf(zr, a, ar + br); setf(zi, a, ai + bi);
      setf(zr, a + 1, ar - br); setf(zi, a + 1, ai - bi);
    }
  }
  for (let s = 0; s < STAGES; s++) {
    const m = geti(STAGE_M, s);
    const L = 4 * m;
    if (m == 1) {
      for (let i0 = 0; i0 < n; i0 += 4) {
        const ar = f(zr, i0), ai = f(zi, i0), cr = f(zr, i0 + 1), ci = f(zi, i0 + 1);
        const br = f(zr, i0 + 2), bi = f(zi, i0 + 2), dr = f(zr, i0 + 3), di = f(zi, i0 + 3);
        const s0r = ar + cr, s0i = ai + ci, s1r = ar - cr, s1i = ai - ci;
        const s2r = br + dr, s2i = bi + di, s3r = br - dr, s3i = bi - di;
        setf(zr, i0, s0r + s2r); setf(zi, i0, s0i + s2i);
        setf(zr, i0 + 2, s0r - s2r); setf(zi, i0 + 2, s0i - s2i);
        setf(zr, i0 + 1, s1r + s3i); setf(zi, i0 + 1, s1i - s3r);
        setf(zr, i0 + 3, s1r - s3i); setf(zi, i0 + 3, s1i + s3r);
      }
      continue;
    }
    const tw = load<usize>(STAGE_TW + (<usize>s << alignof<usize>()));
    const w1r = tw, w1i = tw + (<usize>m << 2), w2r = tw + (<usize>(2 * m) << 2), w2i = tw + (<usize>(3 * m) << 2);
    const w3r = tw + (<usize>(4 * m) << 2), w3i = tw + (<usize>(5 * m) << 2);
    if (m >= 4) {
      for (let start = 0; start < n; start += L) {
        for (let j = 0; j < m; j += 4) {
          const o0 = <usize>(start + j) << 2;
          const o1 = o0 + (<usize>m << 2), o2 = o1 + (<usize>m << 2), o3 = o2 + (<usize>m << 2);
          const jo = <usize>j << 2;
          const W1r = v128.load(w1r + jo), W1i = v128.load(w1i + jo);
          const W2r = v128.load(w2r + jo), W2i = v128.load(w2i + jo);
          const W3r = v128.load(w3r + jo), W3i = v128.load(w3i + jo);
          const ar = v128.load(zr + o0), ai = v128.load(zi + o0);
          const x1r = v128.load(zr + o2), x1i = v128.load(zi + o2);
          const br = f32x4.sub(f32x4.mul(x1r, W1r), f32x4.mul(x1i, W1i));
          const bi = f32x4.add(f32x4.mul(x1r, W1i), f32x4.mul(x1i, W1r));
          const x2r = v128.load(zr + o1), x2i = v128.load(zi + o1);
          const cr = f32x4.sub(f32x4.mul(x2r, W2r), f32x4.mul(x2i, W2i));
          const ci = f32x4.add(f32x4.mul(x2r, W2i), f32x4.mul(x2i, W2r));
          const x3r = v128.load(zr + o3), x3i = v128.load(zi + o3);
          const dr = f32x4.sub(f32x4.mul(x3r, W3r), f32x4.mul(x3i, W3i));
          const di = f32x4.add(f32x4.mul(x3r, W3i), f32x4.mul(x3i, W3r));
          const s0r = f32x4.add(ar, cr), s0i = f32x4.add(ai, ci), s1r = f32x4.sub(ar, cr), s1i = f32x4.sub(ai, ci);
          const s2r = f32x4.add(br, dr), s2i = f32x4.add(bi, di), s3r = f32x4.sub(br, dr), s3i = f32x4.sub(bi, di);
          v128.store(zr + o0, f32x4.add(s0r, s2r)); v128.store(zi + o0, f32x4.add(s0i, s2i));
          v128.store(zr + o2, f32x4.sub(s0r, s2r)); v128.store(zi + o2, f32x4.sub(s0i, s2i));
          v128.store(zr + o1, f32x4.add(s1r, s3i)); v128.store(zi + o1, f32x4.sub(s1i, s3r));
          v128.store(zr + o3, f32x4.sub(s1r, s3i)); v128.store(zi + o3, f32x4.add(s1i, s3r));
        }
      }
    } else {
      for (let start = 0; start < n; start += L) {
        for (let j = 0; j < m; j++) {
          const i0 = start + j, i1 = i0 + m, i2 = i1 + m, i3 = i2 + m;
          const W1r = f(w1r, j), W1i = f(w1i, j), W2r = f(w2r, j), W2i = f(w2i, j), W3r = f(w3r, j), W3i = f(w3i, j);
          const ar = f(zr, i0), ai = f(zi, i0);
          const x1r = f(zr, i2), x1i = f(zi, i2);
          const br = x1r * W1r - x1i * W1i, bi = x1r * W1i + x1i * W1r;
          const x2r = f(zr, i1), x2i = f(zi, i1);
          const cr = x2r * W2r - x2i * W2i, ci = x2r * W2i + x2i * W2r;
          const x3r = f(zr, i3), x3i = f(zi, i3);
          const dr = x3r * W3r - x3i * W3i, di = x3r * W3i + x3i * W3r;
          const s0r = ar + cr, s0i = ai + ci, s1r = ar - cr, s1i = ai - ci;
          const s2r = br + dr, s2i = bi + di, s3r = br - dr, s3i = bi - di;
          setf(zr, i0, s0r + s2r); setf(zi, i0, s0i + s2i);
          setf(zr, i2, s0r - s2r); setf(zi, i2, s0i - s2i);
          setf(zr, i1, s1r + s3i); setf(zi, i1, s1i - s3r);
          setf(zr, i3, s1r - s3i); setf(zi, i3, s1i + s3r);
        }
      }
    }
  }
}

/** |rfft|^power of the windowed frame already packed in ZR/ZI, into SPEC[0..M]. */
function spectrum(power: i32): void {
  butterflies();
  const zr = ZR, zi = ZI, n = M;
  const d = f(zr, 0) + f(zi, 0), ny = f(zr, 0) - f(zi, 0);
  setf(SPEC, 0, power == 2 ? d * d : Mathf.abs(d));
  setf(SPEC, n, power == 2 ? ny * ny : Mathf.abs(ny));
  const half = f32x4.splat(0.5);
  let k = 1;
  // Four bins at a time: X[k] pairs Z[k] with conj Z[M-k], read backwards and lane-reversed.
  for (; k + 3 < n; k += 4) {
    const ko = <usize>k << 2;
    const q = n - k - 3; // Z[M-k-3 .. M-k], reversed to line up with k .. k+3
    const qo = <usize>q << 2;
    const ar = v128.load(zr + ko), ai = v128.load(zi + ko);
    const cr = v128.shuffle<f32>(v128.load(zr + qo), v128.load(zr + qo), 3, 2, 1, 0);
    const ci = f32x4.neg(v128.shuffle<f32>(v128.load(zi + qo), v128.load(zi + qo), 3, 2, 1, 0));
    const er = f32x4.mul(half, f32x4.add(ar, cr)), ei = f32x4.mul(half, f32x4.add(ai, ci));
    const or = f32x4.mul(half, f32x4.sub(ai, ci)), oi = f32x4.neg(f32x4.mul(half, f32x4.sub(ar, cr)));
    const wr = v128.load(TR + ko), wi = v128.load(TI + ko);
    const xr = f32x4.add(er, f32x4.sub(f32x4.mul(or, wr), f32x4.mul(oi, wi)));
    const xi = f32x4.add(ei, f32x4.add(f32x4.mul(or, wi), f32x4.mul(oi, wr)));
    const p2 = f32x4.add(f32x4.mul(xr, xr), f32x4.mul(xi, xi));
    v128.store(SPEC + ko, power == 2 ? p2 : f32x4.sqrt(p2));
  }
  for (; k < n; k++) {
    const q = n - k;
    const ar = f(zr, k), ai = f(zi, k), cr = f(zr, q), ci = -f(zi, q);
    const h: f32 = 0.5;
    const er = h * (ar + cr), ei = h * (ai + ci), or = h * (ai - ci), oi = -h * (ar - cr);
    const wr = f(TR, k), wi = f(TI, k);
    const xr = er + or * wr - oi * wi, xi = ei + or * wi + oi * wr;
    const p2 = xr * xr + xi * xi;
    setf(SPEC, k, power == 2 ? p2 : Mathf.sqrt(p2));
  }
}

/**
 * Mel spectrogram of f32 signal `sig` (n samples): frame t starts at t * hop - pad (zeros
 * outside the signal, librosa's center=True with pad_mode="constant"); out is [frames x nMels].
 */
/** numpy.pad(mode="reflect") index (edge sample not repeated) of sample j of an n-sample signal. */
@inline function reflected(j: i32, n: i32): i32 {
  if (n == 1) return 0;
  const period = 2 * (n - 1);
  let r = j % period;
  if (r < 0) r += period;
  return r < n ? r : period - r;
}

/**
 * Mel frames of sig (n samples), frame t starting at t * hop - pad; samples outside the signal
 * are zeros, or with `reflect` the signal mirrored at its ends (numpy "reflect", torch.stft's
 * center padding). Only frames that reach past an end take the scalar path.
 */
export function melFrames(sig: usize, n: i32, frames: i32, hop: i32, pad: i32, power: i32, reflect: i32, out: usize): void {
  const nfft = 2 * M;
  for (let t = 0; t < frames; t++) {
    const start = t * hop - pad;
    if (start >= 0 && start + nfft <= n) {
      // Window eight samples at once and split them into four real (even) and four imaginary
      // (odd) parts; only the bit-reversed stores stay scalar.
      const base = sig + (<usize>start << 2);
      for (let k = 0; k < M; k += 4) {
        const o = <usize>(2 * k) << 2;
        const pa = f32x4.mul(v128.load(base + o), v128.load(WIN + o));
        const pb = f32x4.mul(v128.load(base + o + 16), v128.load(WIN + o + 16));
        const ev = v128.shuffle<f32>(pa, pb, 0, 2, 4, 6);
        const od = v128.shuffle<f32>(pa, pb, 1, 3, 5, 7);
        const r = v128.load(REV + (<usize>k << 2));
        setf(ZR, i32x4.extract_lane(r, 0), f32x4.extract_lane(ev, 0));
        setf(ZR, i32x4.extract_lane(r, 1), f32x4.extract_lane(ev, 1));
        setf(ZR, i32x4.extract_lane(r, 2), f32x4.extract_lane(ev, 2));
        setf(ZR, i32x4.extract_lane(r, 3), f32x4.extract_lane(ev, 3));
        setf(ZI, i32x4.extract_lane(r, 0), f32x4.extract_lane(od, 0));
        setf(ZI, i32x4.extract_lane(r, 1), f32x4.extract_lane(od, 1));
        setf(ZI, i32x4.extract_lane(r, 2), f32x4.extract_lane(od, 2));
        setf(ZI, i32x4.extract_lane(r, 3), f32x4.extract_lane(od, 3));
      }
    } else {
      for (let k = 0; k < M; k++) {
        const j = geti(REV, k);
        let a = start + 2 * k, b = a + 1;
        if (reflect) {
          a = reflected(a, n);
          b = reflected(b, n);
        }
        setf(ZR, j, a >= 0 && a < n ? f(sig, a) * f(WIN, 2 * k) : 0);
        setf(ZI, j, b >= 0 && b < n ? f(sig, b) * f(WIN, 2 * k + 1) : 0);
      }
    }
    spectrum(power);
    const row = out + (<usize>(t * NMELS) << 2);
    for (let m = 0; m < NMELS; m++) {
      const s = geti(MEL_START, m), len = geti(MEL_LEN, m), o = geti(MEL_OFF, m);
      let acc = f32x4.splat(0);
      let i = 0;
      for (; i + 3 < len; i += 4) {
        acc = f32x4.add(acc, f32x4.mul(v128.load(MEL_W + (<usize>(o + i) << 2)), v128.load(SPEC + (<usize>(s + i) << 2))));
      }
      let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
      for (; i < len; i++) sum += f(MEL_W, o + i) * f(SPEC, s + i);
      setf(row, m, sum);
    }
  }
}

/** out[t][k] = sum_n dct[k][n] * x[t][n] for t < frames, k < nOut (x rows are nIn long). */
export function matmulRows(x: usize, frames: i32, nIn: i32, dct: usize, nOut: i32, out: usize): void {
  for (let t = 0; t < frames; t++) {
    const row = x + (<usize>(t * nIn) << 2);
    for (let k = 0; k < nOut; k++) {
      const w = dct + (<usize>(k * nIn) << 2);
      let acc = f32x4.splat(0);
      let i = 0;
      for (; i + 3 < nIn; i += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(w + (<usize>i << 2)), v128.load(row + (<usize>i << 2))));
      let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
      for (; i < nIn; i++) sum += f(w, i) * f(row, i);
      setf(out, t * nOut + k, sum);
    }
  }
}

/**
 * Polyphase resampling (audio/resample.ts): output o uses the `taps` inputs from i0 - k with the
 * taps of phase p, where i0 and p advance by down/up per output. Edges are handled by the caller
 * (it passes only the outputs whose windows lie inside the input, from `first` to `last`).
 */
export function polyphase(input: usize, table: usize, taps: i32, up: i32, down: i32, k: i32, first: i32, last: i32, out: usize): void {
  const stepWhole = down / up, stepFrac = down % up;
  // State at output `first`: i0 = floor(first * down / up), p = (first * down) mod up.
  const pos = <i64>first * <i64>down;
  let i0 = <i32>(pos / <i64>up);
  let p = <i32>(pos % <i64>up);
  for (let o = first; o < last; o++) {
    const w = table + (<usize>(p * taps) << 2);
    const x = input + (<usize>(i0 - k) << 2);
    let acc = f32x4.splat(0);
    let i = 0;
    for (; i + 3 < taps; i += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(w + (<usize>i << 2)), v128.load(x + (<usize>i << 2))));
    let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; i < taps; i++) sum += load<f32>(w + (<usize>i << 2)) * load<f32>(x + (<usize>i << 2));
    store<f32>(out + (<usize>o << 2), sum);
    i0 += stepWhole;
    p += stepFrac;
    if (p >= up) {
      p -= up;
      i0++;
    }
  }
}

// ln(x) for 4 positive normal floats at once: Cephes' logf (S. Moshier), about 1 ulp. The
// mantissa is folded into [sqrt(1/2), sqrt(2)) and a degree-8 polynomial gives log(1 + z).
@inline function logf4(x: v128): v128 {
  const bits = i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(127));
  let m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000));
  // m in [1, 2): above sqrt(2), halve it and count one more in the exponent.
  const big = f32x4.gt(m, f32x4.splat(1.41421356));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, big);
  const e = f32x4.convert_i32x4_s(i32x4.sub(bits, big)); // big lanes are -1: subtracting adds one
  const z = f32x4.sub(m, f32x4.splat(1));
  let p = f32x4.splat(7.0376836292e-2);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-1.1514610310e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.1676998740e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-1.2420140846e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.4249322787e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-1.6668057665e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.0000714765e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-2.4999993993e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(3.3333331174e-1));
  const z2 = f32x4.mul(z, z);
  let y = f32x4.mul(f32x4.mul(z2, z), p);
  y = f32x4.add(y, f32x4.mul(e, f32x4.splat(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(z2, f32x4.splat(0.5)));
  return f32x4.add(f32x4.add(z, y), f32x4.mul(e, f32x4.splat(0.693359375)));
}

/**
 * librosa.power_to_db in place on count f32 values: 10 log10(max(amin, S)) - refDb, then
 * clipped below at (max over all values) - topDb when topDb >= 0. count must be a multiple of 4
 * or the tail is done in scalar code.
 */
export function powerToDb(x: usize, count: i32, amin: f32, refDb: f32, topDb: f32): void {
  const scale = f32x4.splat(<f32>(10 / Math.LN10));
  const floor = f32x4.splat(amin), ref = f32x4.splat(refDb);
  let mx = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 3 < count; i += 4) {
    const p = x + (<usize>i << 2);
    const v = f32x4.sub(f32x4.mul(logf4(f32x4.max(v128.load(p), floor)), scale), ref);
    v128.store(p, v);
    mx = f32x4.max(mx, v);
  }
  let m = Mathf.max(Mathf.max(f32x4.extract_lane(mx, 0), f32x4.extract_lane(mx, 1)), Mathf.max(f32x4.extract_lane(mx, 2), f32x4.extract_lane(mx, 3)));
  for (; i < count; i++) {
    const p = x + (<usize>i << 2);
    const v = <f32>(10 * Math.log10(Mathf.max(load<f32>(p), amin))) - refDb;
    store<f32>(p, v);
    m = Mathf.max(m, v);
  }
  if (topDb < 0) return;
  const lo = f32x4.splat(m - topDb);
  i = 0;
  for (; i + 3 < count; i += 4) {
    const p = x + (<usize>i << 2);
    v128.store(p, f32x4.max(v128.load(p), lo));
  }
  for (; i < count; i++) {
    const p = x + (<usize>i << 2);
    store<f32>(p, Mathf.max(load<f32>(p), m - topDb));
  }
}
