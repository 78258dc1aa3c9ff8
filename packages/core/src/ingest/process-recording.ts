import type { CorpusItem } from "../data/corpus.ts";
import { type DecodeOutcome, decodeForIngest } from "../data/ingest.ts";
import { extractReheard, type Frontend } from "../features/frontend.ts";
import { type FeatureView, viewWave } from "../augment/feature-views.ts";
import { type FeatureCache, featureCacheKey } from "./feature-cache.ts";

/** Features per training view, by the view's name. */
export type FeatureViews = Partial<Record<FeatureView, Float32Array>>;

/** A corpus item ready for training: its trimmed waveform at the front end's rate and its (unscaled) features. */
export interface PreparedItem extends CorpusItem {
  /**
   * The prepared waveform, when the corpus was loaded with `keepWaves` (waveform augmentation
   * and channel tests re-hear it; needsWaveforms(spec) says when training does).
   */
  wave?: Float32Array;
  /** Unscaled features (per-utterance normalised where the front end says so; never per speaker). */
  features: Float32Array;
  /** Features of the clip re-heard through each training view it was loaded with (see feature-views.ts). */
  views?: FeatureViews;
}

/** One file through decode, resampling, trimming and the front end: the expensive, parallel part of ingestion. */
export interface ProcessedRecording {
  outcome: DecodeOutcome;
  /** Present when the outcome is ok and the recording is within the duration limit. */
  wave?: Float32Array;
  features?: Float32Array;
  /** Present when views were asked for: one feature vector per view. */
  views?: FeatureViews;
  /** True when the features (and views) came from the feature cache. */
  cached?: boolean;
}

export async function processRecording(frontend: Frontend, bytes: Uint8Array, maxDurationS = 600, views: readonly FeatureView[] = [], cache?: FeatureCache): Promise<ProcessedRecording> {
  const decoded = await decodeForIngest(bytes);
  if (decoded.audio === null || !decoded.outcome.ok) return { outcome: decoded.outcome };
  const audio = decoded.audio;
  // Too long: the ingestor turns the outcome into a skip; computing features first would be wasted.
  if (audio.frameCount / audio.sampleRateHz > maxDurationS) return { outcome: decoded.outcome };
  try {
    const wave = frontend.prepare(audio.samples, audio.sampleRateHz);
    const size = frontend.size;
    // One entry holds the features, then each view's, in the order asked for.
    const key = cache ? featureCacheKey(cache, wave) : "";
    const hit = cache ? await cache.store.get(key, size * (1 + views.length)) : undefined;
    if (hit) {
      const out: ProcessedRecording = { outcome: decoded.outcome, wave, features: hit.slice(0, size), cached: true };
      if (views.length > 0) out.views = Object.fromEntries(views.map((v, i) => [v, hit.slice((i + 1) * size, (i + 2) * size)]));
      return out;
    }
    const features = new Float32Array(size);
    frontend.extract(wave, features);
    const viewed = views.length > 0 ? viewFeatures(frontend, wave, views) : undefined;
    if (cache) {
      const entry = new Float32Array(size * (1 + views.length));
      entry.set(features);
      views.forEach((v, i) => entry.set(viewed![v]!, (i + 1) * size));
      await cache.store.put(key, entry);
    }
    return { outcome: decoded.outcome, wave, features, ...(viewed ? { views: viewed } : {}) };
  } catch (e) {
    return { outcome: { ok: false, reason: `features could not be computed: ${(e as Error).message}` } };
  }
}

/** The features of `wave` (as prepared) re-heard through each view. */
export function viewFeatures(frontend: Frontend, wave: Float32Array, views: readonly FeatureView[]): FeatureViews {
  const out: FeatureViews = {};
  for (const view of views) out[view] = extractReheard(frontend, viewWave(wave, frontend.config.sampleRateHz, view));
  return out;
}
