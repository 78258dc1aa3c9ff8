/**
 * The model worker: loads a bundle, predicts WAV files, and re-exports the bundle, on
 * TensorFlow.js's WebGPU backend (CPU fallback with the reason). Thin by design: core does the
 * work; the page imports only the type of this API.
 */
import { expose } from "comlink";
import { decodeWav } from "@ser/core";
import { type BackendInfo, type BundleMeta, bundleFromZip, bundleToZip, type Clip, type ClipPrediction, loadBundle, predictClips, saveBundle, selectBackend, tf } from "@ser/core/ml";

let loaded: { model: tf.LayersModel; meta: BundleMeta } | undefined;
/**
 * Live microphone windows heard so far in this session (the most recent few): with a
 * per-speaker normalised model they stand in for "the speaker's other clips", so statistics
 * build up as the person talks (below 3 windows the training speakers' average is used).
 */
let liveHistory: Clip[] = [];
const LIVE_HISTORY = 8;
// Every call waits for the backend, so the page may send work before init() resolves.
const ready = selectBackend("auto");

const api = {
  init(): Promise<BackendInfo> {
    return ready;
  },
  async loadBundle(zip: Uint8Array): Promise<BundleMeta> {
    await ready.catch(() => undefined);
    const next = await loadBundle(bundleFromZip(zip));
    loaded?.model.dispose();
    loaded = next;
    return next.meta;
  },
  async predict(files: { name: string; bytes: Uint8Array }[]): Promise<{ predictions: ClipPrediction[]; errors: { name: string; error: string }[] }> {
    await ready.catch(() => undefined);
    if (!loaded) throw new Error("load a model bundle first.");
    const errors: { name: string; error: string }[] = [];
    const clips = [];
    for (const f of files) {
      try {
        const wav = decodeWav(f.bytes, { source: f.name });
        clips.push({ name: f.name, samples: wav.samples, sampleRateHz: wav.sampleRateHz });
      } catch (e) {
        errors.push({ name: f.name, error: (e as Error).message });
      }
    }
    return { predictions: await predictClips(loaded.model, loaded.meta, clips), errors };
  },
  liveReset(): void {
    liveHistory = [];
  },
  /** One window of microphone audio: its prediction, with the session's recent windows as the speaker's clips. */
  async predictLive(samples: Float32Array, sampleRateHz: number): Promise<ClipPrediction & { historyWindows: number }> {
    await ready.catch(() => undefined);
    if (!loaded) throw new Error("load a model bundle first.");
    liveHistory.push({ name: "live", samples, sampleRateHz });
    if (liveHistory.length > LIVE_HISTORY) liveHistory = liveHistory.slice(-LIVE_HISTORY);
    const predictions = await predictClips(loaded.model, loaded.meta, liveHistory);
    return { ...predictions.at(-1)!, historyWindows: liveHistory.length };
  },
  /** The loaded model saved again by this browser (a download cannot start inside a worker). */
  async exportBundle(): Promise<Uint8Array> {
    if (!loaded) throw new Error("load a model bundle first.");
    return bundleToZip(await saveBundle(loaded.model, loaded.meta));
  },
  memory(): number {
    return tf.memory().numTensors;
  },
};

export type ModelApi = typeof api;
expose(api);
