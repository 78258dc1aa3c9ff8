/**
 * Probe data (not a benchmark): the default front end's features of every clip and of the clip
 * re-heard slower (×10/11), faster (×10/9) and through the telephone test channel, as float32
 * [variant][clip][dims] plus a JSON index, for the logistic-regression probes beside it.
 *   deno run -A bench/probes/dump-embeddings.ts ../shared/datasets/ravdess /tmp/rav-byol [byol-s]
 */
import { writeFileSync } from "node:fs";
import { normalizeLevel, openFrontend, resolveTrainingSpec, viewWave } from "@ser/core";
import { degrade } from "@ser/core/ml.ts";
import { loadCorpus } from "@ser/cli/io";

const [dir, outPrefix, kind] = Deno.args;
const spec = resolveTrainingSpec({ features: (kind ?? "byol-s") as "byol-s", normalize: "none", views: "none" });
const frontend = await openFrontend(spec.frontend);
const { items } = await loadCorpus([dir!], { dataset: "auto", labels: {}, frontend, workers: 2 });
const sr = frontend.config.sampleRateHz;
const variants: [string, (w: Float32Array) => Float32Array][] = [
  ["orig", (w) => w],
  ["slower", (w) => viewWave(w, sr, "slower")],
  ["faster", (w) => viewWave(w, sr, "faster")],
  ["tel", (w) => degrade(w, sr, "telephone")],
];
const dims = frontend.size;
const buf = new Float32Array(items.length * variants.length * dims);
let k = 0;
for (const [name, f] of variants) {
  for (const it of items) {
    const out = buf.subarray(k++ * dims, k * dims);
    if (name === "orig") out.set(it.features);
    else {
      const w = f(it.wave!); // loaded with the default keepWaves
      normalizeLevel(w, spec.frontend.levelDb ?? -20);
      frontend.extract(w, out);
    }
  }
}
writeFileSync(`${outPrefix}.f32`, new Uint8Array(buf.buffer));
writeFileSync(`${outPrefix}.json`, JSON.stringify({ dims, variants: variants.map((v) => v[0]), items: items.map((i) => ({ speaker: i.speaker, emotion: i.emotion, path: i.path })) }));
