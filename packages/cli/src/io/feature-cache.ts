/**
 * The CLI's feature cache store (core's feature-cache.ts decides what is cached and when it is
 * valid): one file per recording, `<folder>/<namespace>/<key>.f32`, raw little-endian float32,
 * written to a temporary name and renamed so a reader never sees half a file. Safe to delete at
 * any time. Errors never fail a run: an unreadable entry is a miss, an unwritable one is skipped.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { FeatureCacheStore } from "@ser/core";

/** $XDG_CACHE_HOME/ser/features, else ~/.cache/ser/features. */
export function defaultCacheDir(): string {
  const base = Deno.env.get("XDG_CACHE_HOME") || join(homedir(), ".cache");
  return join(base, "ser", "features");
}

export function openFileCache(folder: string): FeatureCacheStore {
  let n = 0;
  const path = (key: string) => join(folder, `${key}.f32`);
  return {
    get(key, floats) {
      try {
        const b = readFileSync(path(key));
        if (b.byteLength !== floats * 4) return Promise.resolve(undefined);
        return Promise.resolve(new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
      } catch {
        return Promise.resolve(undefined);
      }
    },
    put(key, values) {
      const file = path(key);
      try {
        mkdirSync(dirname(file), { recursive: true });
        const tmp = `${file}.${Deno.pid}.${n++}.tmp`;
        writeFileSync(tmp, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
        renameSync(tmp, file);
      } catch {
        // A cache that cannot be written costs time later, never correctness.
      }
      return Promise.resolve();
    },
  };
}
