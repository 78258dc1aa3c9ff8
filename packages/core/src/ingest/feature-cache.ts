/**
 * A feature cache: repeated runs on the same files and front end (train, cv, tune, evaluate)
 * reuse the features (and training views) computed before, instead of running an encoder again.
 * Keyed by the prepared waveform the front end hears (never a name or date: a changed file, or a
 * change in decoding, resampling or trimming, is a miss) within a namespace that hashes the
 * front-end config, the views, the encoders' weights and code versions, and FEATURE_CACHE_VERSION
 * (bumped whenever other feature code changes what it computes). Entries are only read back when their length is exactly what is expected; anything
 * else is a miss. Decoding, resampling and trimming still run (cheap, and the waveform is kept
 * for augmentation and channel tests), so a hit gives the same item bit for bit.
 * Core holds no I/O: a runtime supplies the store (the CLI: files under a cache folder).
 */
import type { FeatureView } from "../augment/feature-views.ts";
import { contentHash } from "../data/hash.ts";
import { ENCODERS, type FrontendConfig, frontendEncoders } from "../features/frontend.ts";

/** Bump when a change to the front ends' own feature code changes its output (an encoder's code: its codeVersion in ENCODERS). */
export const FEATURE_CACHE_VERSION = 1;

/** Where cached values live (the runtime's): best effort, a failed put is only a future miss. */
export interface FeatureCacheStore {
  /** The `floats` values stored under `key`, or undefined (missing, or of another length). */
  get(key: string, floats: number): Promise<Float32Array | undefined>;
  put(key: string, values: Float32Array): Promise<void>;
}

/** A store bound to one front end and set of views: what processRecording consults. */
export interface FeatureCache {
  store: FeatureCacheStore;
  /** Hash of everything the features depend on except the file (see above). */
  namespace: string;
}

export function bindFeatureCache(store: FeatureCacheStore, config: FrontendConfig, views: readonly FeatureView[]): FeatureCache {
  return { store, namespace: featureNamespace(config, views) };
}

/**
 * The hash of everything a recording's features depend on except the recording: the front-end
 * config, the views, the encoders' weights and code versions, and FEATURE_CACHE_VERSION. Feature
 * shards carry it too (feature-shards.ts), so shards computed by other code never mix.
 */
export function featureNamespace(config: FrontendConfig, views: readonly FeatureView[]): string {
  const encoders = frontendEncoders(config.kind).map((e) => [e, ENCODERS[e].weightsSha256, ENCODERS[e].codeVersion]);
  const text = canonical({ version: FEATURE_CACHE_VERSION, config, views, encoders });
  return contentHash(new TextEncoder().encode(text));
}

/**
 * The key of one recording's entry: the hash of its prepared waveform (decoded, resampled,
 * trimmed, level-normalised: what the front end hears), so a change to any of those steps, or
 * to a decoder, is a miss without a version bump.
 */
export function featureCacheKey(cache: FeatureCache, wave: Float32Array): string {
  return `${cache.namespace}/${contentHash(new Uint8Array(wave.buffer, wave.byteOffset, wave.byteLength))}-${wave.length}`;
}

/** JSON with keys sorted at every level, so equal configs read back from anywhere hash alike. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}
