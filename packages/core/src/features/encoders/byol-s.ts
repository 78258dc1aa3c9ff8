import { ConfigError, SerError } from "../../errors.ts";
import { createMelSpectrogram } from "../../dsp/melspectrogram.ts";
import { BYOL_S_MANIFEST, BYOL_S_WEIGHTS_BASE64, BYOL_S_WEIGHTS_SHA256 } from "./byol-s-weights.ts";
import { ENCODER_WASM_BASE64 } from "./encoder-wasm.ts";

/**
 * BYOL-S 512: SERAB's self-supervised speech encoder (Scheidwasser-Clow et al., ICASSP 2022,
 * arXiv 2110.03414; BYOL-A's "AudioNTT2020" network, Niizumi et al., IJCNN 2021), as a plan
 * built once and run synchronously on 16 kHz mono audio, whole clip, no cropping.
 *
 * Everything follows the PyTorch reference ../shared/models/byol-s-512/reference_embed.py
 * (its docstring is the specification):
 *  - front end (SERAB / torchaudio MelSpectrogram defaults): centred STFT with reflect padding
 *    of n_fft / 2, periodic Hann window of 400 samples zero-padded (centred) to n_fft 1024, hop
 *    160, power 2; 64 HTK triangular mel filters 60-7800 Hz without area normalisation;
 *    log(mel + float32 eps); (x - mean) / std with one scalar mean and std (`normStats`).
 *    The mel power is the project's createMelSpectrogram: with the wasm network its float32
 *    SIMD kernel (dsp/wasm-kernels.ts, reflect padding in the kernel; 0.8 ms for 2.5 s where the
 *    float64 path took 1.5 ms), with the TypeScript network the float64 path (stft.ts, mel.ts,
 *    as the reference computes). The two log-mels differ by at most 7.5e-6 on the reference's
 *    cases.
 *  - network: 3 x [conv 3x3, 64 channels, pad 1 -> BatchNorm (eval statistics, folded into the
 *    conv by scripts/convert-byol-s.py) -> ReLU -> max pool 2x2 (floor)]; per time frame the
 *    8 mels x 64 channels flattened channel-fastest (index = mel * 64 + ch); Linear 512 -> 512,
 *    ReLU, Linear 512 -> 512, ReLU; embedding = max over time + mean over time (512 values).
 *  - the network runs in WebAssembly SIMD (wasm/encoder.ts, float32); a plain TypeScript
 *    path (float32 weights and activations, float64 accumulation) is the fallback where
 *    WebAssembly SIMD is missing, and the cross-check in the tests.
 */
export interface ByolSOptions {
  /**
   * Scalar log-mel normalisation. Default: the average of per-clip means and per-clip unbiased
   * stds over the shared RAVDESS actors 01-12 (mean -9.3552, std 5.0646), not SERAB's RAVDESS
   * statistics (computed on a split that includes test speakers).
   */
  normStats?: { mean: number; std: number };
  /** "auto" (default): WebAssembly SIMD where available, else TypeScript; "js": TypeScript only. */
  implementation?: "auto" | "js";
}

export interface ByolS {
  readonly dims: 512;
  readonly sampleRateHz: 16000;
  /** sha256 (hex) of the float32 weight bytes this plan runs (BatchNorm folded, see byol-s-weights.ts). */
  readonly weightsSha256: string;
  /** "wasm" or "js": the path this plan runs. */
  readonly implementation: "wasm" | "js";
  readonly normStats: { readonly mean: number; readonly std: number };
  /** Fewest samples a clip may have: 1120 (8 STFT frames, one frame after the three pools). */
  readonly minSamples: number;
  /** Network output frames for a clip of `samples` samples: floor((1 + floor(samples / 160)) / 8). */
  frameCount(samples: number): number;
  /** Writes the 512-d embedding of the whole clip (16 kHz mono, float in [-1, 1]) into out[0..512). */
  embed(wave16k: Float32Array, out: Float32Array): void;
  /** Writes the per-frame outputs before pooling ([frameCount × 512]) into `out`; returns the count. */
  frames(wave16k: Float32Array, out: Float32Array): number;
  /** Writes the last conv block's per-frame features ([frameCount × 512], index mel * 64 + ch) into `out`; returns the count. */
  convFrames(wave16k: Float32Array, out: Float32Array): number;
  /**
   * The conv features pooled over the whole clip: mean over time (512) then max over time (512),
   * into out[0..1024). The layer before BYOL-S's dense head: on the shared RAVDESS actors it
   * carried 2.5-3.5 points more one-clip UAR than the final embedding in a logistic-regression
   * probe (README).
   */
  embedConv(wave16k: Float32Array, out: Float32Array): void;
  /**
   * One pass of the network, both readings: the 512-d embedding (as `embed`) into out[0..512),
   * then the pooled conv block (as `embedConv`) into out[512..1536).
   */
  embedBoth(wave16k: Float32Array, out: Float32Array): void;
  /** Writes the normalised log-mel ([stftFrames × 64], time-major) into `out`; returns stftFrames. */
  logMel(wave16k: Float32Array, out: Float32Array): number;
}

const SR = 16000, N_FFT = 1024, WIN = 400, HOP = 160, N_MELS = 64, FMIN = 60, FMAX = 7800;
const EPS = 1.1920928955078125e-7; // float32 machine epsilon, as np.finfo(np.float32).eps
const D = 512;
const C = 64;
const MIN_FRAMES = 8;
const EMPTY = new Float32Array(0);
export const BYOL_S_DEFAULT_NORM_STATS = Object.freeze({ mean: -9.3552, std: 5.0646 });

interface EncoderExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  reset(mark: number): void;
  setWeights(w1: number, b1: number, w2: number, b2: number, w3: number, b3: number, f1: number, fb1: number, f2: number, fb2: number): void;
  forward(x0: number, T: number, p1: number, p2: number, p3: number, h1: number, h2: number, scratch: number, emb: number): number;
}

let compiled: WebAssembly.Module | null | undefined;

function encoderModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(base64Bytes(ENCODER_WASM_BASE64) as Uint8Array<ArrayBuffer>);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

function base64Bytes(b64: string, into?: Uint8Array): Uint8Array {
  const s = atob(b64);
  const out = into ?? new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function tensorOffsets(): Record<string, number> {
  const o: Record<string, number> = {};
  for (const t of BYOL_S_MANIFEST.tensors) o[t.name] = t.offset;
  return o;
}

/** Stages after the front end: x0 is the padded log-mel [T + 2][66]. */
interface Network {
  /** The padded input buffer, at least [T + 2][66], its first (T + 2) x 66 values zeroed; valid until the next call. */
  input(T: number): Float32Array;
  /** Runs on input(T); returns the frame count. */
  run(T: number): number;
  /** After run: the pooled embedding (512) into out. */
  readEmbedding(out: Float32Array): void;
  /** After run: the first `count` frame outputs ([count × 512]) into out. */
  readFrames(count: number, out: Float32Array): void;
  /** After run: the first `count` frames of the last conv block ([count × 512], mel * 64 + ch) into out. */
  readConv(count: number, out: Float32Array): void;
}

function wasmNetwork(mod: WebAssembly.Module): Network {
  const ex = new WebAssembly.Instance(mod, {}).exports as unknown as EncoderExports;
  const floats = BYOL_S_MANIFEST.floats;
  const base = ex.alloc(floats * 4);
  base64Bytes(BYOL_S_WEIGHTS_BASE64, new Uint8Array(ex.memory.buffer, base, floats * 4));
  const off = tensorOffsets();
  const p = (name: string) => base + off[name]! * 4;
  ex.setWeights(p("conv1.weight"), p("conv1.bias"), p("conv2.weight"), p("conv2.bias"), p("conv3.weight"), p("conv3.bias"),
    p("fc1.weight"), p("fc1.bias"), p("fc2.weight"), p("fc2.bias"));
  const scratch = ex.alloc(2 * 64 * C * 4);
  const emb = ex.alloc(D * 4);
  const mark2 = ex.alloc(0);
  let cap = 0;
  let x0 = 0, p1 = 0, p2 = 0, p3 = 0, h1 = 0, h2 = 0;
  let buffer: ArrayBufferLike | null = null;
  let x0View: Float32Array = EMPTY, h2View: Float32Array = EMPTY, embView: Float32Array = EMPTY, p3View: Float32Array = EMPTY;
  const views = () => {
    if (buffer !== ex.memory.buffer) {
      const b = ex.memory.buffer;
      buffer = b;
      x0View = new Float32Array(b, x0, (cap + 2) * (N_MELS + 2));
      h2View = new Float32Array(b, h2, (cap >> 3) * D);
      p3View = new Float32Array(b, p3, (cap >> 3) * D);
      embView = new Float32Array(b, emb, D);
    }
  };
  const ensure = (T: number) => {
    if (T <= cap) return;
    cap = Math.max(T, Math.ceil(cap * 1.25));
    ex.reset(mark2);
    const t1 = cap >> 1, t2 = t1 >> 1, t3 = t2 >> 1;
    x0 = ex.alloc((cap + 2) * (N_MELS + 2) * 4);
    p1 = ex.alloc((t1 + 4) * 34 * C * 4);
    p2 = ex.alloc((t2 + 4) * 18 * C * 4);
    p3 = ex.alloc(Math.max(1, t3) * D * 4);
    h1 = ex.alloc(Math.max(1, t3) * D * 4);
    h2 = ex.alloc(Math.max(1, t3) * D * 4);
    buffer = null;
  };
  return {
    input(T) {
      ensure(T);
      views();
      x0View.fill(0, 0, (T + 2) * (N_MELS + 2));
      return x0View;
    },
    run(T) {
      const count = ex.forward(x0, T, p1, p2, p3, h1, h2, scratch, emb);
      views();
      return count;
    },
    readEmbedding(out) {
      views();
      for (let j = 0; j < D; j++) out[j] = embView[j]!;
    },
    readFrames(count, out) {
      views();
      for (let j = 0; j < count * D; j++) out[j] = h2View[j]!;
    },
    readConv(count, out) {
      views();
      for (let j = 0; j < count * D; j++) out[j] = p3View[j]!;
    },
  };
}

/** The same network in plain TypeScript (float64 accumulation): fallback and cross-check. */
function jsNetwork(): Network {
  const w = new Float32Array(BYOL_S_MANIFEST.floats);
  base64Bytes(BYOL_S_WEIGHTS_BASE64, new Uint8Array(w.buffer));
  const off = tensorOffsets();
  const t = (name: string, n: number) => w.subarray(off[name]!, off[name]! + n);
  const cw = [t("conv1.weight", 9 * C), t("conv2.weight", 9 * C * C), t("conv3.weight", 9 * C * C)];
  const cb = [t("conv1.bias", C), t("conv2.bias", C), t("conv3.bias", C)];
  const fw = [t("fc1.weight", D * D), t("fc2.weight", D * D)];
  const fb = [t("fc1.bias", D), t("fc2.bias", D)];
  let cap = -1;
  let x0 = new Float32Array(0), p1 = x0, p2 = x0, p3 = x0, h1 = x0, h2 = x0;
  const emb = new Float32Array(D);
  const acc = new Float64Array(C);
  const rows = [new Float32Array(64 * C), new Float32Array(64 * C)];
  const hacc = new Float64Array(D);
  const ensure = (T: number) => {
    if (T <= cap) return;
    cap = T;
    const t1 = T >> 1, t2 = t1 >> 1, t3 = t2 >> 1;
    x0 = new Float32Array((T + 2) * (N_MELS + 2));
    p1 = new Float32Array((t1 + 2) * 34 * C);
    p2 = new Float32Array((t2 + 2) * 18 * C);
    p3 = new Float32Array(Math.max(1, t3) * D);
    h1 = new Float32Array(Math.max(1, t3) * D);
    h2 = new Float32Array(Math.max(1, t3) * D);
  };
  // One conv output row (time t, output coordinates) from a padded input [.][nMels + 2][cin].
  const convRow = (x: Float32Array, nMels: number, cin: number, tt: number, layer: number, out: Float32Array) => {
    const wt = cw[layer]!, bias = cb[layer]!;
    const stride = (nMels + 2) * cin;
    for (let m = 0; m < nMels; m++) {
      for (let co = 0; co < C; co++) acc[co] = bias[co]!;
      for (let dt = 0; dt < 3; dt++) {
        const xo = (tt + dt) * stride + m * cin;
        const wo = dt * 3 * cin * C;
        for (let k = 0; k < 3 * cin; k++) {
          const v = x[xo + k]!;
          if (v === 0) continue;
          const wk = wo + k * C;
          for (let co = 0; co < C; co++) acc[co] = acc[co]! + v * wt[wk + co]!;
        }
      }
      for (let co = 0; co < C; co++) out[m * C + co] = acc[co]!;
    }
  };
  const pool = (nMels: number, out: Float32Array, at: number) => {
    const [r0, r1] = rows as [Float32Array, Float32Array];
    for (let m = 0; m < nMels >> 1; m++) {
      for (let c = 0; c < C; c++) {
        const i0 = 2 * m * C + c, i1 = i0 + C;
        out[at + m * C + c] = Math.max(0, r0[i0]!, r0[i1]!, r1[i0]!, r1[i1]!);
      }
    }
  };
  const dense = (x: Float32Array, count: number, layer: number, out: Float32Array) => {
    const wt = fw[layer]!, bias = fb[layer]!;
    for (let r = 0; r < count; r++) {
      for (let o = 0; o < D; o++) hacc[o] = bias[o]!;
      for (let k = 0; k < D; k++) {
        const v = x[r * D + k]!;
        if (v === 0) continue;
        for (let o = 0; o < D; o++) hacc[o] = hacc[o]! + v * wt[k * D + o]!;
      }
      for (let o = 0; o < D; o++) out[r * D + o] = Math.max(0, hacc[o]!);
    }
  };
  return {
    input(T) {
      ensure(T);
      x0.fill(0, 0, (T + 2) * (N_MELS + 2));
      return x0;
    },
    run(T) {
      const t1 = T >> 1, t2 = t1 >> 1, t3 = t2 >> 1;
      const [r0, r1] = rows as [Float32Array, Float32Array];
      p1.fill(0, 0, (t1 + 2) * 34 * C);
      p2.fill(0, 0, (t2 + 2) * 18 * C);
      for (let i = 0; i < t1; i++) {
        convRow(x0, 64, 1, 2 * i, 0, r0);
        convRow(x0, 64, 1, 2 * i + 1, 0, r1);
        pool(64, p1, ((i + 1) * 34 + 1) * C);
      }
      for (let i = 0; i < t2; i++) {
        convRow(p1, 32, C, 2 * i, 1, r0);
        convRow(p1, 32, C, 2 * i + 1, 1, r1);
        pool(32, p2, ((i + 1) * 18 + 1) * C);
      }
      for (let i = 0; i < t3; i++) {
        convRow(p2, 16, C, 2 * i, 2, r0);
        convRow(p2, 16, C, 2 * i + 1, 2, r1);
        pool(16, p3, i * 8 * C);
      }
      dense(p3, t3, 0, h1);
      dense(h1, t3, 1, h2);
      for (let j = 0; j < D; j++) {
        let mx = -Infinity, sum = 0;
        for (let r = 0; r < t3; r++) {
          const v = h2[r * D + j]!;
          if (v > mx) mx = v;
          sum += v;
        }
        emb[j] = mx + sum / t3;
      }
      return t3;
    },
    readEmbedding(out) {
      for (let j = 0; j < D; j++) out[j] = emb[j]!;
    },
    readFrames(count, out) {
      for (let j = 0; j < count * D; j++) out[j] = h2[j]!;
    },
    readConv(count, out) {
      for (let j = 0; j < count * D; j++) out[j] = p3[j]!;
    },
  };
}

/** Builds the BYOL-S 512 plan once: decodes the weights, builds the log-mel tables, instantiates the wasm. */
export function createByolS(options: ByolSOptions = {}): ByolS {
  const stats = options.normStats ?? BYOL_S_DEFAULT_NORM_STATS;
  if (!Number.isFinite(stats.mean) || !(stats.std > 0) || !Number.isFinite(stats.std)) {
    throw new ConfigError(`BYOL-S normStats needs a finite mean and a positive std, got mean=${stats.mean}, std=${stats.std}.`);
  }
  const impl = options.implementation ?? "auto";
  if (impl !== "auto" && impl !== "js") {
    throw new ConfigError(`BYOL-S implementation must be "auto" or "js", got "${impl}".`);
  }
  const mean32 = Math.fround(stats.mean), std32 = Math.fround(stats.std);
  const mod = impl === "auto" ? encoderModule() : null;
  const net = mod ? wasmNetwork(mod) : jsNetwork();
  // torchaudio's MelSpectrogram as SERAB configures it; with the wasm network the float32 SIMD
  // kernel (reflect padding included), with the TypeScript network the float64 path.
  const melSpec = createMelSpectrogram({
    sampleRateHz: SR, nFft: N_FFT, hopLength: HOP, winLength: WIN, window: "hann", center: true, padMode: "reflect",
    nMels: N_MELS, fminHz: FMIN, fmaxHz: FMAX, melScale: "htk", melNorm: "none", power: 2, implementation: mod ? "auto" : "js",
  });
  let power: Float32Array = EMPTY;
  const checkWave = (wave: Float32Array, what: string) => {
    if (!(wave instanceof Float32Array)) throw new SerError("invalid-input", `BYOL-S ${what} needs a Float32Array of 16 kHz samples.`);
    if (wave.length < MIN_FRAMES * HOP - HOP) {
      throw new SerError("invalid-input", `BYOL-S needs at least ${MIN_FRAMES * HOP - HOP} samples (70 ms at 16 kHz), got ${wave.length}.`);
    }
  };
  const stftFrames = (n: number) => 1 + Math.floor(n / HOP);
  let conv: Float32Array = EMPTY;
  /** Runs the network and reads one of its per-frame layers into `out` ([count × 512]). */
  const perFrame = (wave16k: Float32Array, out: Float32Array, what: string, read: (count: number) => void) => {
    checkWave(wave16k, what);
    const need = (stftFrames(wave16k.length) >> 3) * D;
    if (out.length < need) throw new ConfigError(`BYOL-S ${what} needs an output of ${need} values, got ${out.length}.`);
    const count = forward(wave16k);
    read(count);
    return count;
  };
  /** Normalised log-mel of `wave` into target rows t * stride + offset (64 values each); returns the frame count. */
  const logMelInto = (wave: Float32Array, into: Float32Array, stride: number, offset: number) => {
    const T = stftFrames(wave.length);
    if (power.length < T * N_MELS) power = new Float32Array(T * N_MELS);
    melSpec.compute(wave, power);
    for (let t = 0; t < T; t++) {
      const o = t * stride + offset, r = t * N_MELS;
      for (let m = 0; m < N_MELS; m++) {
        // reference: np.log(spec @ fb + eps) -> float32, then (x - mean) / std in float32
        const l = Math.fround(Math.log(power[r + m]! + EPS));
        into[o + m] = Math.fround(Math.fround(l - mean32) / std32);
      }
    }
    return T;
  };
  const forward = (wave: Float32Array) => {
    const T = stftFrames(wave.length);
    // row t + 1, mel 1 of the padded input
    logMelInto(wave, net.input(T), N_MELS + 2, N_MELS + 2 + 1);
    return net.run(T);
  };
  return {
    dims: D,
    sampleRateHz: SR,
    weightsSha256: BYOL_S_WEIGHTS_SHA256,
    implementation: mod ? "wasm" : "js",
    normStats: Object.freeze({ mean: stats.mean, std: stats.std }),
    minSamples: MIN_FRAMES * HOP - HOP,
    frameCount: (samples) => stftFrames(samples) >> 3,
    embed(wave16k, out) {
      checkWave(wave16k, "embed");
      if (out.length < D) throw new ConfigError(`BYOL-S embed needs an output of at least ${D} values, got ${out.length}.`);
      forward(wave16k);
      net.readEmbedding(out);
    },
    convFrames(wave16k, out) {
      return perFrame(wave16k, out, "convFrames", (count) => net.readConv(count, out));
    },
    embedConv(wave16k, out) {
      checkWave(wave16k, "embedConv");
      if (out.length < 2 * D) throw new ConfigError(`BYOL-S embedConv needs an output of at least ${2 * D} values, got ${out.length}.`);
      poolConv(forward(wave16k), out);
    },
    embedBoth(wave16k, out) {
      checkWave(wave16k, "embedBoth");
      if (out.length < 3 * D) throw new ConfigError(`BYOL-S embedBoth needs an output of at least ${3 * D} values, got ${out.length}.`);
      const count = forward(wave16k);
      net.readEmbedding(out);
      poolConv(count, out.subarray(D));
    },
    frames(wave16k, out) {
      return perFrame(wave16k, out, "frames", (count) => net.readFrames(count, out));
    },
    logMel(wave16k, out) {
      checkWave(wave16k, "logMel");
      const T = stftFrames(wave16k.length);
      if (out.length < T * N_MELS) throw new ConfigError(`BYOL-S logMel needs an output of ${T * N_MELS} values, got ${out.length}.`);
      return logMelInto(wave16k, out, N_MELS, 0);
    },
  };
  /** After a forward pass of `count` frames: the conv block's mean (512) then max (512) over time into out. */
  function poolConv(count: number, out: Float32Array): void {
      if (conv.length < count * D) conv = new Float32Array(count * D);
      net.readConv(count, conv);
      for (let j = 0; j < D; j++) {
        let sum = 0, max = -Infinity;
        for (let t = 0; t < count; t++) {
          const v = conv[t * D + j]!;
          sum += v;
          if (v > max) max = v;
        }
        out[j] = sum / count;
        out[D + j] = max;
      }
  }
}
