import assert from "node:assert/strict";
import { join } from "node:path";
import { RAVDESS } from "../../test/helpers.ts";
import { createFrontend, DEFAULT_FRONTEND } from "../features/frontend.ts";
import { bindFeatureCache, type FeatureCacheStore } from "./feature-cache.ts";
import { loadCorpus } from "./load-corpus.ts";

const files = [...Deno.readDirSync(join(RAVDESS, "Actor_03"))].map((e) => e.name).sort().slice(0, 6);
const read = (emit: (e: { kind: "file"; path: string; bytes: Uint8Array }) => Promise<void>) =>
  (async () => {
    for (const f of files) await emit({ kind: "file", path: `Actor_03/${f}`, bytes: Deno.readFileSync(join(RAVDESS, "Actor_03", f)) });
  })();

function memoryStore() {
  const m = new Map<string, Float32Array>();
  let gets = 0, puts = 0;
  const store: FeatureCacheStore = {
    get: (k, floats) => (gets++, Promise.resolve(m.get(k)?.length === floats ? m.get(k)!.slice() : undefined)),
    put: (k, v) => (puts++, m.set(k, v.slice()), Promise.resolve()),
  };
  return { m, store, counts: () => ({ gets, puts }) };
}

Deno.test("feature cache: a second load reads every item's features and views back bit for bit; another front end or a damaged entry is a miss", async () => {
  const frontend = createFrontend({ ...DEFAULT_FRONTEND, kind: "stats", prosody: false, levelDb: -20 });
  const views = ["narrowband"] as const;
  const mem = memoryStore();
  const first = await loadCorpus(read, { frontend, views, cache: mem.store });
  assert.equal(first.fromCache, 0);
  assert.equal(mem.m.size, files.length);
  const second = await loadCorpus(read, { frontend, views, cache: mem.store });
  assert.equal(second.fromCache, files.length);
  second.items.forEach((it, i) => {
    assert.deepEqual(it.features, first.items[i]!.features);
    assert.deepEqual(it.views!.narrowband, first.items[i]!.views!.narrowband);
    assert.deepEqual(it.wave, first.items[i]!.wave);
  });
  // Everything the features depend on is in the namespace: another MFCC count, other views, another level.
  const other = createFrontend({ ...DEFAULT_FRONTEND, kind: "stats", prosody: false, levelDb: -20, nMfcc: 20 });
  assert.equal((await loadCorpus(read, { frontend: other, views, cache: mem.store })).fromCache, 0);
  assert.equal((await loadCorpus(read, { frontend, cache: mem.store })).fromCache, 0, "no views: another entry");
  const ns = new Set([frontend, other].map((f) => bindFeatureCache(mem.store, f.config, views).namespace));
  assert.equal(ns.size, 2);
  // A damaged entry (wrong length) is recomputed, not read.
  const [key] = [...mem.m.keys()].filter((k) => k.startsWith(bindFeatureCache(mem.store, frontend.config, views).namespace));
  mem.m.set(key!, new Float32Array(3));
  const third = await loadCorpus(read, { frontend, views, cache: mem.store });
  assert.equal(third.fromCache, files.length - 1);
  third.items.forEach((it, i) => assert.deepEqual(it.features, first.items[i]!.features));
});
