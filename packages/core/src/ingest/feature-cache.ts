/**
 * A feature cache: repeated runs on the same files and front end (train, cv, tune, evaluate)
 * reuse the features (and training views) computed before, instead of running an encoder again.
 * Keyed by the file's content (never its name or date, so a changed file is a miss) within a
 * namespace that hashes everything the features depend on: the front-end config, the views, the
 * encoders' weights and FEATURE_CACHE_VERSION (bumped whenever feature code changes what it
 * computes). Entries are only read back when their length is exactly what is expected; anything
 * else is a miss. Decoding, resampling and trimming still run (cheap, and the waveform is kept
 * for augmentation and channel tests), so a hit gives the same item bit for bit.
 * Core holds no I/O: a runtime supplies the store (the CLI: files under a cache folder).
 */
import type { FeatureView } from "../augment/feature-views.ts";
import { contentHash } from "../data/hash.ts";
import { ENCODERS, type FrontendConfig, frontendEncoders } from "../features/frontend.ts";

/** Bump when a change to decoding, resampling, trimming or any front end changes its output. */
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
  const encoders = frontendEncoders(config.kind).map((e) => [e, ENCODERS[e].weightsSha256]);
  const text = JSON.stringify({ version: FEATURE_CACHE_VERSION, config, views, encoders });
  return { store, namespace: contentHash(new TextEncoder().encode(text)) };
}

/** The key of one file's entry: its content hash and length within the namespace. */
export function featureCacheKey(cache: FeatureCache, bytes: Uint8Array): string {
  return `${cache.namespace}/${contentHash(bytes)}-${bytes.length}`;
}
