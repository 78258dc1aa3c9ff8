// AssemblyScript source of the WebAssembly SIMD network behind createByolS
// (packages/core/src/features/encoders/byol-s.ts): the BYOL-A "AudioNTT2020" encoder as SERAB's
// BYOL-S 512 uses it (reference: ../shared/models/byol-s-512/reference_embed.py).
// Build: node packages/core/wasm/build-encoder.mjs, which writes
// src/features/encoders/encoder-wasm.ts (the module as base64).
//
// Layout: channel-last, time-major. An activation is [time][mel][64 channels]; the inputs of the
// convolutions carry a zero border of one pixel on every side (padding = 1), so a 3x3 window
// never needs a bounds check and, for one time offset dt, the 3 mel x 64 channel taps of a pixel
// are 192 contiguous floats. Conv weights are [kw = time][kh = mel][cin][cout] with BatchNorm
// folded in (scripts/convert-byol-s.py); dense weights are [in][out]. setWeights keeps copies of
// the large matrices blocked by 8 output columns ([N / 8][K][8]) so a register block streams
// through one contiguous, L1-sized panel.
//
// conv1 (1 input channel) is direct. The two 64 -> 64 convolutions, 88 % of the network's
// multiply-adds, use Winograd's minimal filtering F(4x4, 3x3) (Lavin & Gray, "Fast Algorithms
// for Convolutional Neural Networks", CVPR 2016; points 0, ±1, ±2, ∞): a 4x4 block of outputs
// from a 6x6 input tile with 36 multiplies per channel pair instead of 144, i.e. 4x fewer
// (F(2x2, 3x3), the previous version, saved 2.25x; with this and the SIMD log-mel an embedding
// of 2.5 s went from ~10-11.6 to ~7.5 ms in the same session, BENCHMARKS.md).
// The kernels are transformed in float64 and rounded once; the error against PyTorch's direct
// convolution stayed where F(2x2) had it (byol-s.test.ts). A 4x4 output block is four 2x2
// max-pool windows, so each tile is transformed back, biased, pooled and ReLU'd at once and the
// full-size conv output never exists (max(relu(a), relu(b)) = relu(max(a, b))). Per pair of
// pooled rows: the input tiles are transformed (B^T d B, four channels per f32x4) into
// V[36][tiles][64], 36 GEMMs [tiles x 64] x [64 x 64] against the transformed kernels
// U = G g G^T (register-blocked 4 tiles x 8 channels) give M[36][tiles][64], and A^T M A gives
// the 4x4 outputs. The padded inputs carry two extra zero rows so the last tile of an odd
// number of pooled rows reads zeros (its second pooled row is not written).
//
// Memory is laid out by the caller (bump allocation from __heap_base via alloc()); every array
// is f32 and 16-byte aligned.

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

const C: i32 = 64; // channels of every conv layer

// ---- weights (set by setWeights) ----
let W1: usize = 0; let B1: usize = 0; // conv1 [3][3][1][64], [64]
let W2: usize = 0; let B2: usize = 0; // conv2 [3][3][64][64]
let W3: usize = 0; let B3: usize = 0; // conv3
let F1: usize = 0; let FB1: usize = 0; // fc1 [512][512] (in, out), [512]
let F2: usize = 0; let FB2: usize = 0;
// Winograd scratch: V and M, [36][8 tiles at most][64] each.
let WV: usize = 0; let WM: usize = 0;

/**
 * Takes the converted weights (layouts of byol-s-weights.ts) and keeps blocked copies of the
 * 64 -> 64 conv and dense matrices (blockColumns) in memory allocated here.
 */
export function setWeights(w1: usize, b1: usize, w2: usize, b2: usize, w3: usize, b3: usize, f1: usize, fb1: usize, f2: usize, fb2: usize): void {
  W1 = w1; B1 = b1; B2 = b2; B3 = b3; FB1 = fb1; FB2 = fb2;
  W2 = winogradKernels(w2);
  W3 = winogradKernels(w3);
  WV = alloc(36 * 8 * C * 4);
  WM = alloc(36 * 8 * C * 4);
  F1 = alloc(512 * 512 * 4); blockColumns(f1, 512, 512, F1);
  F2 = alloc(512 * 512 * 4); blockColumns(f2, 512, 512, F2);
}

@inline function ld(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 2));
}
@inline function st(p: usize, i: i32, v: v128): void {
  v128.store(p + (<usize>i << 2), v);
}
@inline function sp(p: usize, i: i32): v128 {
  return v128.load32_splat(p + (<usize>i << 2));
}
@inline function fma(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * conv1 (1 -> 64 channels) for output time row t: x is the padded input [T + 2][nMels + 2],
 * out is one row [nMels][64].
 */
function conv1Row(x: usize, nMels: i32, t: i32, out: usize): void {
  const stride = nMels + 2;
  for (let m = 0; m < nMels; m++) {
    for (let cb = 0; cb < C; cb += 16) {
      let a0 = ld(B1, cb), a1 = ld(B1, cb + 4), a2 = ld(B1, cb + 8), a3 = ld(B1, cb + 12);
      for (let dt = 0; dt < 3; dt++) {
        const row = x + (<usize>((t + dt) * stride + m) << 2);
        for (let dm = 0; dm < 3; dm++) {
          const v = sp(row, dm);
          const w = W1 + (<usize>((dt * 3 + dm) * C + cb) << 2);
          a0 = fma(a0, v, ld(w, 0)); a1 = fma(a1, v, ld(w, 4)); a2 = fma(a2, v, ld(w, 8)); a3 = fma(a3, v, ld(w, 12));
        }
      }
      const o = out + (<usize>(m * C + cb) << 2);
      st(o, 0, a0); st(o, 4, a1); st(o, 8, a2); st(o, 12, a3);
    }
  }
}

@inline function kernelTap(w: usize, a: i32, b: i32, ci: i32, co: i32): f64 {
  return <f64>load<f32>(w + (<usize>(((a * 3 + b) * C + ci) * C + co) << 2));
}

// G of F(4x4, 3x3) (Lavin & Gray 2016, points 0, ±1, ±2, ∞), row-major 6 x 3.
const G0: f64 = 0.25, G1: f64 = -1.0 / 6.0, G3: f64 = 1.0 / 24.0, G4: f64 = 1.0 / 12.0, G5: f64 = 1.0 / 6.0;

@inline function gRow(i: i32, a: f64, b: f64, c: f64): f64 {
  // (G v)[i] for v = (a, b, c)
  if (i == 0) return G0 * a;
  if (i == 1) return G1 * (a + b + c);
  if (i == 2) return G1 * (a - b + c);
  if (i == 3) return G3 * a + G4 * b + G5 * c;
  if (i == 4) return G3 * a - G4 * b + G5 * c;
  return c;
}

/**
 * U = G g G^T for every (cin, cout) of a [3 time][3 mel][64 cin][64 cout] kernel (in float64,
 * rounded once), returns [36][64 cin][64 cout], each of the 36 matrices blocked by 8 output
 * channels (blockColumns) for gemm64.
 */
function winogradKernels(w: usize): usize {
  const u = alloc(36 * C * C * 4);
  const raw = alloc(36 * C * C * 4); // freed below: only u is kept
  for (let ci = 0; ci < C; ci++) {
    for (let co = 0; co < C; co++) {
      // g[a][b] = w[a = time][b = mel][ci][co]; t = G g (6 x 3), then U = t G^T (6 x 6).
      for (let i = 0; i < 6; i++) {
        const t0 = gRow(i, kernelTap(w, 0, 0, ci, co), kernelTap(w, 1, 0, ci, co), kernelTap(w, 2, 0, ci, co));
        const t1 = gRow(i, kernelTap(w, 0, 1, ci, co), kernelTap(w, 1, 1, ci, co), kernelTap(w, 2, 1, ci, co));
        const t2 = gRow(i, kernelTap(w, 0, 2, ci, co), kernelTap(w, 1, 2, ci, co), kernelTap(w, 2, 2, ci, co));
        for (let j = 0; j < 6; j++) {
          store<f32>(raw + (<usize>((i * 6 + j) * C * C + ci * C + co) << 2), <f32>gRow(j, t0, t1, t2));
        }
      }
    }
  }
  for (let xi = 0; xi < 36; xi++) blockColumns(raw + (<usize>(xi * C * C) << 2), C, C, u + (<usize>(xi * C * C) << 2));
  reset(raw);
  return u;
}

/**
 * out [rows][64] = a [rows][64] * w (a [64][64] matrix blocked by blockColumns); rows a multiple
 * of 4. The same register block as dense's, written again for K = 64: the rows' splat loads take
 * their stride as an immediate offset, which must be a constant.
 */
function gemm64(a: usize, rows: i32, w: usize, out: usize): void {
  for (let r = 0; r < rows; r += 4) {
    const x0 = a + (<usize>(r * C) << 2);
    for (let cb = 0; cb < C; cb += 8) {
      const zero = f32x4.splat(0);
      let a00 = zero, a01 = zero, a10 = zero, a11 = zero, a20 = zero, a21 = zero, a30 = zero, a31 = zero;
      let wp = w + (<usize>(cb * C) << 2);
      let xp = x0;
      const end = x0 + (<usize>C << 2);
      while (xp < end) {
        const w0 = v128.load(wp), w1 = v128.load(wp, 16);
        let v = v128.load32_splat(xp);
        a00 = fma(a00, v, w0); a01 = fma(a01, v, w1);
        v = v128.load32_splat(xp, 256);
        a10 = fma(a10, v, w0); a11 = fma(a11, v, w1);
        v = v128.load32_splat(xp, 512);
        a20 = fma(a20, v, w0); a21 = fma(a21, v, w1);
        v = v128.load32_splat(xp, 768);
        a30 = fma(a30, v, w0); a31 = fma(a31, v, w1);
        xp += 4;
        wp += 32;
      }
      const o = out + (<usize>(r * C + cb) << 2);
      st(o, 0, a00); st(o, 4, a01);
      st(o, C, a10); st(o, C + 4, a11);
      st(o, 2 * C, a20); st(o, 2 * C + 4, a21);
      st(o, 3 * C, a30); st(o, 3 * C + 4, a31);
    }
  }
}

/**
 * B^T of F(4x4, 3x3) on six vectors (d0..d5 at p + k * step) written to q + k * qstep:
 * B^T = [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0],
 *        [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]].
 */
@inline function inputTransform(p: usize, step: usize, q: usize, qstep: usize): void {
  const d0 = v128.load(p), d1 = v128.load(p + step), d2 = v128.load(p + 2 * step);
  const d3 = v128.load(p + 3 * step), d4 = v128.load(p + 4 * step), d5 = v128.load(p + 5 * step);
  const four = f32x4.splat(4), five = f32x4.splat(5), two = f32x4.splat(2);
  const a = f32x4.sub(d4, f32x4.mul(four, d2)); // d4 - 4 d2
  const b = f32x4.sub(d3, f32x4.mul(four, d1)); // d3 - 4 d1
  const c = f32x4.sub(d4, d2); // d4 - d2
  const e = f32x4.mul(two, f32x4.sub(d3, d1)); // 2 (d3 - d1)
  v128.store(q, f32x4.add(f32x4.sub(f32x4.mul(four, d0), f32x4.mul(five, d2)), d4));
  v128.store(q + qstep, f32x4.add(a, b));
  v128.store(q + 2 * qstep, f32x4.sub(a, b));
  v128.store(q + 3 * qstep, f32x4.add(c, e));
  v128.store(q + 4 * qstep, f32x4.sub(c, e));
  v128.store(q + 5 * qstep, f32x4.add(f32x4.sub(f32x4.mul(four, d1), f32x4.mul(five, d3)), d5));
}

/**
 * Pooled output rows 2k and 2k + 1 (only 2k when last is 1) of a 64 -> 64 conv + 2x2 max-pool
 * + ReLU, by Winograd F(4x4, 3x3): x is the padded input [rows][nMels + 2][64] with at least
 * 4k + 6 zero-bordered rows, u the transformed kernels (winogradKernels), b the bias, out the
 * pooled row 2k ([nMels / 2][64]; row 2k + 1 follows at outRow bytes). nMels / 4 is a multiple
 * of 4, at most 8.
 */
function winogradConvPoolRows(x: usize, nMels: i32, k: i32, u: usize, b: usize, out: usize, outRow: usize, last: i32): void {
  const tiles = nMels >> 2;
  const row = <usize>((nMels + 2) * C) << 2; // bytes per padded time row
  const px = <usize>C << 2; // bytes per pixel
  const plane = <usize>(tiles * C) << 2; // bytes per transformed position in V and M
  // V = B^T d B: along time into V (i, j), then along mel in place.
  for (let m = 0; m < tiles; m++) {
    const base = x + (<usize>(4 * k) * row) + (<usize>(4 * m) * px);
    for (let c = 0; c < C; c += 4) {
      const p = base + (<usize>c << 2);
      const vo = WV + (<usize>(m * C + c) << 2);
      for (let j = 0; j < 6; j++) inputTransform(p + <usize>j * px, row, vo + <usize>j * plane, 6 * plane);
      for (let i = 0; i < 6; i++) {
        const q = vo + <usize>(i * 6) * plane;
        inputTransform(q, plane, q, plane);
      }
    }
  }
  for (let xi = 0; xi < 36; xi++) gemm64(WV + <usize>xi * plane, tiles, u + (<usize>(xi * C * C) << 2), WM + <usize>xi * plane);
  // Y = A^T M A, A^T = [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]]:
  // along time in place (rows 0..3 of M), then along mel per pair of time rows, + bias, 2x2 max, ReLU.
  const zero = f32x4.splat(0);
  for (let m = 0; m < tiles; m++) {
    for (let c = 0; c < C; c += 4) {
      const q = WM + (<usize>(m * C + c) << 2);
      for (let j = 0; j < 6; j++) outputTransform(q + <usize>j * plane, 6 * plane, q + <usize>j * plane, 6 * plane);
      const bias = ld(b, c);
      for (let h = 0; h <= 1 - last; h++) {
        const r0 = q + <usize>(2 * h * 6) * plane, r1 = r0 + 6 * plane;
        outputTransform(r0, plane, r0, plane);
        outputTransform(r1, plane, r1, plane);
        const y0 = f32x4.max(f32x4.max(v128.load(r0), v128.load(r0 + plane)), f32x4.max(v128.load(r1), v128.load(r1 + plane)));
        const y1 = f32x4.max(f32x4.max(v128.load(r0 + 2 * plane), v128.load(r0 + 3 * plane)), f32x4.max(v128.load(r1 + 2 * plane), v128.load(r1 + 3 * plane)));
        const o = out + <usize>h * outRow + (<usize>(2 * m * C + c) << 2);
        v128.store(o, f32x4.max(f32x4.add(y0, bias), zero));
        v128.store(o + px, f32x4.max(f32x4.add(y1, bias), zero));
      }
    }
  }
}

/** A^T of F(4x4, 3x3) on six vectors at p + k * step, four results to q + k * qstep (q may be p). */
@inline function outputTransform(p: usize, step: usize, q: usize, qstep: usize): void {
  const m0 = v128.load(p), m1 = v128.load(p + step), m2 = v128.load(p + 2 * step);
  const m3 = v128.load(p + 3 * step), m4 = v128.load(p + 4 * step), m5 = v128.load(p + 5 * step);
  const s12 = f32x4.add(m1, m2), d12 = f32x4.sub(m1, m2), s34 = f32x4.add(m3, m4), d34 = f32x4.sub(m3, m4);
  v128.store(q, f32x4.add(f32x4.add(m0, s12), s34));
  v128.store(q + qstep, f32x4.add(d12, f32x4.mul(f32x4.splat(2), d34)));
  v128.store(q + 2 * qstep, f32x4.add(s12, f32x4.mul(f32x4.splat(4), s34)));
  v128.store(q + 3 * qstep, f32x4.add(f32x4.add(d12, f32x4.mul(f32x4.splat(8), d34)), m5));
}

/**
 * Re-lays a [K][N] matrix (N a multiple of 8) out as [N / 8][K][8]: the 8 columns one
 * register block reads become contiguous.
 */
export function blockColumns(src: usize, K: i32, N: i32, dst: usize): void {
  for (let nb = 0; nb < N; nb += 8) {
    for (let k = 0; k < K; k++) {
      const s = src + (<usize>(k * N + nb) << 2);
      const d = dst + (<usize>((nb * K) + k * 8) << 2);
      v128.store(d, v128.load(s));
      v128.store(d, v128.load(s, 16), 16);
    }
  }
}

/**
 * ReLU + 2x2 max pool of two conv rows r0, r1 ([nMels][64] each) into out ([nMels / 2][64],
 * already offset to the destination row and mel).
 */
function poolRows(r0: usize, r1: usize, nMels: i32, out: usize): void {
  const zero = f32x4.splat(0);
  const half = nMels >> 1;
  for (let m = 0; m < half; m++) {
    const i0 = 2 * m * C, i1 = i0 + C;
    for (let c = 0; c < C; c += 4) {
      const v = f32x4.max(f32x4.max(ld(r0, i0 + c), ld(r0, i1 + c)), f32x4.max(ld(r1, i0 + c), ld(r1, i1 + c)));
      st(out, m * C + c, f32x4.max(v, zero));
    }
  }
}

/** out = relu(x [rows][512] * w + b), w blocked as [64 blocks][512][8] (blockColumns), out [rows][512]. */
function dense(x: usize, rows: i32, w: usize, b: usize, out: usize): void {
  const N: i32 = 512;
  const K: i32 = 512;
  const zero = f32x4.splat(0);
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const x0 = x + (<usize>(r * K) << 2);
    for (let cb = 0; cb < N; cb += 8) {
      const b0 = ld(b, cb), b1 = ld(b, cb + 4);
      let a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
      let wp = w + (<usize>(cb * K) << 2);
      let xp = x0;
      const end = x0 + (<usize>K << 2);
      while (xp < end) {
        const w0 = v128.load(wp), w1 = v128.load(wp, 16);
        let v = v128.load32_splat(xp);
        a00 = fma(a00, v, w0); a01 = fma(a01, v, w1);
        v = v128.load32_splat(xp, 2048);
        a10 = fma(a10, v, w0); a11 = fma(a11, v, w1);
        v = v128.load32_splat(xp, 4096);
        a20 = fma(a20, v, w0); a21 = fma(a21, v, w1);
        v = v128.load32_splat(xp, 6144);
        a30 = fma(a30, v, w0); a31 = fma(a31, v, w1);
        xp += 4;
        wp += 32;
      }
      const o = out + (<usize>(r * N + cb) << 2);
      st(o, 0, f32x4.max(a00, zero)); st(o, 4, f32x4.max(a01, zero));
      st(o, N, f32x4.max(a10, zero)); st(o, N + 4, f32x4.max(a11, zero));
      st(o, 2 * N, f32x4.max(a20, zero)); st(o, 2 * N + 4, f32x4.max(a21, zero));
      st(o, 3 * N, f32x4.max(a30, zero)); st(o, 3 * N + 4, f32x4.max(a31, zero));
    }
  }
  for (; r < rows; r++) {
    const x0 = x + (<usize>(r * K) << 2);
    for (let cb = 0; cb < N; cb += 8) {
      let a0 = ld(b, cb), a1 = ld(b, cb + 4);
      let wp = w + (<usize>(cb * K) << 2);
      for (let k = 0; k < K; k++) {
        const v = sp(x0, k);
        a0 = fma(a0, v, v128.load(wp)); a1 = fma(a1, v, v128.load(wp, 16));
        wp += 32;
      }
      const o = out + (<usize>(r * N + cb) << 2);
      st(o, 0, f32x4.max(a0, zero)); st(o, 4, f32x4.max(a1, zero));
    }
  }
}

/**
 * The whole network on x0 (the normalised log-mel, padded [T + 2][66], borders zero) of T frames.
 * p1 ([T/2 + 4][34][64]) and p2 ([T/4 + 4][18][64]) are the padded pooled activations (zeroed
 * here), p3/h1/h2 are [T/8][512], scratch holds two conv rows ([2][64][64]). Writes the frame
 * outputs to h2 and max + mean over time to emb (512). Returns the number of frames T/8 (floor
 * at every pool).
 */
export function forward(x0: usize, T: i32, p1: usize, p2: usize, p3: usize, h1: usize, h2: usize, scratch: usize, emb: usize): i32 {
  const T1 = T >> 1, T2 = T1 >> 1, T3 = T2 >> 1;
  memory.fill(p1, 0, <usize>((T1 + 4) * 34 * C) << 2);
  memory.fill(p2, 0, <usize>((T2 + 4) * 18 * C) << 2);
  const r1 = scratch + (<usize>(64 * C) << 2);
  // block 1: 64 mels -> 32
  for (let t = 0; t < T1; t++) {
    conv1Row(x0, 64, 2 * t, scratch);
    conv1Row(x0, 64, 2 * t + 1, r1);
    poolRows(scratch, r1, 64, p1 + (<usize>(((t + 1) * 34 + 1) * C) << 2));
  }
  // block 2: 32 -> 16
  for (let k = 0; 2 * k < T2; k++) {
    winogradConvPoolRows(p1, 32, k, W2, B2, p2 + (<usize>(((2 * k + 1) * 18 + 1) * C) << 2), <usize>(18 * C) << 2, 2 * k + 1 == T2 ? 1 : 0);
  }
  // block 3: 16 -> 8, unpadded [T3][8][64] = [T3][512] (index mel * 64 + ch)
  for (let k = 0; 2 * k < T3; k++) {
    winogradConvPoolRows(p2, 16, k, W3, B3, p3 + (<usize>(2 * k * 8 * C) << 2), <usize>(8 * C) << 2, 2 * k + 1 == T3 ? 1 : 0);
  }
  dense(p3, T3, F1, FB1, h1);
  dense(h1, T3, F2, FB2, h2);
  if (T3 > 0) {
    const tf = f32x4.splat(<f32>T3);
    for (let j = 0; j < 512; j += 4) {
      let mx = ld(h2, j), sum = mx;
      for (let t = 1; t < T3; t++) {
        const v = ld(h2, t * 512 + j);
        mx = f32x4.max(mx, v);
        sum = f32x4.add(sum, v);
      }
      st(emb, j, f32x4.add(mx, f32x4.div(sum, tf)));
    }
  }
  return T3;
}
