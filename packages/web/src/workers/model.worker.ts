/**
 * The model worker: loads a bundle, predicts WAV files, and re-exports the bundle, on
 * TensorFlow.js's WebGPU backend (CPU fallback with the reason). Thin by design: core does the
 * work; the page imports only the type of this API.
 */
import { expose } from "comlink";
import { decodeAudio } from "@ser/core";
import { type BackendInfo, type BundleFiles, type BundleMeta, bundleFromZip, bundleToZip, createPredictor, type GroupedPrediction, type LiveUpdate, type LiveSession, loadBundle, type ModelName, predictGrouped, type Predictor, readBundleMeta, saveBundle, selectBackend, tf } from "@ser/core/ml";
import { TFJS_WASM_PATHS } from "./tfjs-wasm-paths.ts";
import { LIVE_HOP_S } from "../live-cadence.ts";

/** The loaded bundle's predictor (front end built once), its assets, and the live session on it. */

let loaded: { predictor: Predictor; assets: BundleFiles; live: LiveSession } | undefined;
// Every call waits for the backend, so the page may send work before init() resolves.
const ready = selectBackend("auto");

const api = {
  init(): Promise<BackendInfo> {
    return ready;
  },
  async loadBundle(zip: Uint8Array): Promise<BundleMeta> {
    await ready.catch(() => undefined);
    const files = bundleFromZip(zip);
    // The model is known now: "auto" may prefer WebAssembly for it (a software adapter, or no WebGPU).
    await selectBackend("auto", { model: readBundleMeta(files).model.name as ModelName, wasmPaths: TFJS_WASM_PATHS });
    const bundle = await loadBundle(files);
    loaded?.predictor.dispose();
    const predictor = await createPredictor(bundle);
    loaded = { predictor, assets: bundle.assets, live: predictor.createSession({ hopS: LIVE_HOP_S }) };
    return bundle.meta;
  },
  /**
   * Files grouped by speaker as `ser predict` groups them (core's predictGrouped): by the speaker
   * their names carry, else each alone, or all one speaker's when `oneSpeaker`; `emotions`
   * narrows the choice.
   */
  async predict(files: { name: string; bytes: Uint8Array }[], options: { oneSpeaker?: boolean; emotions?: string[] } = {}): Promise<{ predictions: GroupedPrediction[]; errors: { name: string; error: string }[] }> {
    await ready.catch(() => undefined);
    if (!loaded) throw new Error("load a model bundle first.");
    const errors: { name: string; error: string }[] = [];
    const clips: { name: string; samples: Float32Array; sampleRateHz: number }[] = [];
    for (const f of files) {
      try {
        const wav = await decodeAudio(f.bytes, { source: f.name });
        clips.push({ name: f.name, samples: wav.samples, sampleRateHz: wav.sampleRateHz });
      } catch (e) {
        errors.push({ name: f.name, error: (e as Error).message });
      }
    }
    return { predictions: await predictGrouped(loaded.predictor, clips, { ...(options.oneSpeaker ? { speaker: "these files" } : {}), ...(options.emotions?.length ? { emotions: options.emotions } : {}) }), errors };
  },
  /** A fresh live session, choosing among `emotions` when given (narrowing), else all the model's. */
  liveReset(emotions?: string[]): void {
    if (!loaded) return;
    loaded.live = loaded.predictor.createSession({ hopS: LIVE_HOP_S, ...(emotions?.length ? { emotions } : {}) });
  },
  /** One window of microphone audio: its prediction, with the session's recent windows as the speaker's clips. */
  async predictLive(samples: Float32Array, sampleRateHz: number): Promise<LiveUpdate> {
    await ready.catch(() => undefined);
    if (!loaded) throw new Error("load a model bundle first.");
    return await loaded.live.push(samples, sampleRateHz);
  },
  /** The loaded model saved again by this browser (a download cannot start inside a worker). */
  async exportBundle(): Promise<Uint8Array> {
    if (!loaded) throw new Error("load a model bundle first.");
    const { predictor, assets } = loaded;
    return bundleToZip(await saveBundle(predictor.model, predictor.meta, assets));
  },
  memory(): number {
    return tf.memory().numTensors;
  },
};

export type ModelApi = typeof api;
expose(api);
