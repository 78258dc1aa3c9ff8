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
// multiply-adds, use Winograd's minimal filtering F(2x2, 3x3) (Lavin & Gray, "Fast Algorithms
// for Convolutional Neural Networks", CVPR 2016): a 2x2 block of outputs from a 4x4 input tile
// with 16 multiplies per channel pair instead of 36, i.e. 2.25x fewer. The 2x2 output block is
// exactly the 2x2 max-pool window that follows, so each tile is transformed back, biased,
// pooled and ReLU'd at once and the full-size conv output never exists
// (max(relu(a), relu(b)) = relu(max(a, b))). Per pooled row: the input tiles are transformed
// (B^T d B, four channels per f32x4) into V[16][tiles][64], 16 GEMMs [tiles x 64] x [64 x 64]
// against the transformed kernels U = G g G^T (register-blocked 4 tiles x 8 channels) give
// M[16][tiles][64], and A^T M A gives the 2x2 outputs.
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
// Winograd scratch: V and M, [16][16 tiles at most][64] each.
let WV: usize = 0; let WM: usize = 0;

/**
 * Takes the converted weights (layouts of byol-s-weights.ts) and keeps blocked copies of the
 * 64 -> 64 conv and dense matrices (blockColumns) in memory allocated here.
 */
export function setWeights(w1: usize, b1: usize, w2: usize, b2: usize, w3: usize, b3: usize, f1: usize, fb1: usize, f2: usize, fb2: usize): void {
  W1 = w1; B1 = b1; B2 = b2; B3 = b3; FB1 = fb1; FB2 = fb2;
  W2 = winogradKernels(w2);
  W3 = winogradKernels(w3);
  WV = alloc(16 * 16 * C * 4);
  WM = alloc(16 * 16 * C * 4);
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

@inline function kernelTap(w: usize, a: i32, b: i32, ci: i32, co: i32): f32 {
  return load<f32>(w + (<usize>(((a * 3 + b) * C + ci) * C + co) << 2));
}

/**
 * U = G g G^T for every (cin, cout) of a [3 time][3 mel][64 cin][64 cout] kernel, with
 * G = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]]; returns [16][64 cin][64 cout],
 * each of the 16 matrices blocked by 8 output channels (blockColumns) for gemm64.
 */
function winogradKernels(w: usize): usize {
  const u = alloc(16 * C * C * 4);
  const raw = alloc(16 * C * C * 4); // freed below: only u is kept
  for (let ci = 0; ci < C; ci++) {
    for (let co = 0; co < C; co++) {
      // g[a][b] = w[a = time][b = mel][ci][co]; t = G g (4 x 3), then U = t G^T (4 x 4).
      for (let j = 0; j < 3; j++) {
        const g0 = kernelTap(w, 0, j, ci, co), g1 = kernelTap(w, 1, j, ci, co), g2 = kernelTap(w, 2, j, ci, co);
        const t0 = g0, t1 = <f32>0.5 * (g0 + g1 + g2), t2 = <f32>0.5 * (g0 - g1 + g2), t3 = g2;
        store<f32>(raw + (<usize>((0 * 4 + j) * C * C + ci * C + co) << 2), t0);
        store<f32>(raw + (<usize>((1 * 4 + j) * C * C + ci * C + co) << 2), t1);
        store<f32>(raw + (<usize>((2 * 4 + j) * C * C + ci * C + co) << 2), t2);
        store<f32>(raw + (<usize>((3 * 4 + j) * C * C + ci * C + co) << 2), t3);
      }
      // Columns: raw holds t[i][0..2] at slots (i, 0..2); write U[i][0..3] at slots (i, 0..3).
      for (let i = 0; i < 4; i++) {
        const p0 = raw + (<usize>((i * 4 + 0) * C * C + ci * C + co) << 2);
        const p1 = raw + (<usize>((i * 4 + 1) * C * C + ci * C + co) << 2);
        const p2 = raw + (<usize>((i * 4 + 2) * C * C + ci * C + co) << 2);
        const p3 = raw + (<usize>((i * 4 + 3) * C * C + ci * C + co) << 2);
        const a0 = load<f32>(p0), a1 = load<f32>(p1), a2 = load<f32>(p2);
        store<f32>(p0, a0);
        store<f32>(p1, <f32>0.5 * (a0 + a1 + a2));
        store<f32>(p2, <f32>0.5 * (a0 - a1 + a2));
        store<f32>(p3, a2);
      }
    }
  }
  for (let xi = 0; xi < 16; xi++) blockColumns(raw + (<usize>(xi * C * C) << 2), C, C, u + (<usize>(xi * C * C) << 2));
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
 * One pooled output row tp of a 64 -> 64 conv + 2x2 max-pool + ReLU, by Winograd F(2x2, 3x3):
 * x is the padded input [T + 2][nMels + 2][64], u the transformed kernels (winogradKernels),
 * b the bias, out the pooled row [nMels / 2][64]. nMels / 2 is a multiple of 4, at most 16.
 */
function winogradConvPoolRow(x: usize, nMels: i32, tp: i32, u: usize, b: usize, out: usize): void {
  const tiles = nMels >> 1;
  const row = <usize>((nMels + 2) * C) << 2; // bytes per padded time row
  const px = <usize>C << 2; // bytes per pixel
  const plane = <usize>(tiles * C) << 2; // bytes per transformed position in V and M
  // V = B^T d B, B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]].
  for (let m = 0; m < tiles; m++) {
    const base = x + (<usize>(2 * tp) * row) + (<usize>(2 * m) * px);
    for (let c = 0; c < C; c += 4) {
      const p = base + (<usize>c << 2);
      const vo = WV + (<usize>(m * C + c) << 2);
      // Rows of B^T d: r0 = d0 - d2, r1 = d1 + d2, r2 = d2 - d1, r3 = d1 - d3 (each over 4 mels).
      for (let j = 0; j < 4; j++) {
        const q = p + <usize>j * px;
        const d0 = v128.load(q), d1 = v128.load(q + row), d2 = v128.load(q + 2 * row), d3 = v128.load(q + 3 * row);
        // Stash the four rows for column j at V positions (i, j); the column pass follows.
        v128.store(vo + <usize>(0 * 4 + j) * plane, f32x4.sub(d0, d2));
        v128.store(vo + <usize>(1 * 4 + j) * plane, f32x4.add(d1, d2));
        v128.store(vo + <usize>(2 * 4 + j) * plane, f32x4.sub(d2, d1));
        v128.store(vo + <usize>(3 * 4 + j) * plane, f32x4.sub(d1, d3));
      }
      for (let i = 0; i < 4; i++) {
        const q = vo + <usize>(i * 4) * plane;
        const r0 = v128.load(q), r1 = v128.load(q + plane), r2 = v128.load(q + 2 * plane), r3 = v128.load(q + 3 * plane);
        v128.store(q, f32x4.sub(r0, r2));
        v128.store(q + plane, f32x4.add(r1, r2));
        v128.store(q + 2 * plane, f32x4.sub(r2, r1));
        v128.store(q + 3 * plane, f32x4.sub(r1, r3));
      }
    }
  }
  for (let xi = 0; xi < 16; xi++) gemm64(WV + <usize>xi * plane, tiles, u + (<usize>(xi * C * C) << 2), WM + <usize>xi * plane);
  // Y = A^T M A, A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]; then + bias, max over the 2x2, ReLU.
  const zero = f32x4.splat(0);
  for (let m = 0; m < tiles; m++) {
    for (let c = 0; c < C; c += 4) {
      const q = WM + (<usize>(m * C + c) << 2);
      const m00 = v128.load(q), m01 = v128.load(q + plane), m02 = v128.load(q + 2 * plane), m03 = v128.load(q + 3 * plane);
      const m10 = v128.load(q + 4 * plane), m11 = v128.load(q + 5 * plane), m12 = v128.load(q + 6 * plane), m13 = v128.load(q + 7 * plane);
      const m20 = v128.load(q + 8 * plane), m21 = v128.load(q + 9 * plane), m22 = v128.load(q + 10 * plane), m23 = v128.load(q + 11 * plane);
      const m30 = v128.load(q + 12 * plane), m31 = v128.load(q + 13 * plane), m32 = v128.load(q + 14 * plane), m33 = v128.load(q + 15 * plane);
      // s0 = M0 + M1 + M2, s1 = M1 - M2 - M3 (rows), per column j.
      const s00 = f32x4.add(f32x4.add(m00, m10), m20), s01 = f32x4.add(f32x4.add(m01, m11), m21);
      const s02 = f32x4.add(f32x4.add(m02, m12), m22), s03 = f32x4.add(f32x4.add(m03, m13), m23);
      const s10 = f32x4.sub(f32x4.sub(m10, m20), m30), s11 = f32x4.sub(f32x4.sub(m11, m21), m31);
      const s12 = f32x4.sub(f32x4.sub(m12, m22), m32), s13 = f32x4.sub(f32x4.sub(m13, m23), m33);
      const y00 = f32x4.add(f32x4.add(s00, s01), s02), y01 = f32x4.sub(f32x4.sub(s01, s02), s03);
      const y10 = f32x4.add(f32x4.add(s10, s11), s12), y11 = f32x4.sub(f32x4.sub(s11, s12), s13);
      const v = f32x4.add(f32x4.max(f32x4.max(y00, y01), f32x4.max(y10, y11)), ld(b, c));
      st(out, m * C + c, f32x4.max(v, zero));
    }
  }
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
 * p1 ([T/2 + 2][34][64]) and p2 ([T/4 + 2][18][64]) are the padded pooled activations (zeroed
 * here), p3/h1/h2 are [T/8][512], scratch holds two conv rows ([2][64][64]). Writes the frame
 * outputs to h2 and max + mean over time to emb (512). Returns the number of frames T/8 (floor
 * at every pool).
 */
export function forward(x0: usize, T: i32, p1: usize, p2: usize, p3: usize, h1: usize, h2: usize, scratch: usize, emb: usize): i32 {
  const T1 = T >> 1, T2 = T1 >> 1, T3 = T2 >> 1;
  memory.fill(p1, 0, <usize>((T1 + 2) * 34 * C) << 2);
  memory.fill(p2, 0, <usize>((T2 + 2) * 18 * C) << 2);
  const r1 = scratch + (<usize>(64 * C) << 2);
  // block 1: 64 mels -> 32
  for (let t = 0; t < T1; t++) {
    conv1Row(x0, 64, 2 * t, scratch);
    conv1Row(x0, 64, 2 * t + 1, r1);
    poolRows(scratch, r1, 64, p1 + (<usize>(((t + 1) * 34 + 1) * C) << 2));
  }
  // block 2: 32 -> 16
  for (let t = 0; t < T2; t++) winogradConvPoolRow(p1, 32, t, W2, B2, p2 + (<usize>(((t + 1) * 18 + 1) * C) << 2));
  // block 3: 16 -> 8, unpadded [T3][8][64] = [T3][512] (index mel * 64 + ch)
  for (let t = 0; t < T3; t++) winogradConvPoolRow(p2, 16, t, W3, B3, p3 + (<usize>(t * 8 * C) << 2));
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
