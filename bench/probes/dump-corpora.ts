/**
 * Probe data (not a benchmark): the default front end's features of every clip of several
 * corpora, as float32 [clip][dims] plus a JSON index (speaker, emotion, corpus), for the
 * cross-corpus probes beside it (nap-probe.py).
 *   deno run -A bench/probes/dump-corpora.ts /tmp/corpora ../shared/datasets/{ravdess,emodb,nemo}
 */
import { writeFileSync } from "node:fs";
import { openFrontend, resolveTrainingSpec } from "@ser/core";
import { loadCorpus } from "@ser/cli/io";

const [outPrefix, ...dirs] = Deno.args;
const spec = resolveTrainingSpec({ normalize: "none", views: "none" });
const frontend = await openFrontend(spec.frontend);
const { items } = await loadCorpus(dirs, { dataset: "auto", labels: {}, frontend, workers: 2, keepWaves: false });
const dims = frontend.size;
const buf = new Float32Array(items.length * dims);
items.forEach((it, i) => buf.set(it.features, i * dims));
writeFileSync(`${outPrefix}.f32`, new Uint8Array(buf.buffer));
writeFileSync(`${outPrefix}.json`, JSON.stringify({ dims, items: items.map((i) => ({ speaker: i.speaker, emotion: i.emotion, dataset: i.dataset, path: i.path })) }));
console.log(`${items.length} clips, ${dims} values each: ${outPrefix}.f32`);
