import { DSP_WASM_BASE64 } from "./dsp-wasm.ts";
import type { PowerToDbOptions } from "./db.ts";
import { bitReversal } from "./fft.ts";
import type { MelFilterbank } from "./mel.ts";

/**
 * WebAssembly SIMD kernels for the mel spectrogram and the MFCC's DCT (source: wasm/dsp.ts,
 * AssemblyScript). float32 throughout, like librosa's complex64 STFT; the float64 TypeScript
 * path in fft.ts / stft.ts / mel.ts is the reference they are tested against
 * (wasm-kernels.test.ts) and the fallback where WebAssembly SIMD is missing.
 * One instance per configured plan: the module keeps its tables in its own memory.
 */
interface Exports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  reset(mark: number): void;
  configure(m: number, rev: number, win: number, odd: number, stages: number, stageM: number, stageTw: number, tr: number, ti: number, zr: number, zi: number, spec: number, nMels: number, melStart: number, melLen: number, melOff: number, melW: number): void;
  melFrames(sig: number, n: number, frames: number, hop: number, pad: number, power: number, reflect: number, out: number): void;
  matmulRows(x: number, frames: number, nIn: number, w: number, nOut: number, out: number): void;
  powerToDb(x: number, count: number, amin: number, refDb: number, topDb: number): void;
  polyphase(input: number, table: number, taps: number, up: number, down: number, k: number, first: number, last: number, out: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly (with SIMD) is unavailable. */
function dspModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bin = Uint8Array.from(atob(DSP_WASM_BASE64), (c) => c.charCodeAt(0));
      compiled = new WebAssembly.Module(bin);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export function wasmKernelsAvailable(): boolean {
  return dspModule() !== null;
}

export interface WasmMelPlan {
  /**
   * Mel spectrogram [frames × nMels] of `signal` as a view into the module's memory (valid until
   * the next call); frame t starts at t * hopLength - pad, the signal padded as the plan says.
   */
  melFrames(signal: Float32Array, frames: number, hopLength: number, pad: number, power: 1 | 2): Float32Array;
  /** Rows of `x` ([frames × nIn], a view from melFrames) times `w`ᵀ ([nOut × nIn], set by setMatrix): a view of [frames × nOut]. */
  matmulRows(x: Float32Array, frames: number, nIn: number, nOut: number): Float32Array;
  setMatrix(w: Float64Array): void;
  /** A copy of `values` in the module's memory (valid until the next call), for powerToDb and matmulRows on stored rows. */
  load(values: Float32Array): Float32Array;
  /** librosa.power_to_db in place on the first `count` values of a view from melFrames. */
  powerToDb(x: Float32Array, count: number, options?: PowerToDbOptions): void;
}

/**
 * A plan for n_fft (a power of two, at least 16), its window (length n_fft) and mel filter bank;
 * frames reaching past the signal's ends read zeros, or with "reflect" the signal mirrored there
 * (numpy "reflect", as torch.stft's centre padding).
 */
export function createWasmMelPlan(nFft: number, window: Float64Array, bank: MelFilterbank, padMode: "constant" | "reflect" = "constant"): WasmMelPlan | null {
  const mod = dspModule();
  if (!mod || nFft < 16 || (nFft & (nFft - 1)) !== 0) return null;
  const ex = new WebAssembly.Instance(mod, {}).exports as unknown as Exports;
  const m = nFft >> 1;
  const f32 = (values: ArrayLike<number>) => {
    const p = ex.alloc(values.length * 4);
    new Float32Array(ex.memory.buffer, p, values.length).set(values);
    return p;
  };
  const i32 = (values: ArrayLike<number>) => {
    const p = ex.alloc(values.length * 4);
    new Int32Array(ex.memory.buffer, p, values.length).set(values);
    return p;
  };
  const rev = bitReversal(m);
  const odd = Math.round(Math.log2(m)) % 2;
  const stageM: number[] = [];
  const stageTw: number[] = [];
  for (let q = odd ? 2 : 1; q * 4 <= m; q *= 4) {
    // Six arrays of q twiddles each (w1r, w1i, w2r, w2i, w3r, w3i), so four j's load as one vector.
    const tw = new Float64Array(6 * q);
    for (let j = 0; j < q; j++) {
      for (let k = 1; k <= 3; k++) {
        const a = (-2 * Math.PI * k * j) / (4 * q);
        tw[(2 * (k - 1)) * q + j] = Math.cos(a);
        tw[(2 * (k - 1) + 1) * q + j] = Math.sin(a);
      }
    }
    stageM.push(q);
    stageTw.push(f32(tw));
  }
  const tr = new Float64Array(m + 4), ti = new Float64Array(m + 4);
  for (let k = 0; k < m; k++) {
    tr[k] = Math.cos((-2 * Math.PI * k) / nFft);
    ti[k] = Math.sin((-2 * Math.PI * k) / nFft);
  }
  const pRev = i32(rev), pWin = f32(window), pStageM = i32(stageM), pStageTw = i32(stageTw);
  const pTr = f32(tr), pTi = f32(ti);
  const pZr = ex.alloc(m * 4), pZi = ex.alloc(m * 4), pSpec = ex.alloc((m + 8) * 4);
  const pStart = i32(bank.start), pLen = i32(bank.length), pOff = i32(bank.offset), pW = f32(bank.weights);
  ex.configure(m, pRev, pWin, odd, stageM.length, pStageM, pStageTw, pTr, pTi, pZr, pZi, pSpec, bank.nMels, pStart, pLen, pOff, pW);
  let matrix = 0;
  let mark = ex.alloc(0);
  let melOut = 0;
  return {
    setMatrix(w) {
      ex.reset(mark);
      matrix = f32(w);
      mark = ex.alloc(0);
    },
    melFrames(signal, frames, hopLength, pad, power) {
      ex.reset(mark);
      const sig = f32(signal);
      melOut = ex.alloc(frames * bank.nMels * 4);
      ex.melFrames(sig, signal.length, frames, hopLength, pad, power, padMode === "reflect" ? 1 : 0, melOut);
      return new Float32Array(ex.memory.buffer, melOut, frames * bank.nMels);
    },
    load(values) {
      ex.reset(mark);
      const p = f32(values);
      return new Float32Array(ex.memory.buffer, p, values.length);
    },
    powerToDb(x, count, options = {}) {
      const amin = options.amin ?? 1e-10;
      const refDb = 10 * Math.log10(Math.max(amin, options.ref ?? 1));
      const topDb = options.topDb === undefined ? 80 : options.topDb === null ? -1 : options.topDb;
      ex.powerToDb(x.byteOffset, count, amin, refDb, topDb);
    },
    matmulRows(x, frames, nIn, nOut) {
      const xp = x.byteOffset; // read before alloc: growing memory detaches x's buffer
      const out = ex.alloc(frames * nOut * 4);
      ex.matmulRows(xp, frames, nIn, matrix, nOut, out);
      return new Float32Array(ex.memory.buffer, out, frames * nOut);
    },
  };
}

export interface WasmPolyphase {
  /** Fills out[first..last) (outputs whose windows lie inside `input`); the caller does the edges. */
  run(input: Float32Array, out: Float32Array, first: number, last: number): void;
}

/** The resampler's inner loop (audio/resample.ts) with its filter table in the module's memory. */
export function createWasmPolyphase(table: Float32Array, taps: number, up: number, down: number, k: number): WasmPolyphase | null {
  const mod = dspModule();
  if (!mod) return null;
  const ex = new WebAssembly.Instance(mod, {}).exports as unknown as Exports;
  const pTable = ex.alloc(table.length * 4);
  new Float32Array(ex.memory.buffer, pTable, table.length).set(table);
  const mark = ex.alloc(0);
  return {
    run(input, out, first, last) {
      if (last <= first) return;
      ex.reset(mark);
      const pIn = ex.alloc(input.length * 4);
      const pOut = ex.alloc(last * 4);
      new Float32Array(ex.memory.buffer, pIn, input.length).set(input);
      ex.polyphase(pIn, pTable, taps, up, down, k, first, last, pOut);
      out.set(new Float32Array(ex.memory.buffer, pOut + first * 4, last - first), first);
    },
  };
}
