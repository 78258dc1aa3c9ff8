/**
 * Probe data (not a benchmark): a front end's features of every clip of one or more corpora and,
 * with --variants, of each clip re-heard slower (×10/11), faster (×10/9) and through the
 * telephone test channel, as float32 [variant][clip][dims] plus a JSON index (dims, variants,
 * and each clip's speaker, emotion, corpus and path), for the Python probes beside it.
 *   deno run -A bench/probes/dump-embeddings.ts --out /tmp/rav-byol --variants orig,slower,faster,tel ../shared/datasets/ravdess
 *   deno run -A bench/probes/dump-embeddings.ts --out /tmp/corpora ../shared/datasets/{ravdess,emodb,nemo}
 * --features: the front end (default byol-s); --variants: default orig (the clips as they are).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { normalizeLevel, openFrontend, resolveTrainingSpec, viewWave } from "@ser/core";
import { degrade } from "@ser/core/ml.ts";
import { loadCorpus } from "@ser/cli/io";

const { values, positionals: dirs } = parseArgs({
  args: Deno.args.filter((a) => a !== "--"),
  options: { out: { type: "string" }, features: { type: "string", default: "byol-s" }, variants: { type: "string", default: "orig" } },
  allowPositionals: true,
});
if (!values.out || dirs.length === 0) throw new Error("usage: dump-embeddings.ts --out PREFIX [--features KIND] [--variants orig,slower,faster,tel] CORPUS…");
const spec = resolveTrainingSpec({ features: values.features as "byol-s", normalize: "none", views: "none" });
const frontend = await openFrontend(spec.frontend);
const sr = frontend.config.sampleRateHz;
const known: Record<string, ((w: Float32Array) => Float32Array) | undefined> = {
  orig: undefined, // the features the corpus loader computed
  slower: (w) => viewWave(w, sr, "slower"),
  faster: (w) => viewWave(w, sr, "faster"),
  tel: (w) => degrade(w, sr, "telephone"),
};
const variants = values.variants.split(",");
for (const v of variants) if (!(v in known)) throw new Error(`--variants: '${v}' is not one of ${Object.keys(known).join(", ")}.`);
const keepWaves = variants.some((v) => known[v]);
const { items } = await loadCorpus(dirs, { dataset: "auto", labels: {}, frontend, workers: 2, keepWaves });
const dims = frontend.size;
const buf = new Float32Array(items.length * variants.length * dims);
let k = 0;
for (const name of variants) {
  const f = known[name];
  for (const it of items) {
    const out = buf.subarray(k++ * dims, k * dims);
    if (!f) out.set(it.features);
    else {
      const w = f(it.wave!);
      normalizeLevel(w, spec.frontend.levelDb ?? -20);
      frontend.extract(w, out);
    }
  }
}
writeFileSync(`${values.out}.f32`, new Uint8Array(buf.buffer));
writeFileSync(`${values.out}.json`, JSON.stringify({ dims, variants, items: items.map((i) => ({ speaker: i.speaker, emotion: i.emotion, dataset: i.dataset, path: i.path })) }));
console.log(`${items.length} clips × ${variants.length} variant(s), ${dims} values each: ${values.out}.f32`);
