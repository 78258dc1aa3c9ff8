/**
 * Probe data (not a benchmark): every clip as the default front end hears it (16 kHz, trimmed,
 * level -20 dB) as one float32 stream plus a JSON index (offsets, speaker, emotion), for
 * depth-probe.py, which runs BYOL-S's PyTorch reference layer by layer on it.
 *   deno run -A bench/probes/dump-waves.ts ../shared/datasets/ravdess /tmp/rav-waves
 */
import { writeFileSync } from "node:fs";
import { openFrontend, resolveTrainingSpec } from "@ser/core";
import { loadCorpus } from "@ser/cli/io";
const [dir, outPrefix] = Deno.args;
const frontend = await openFrontend(resolveTrainingSpec({ features: "byol-s", normalize: "none", views: "none" }).frontend);
const { items } = await loadCorpus([dir!], { dataset: "auto", labels: {}, frontend, workers: 2 });
const total = items.reduce((n, it) => n + it.wave!.length, 0);
const buf = new Float32Array(total); let o = 0; const offs: number[] = [];
for (const it of items) { buf.set(it.wave!, o); offs.push(o); o += it.wave!.length; }
offs.push(o);
writeFileSync(`${outPrefix}.f32`, new Uint8Array(buf.buffer));
writeFileSync(`${outPrefix}.json`, JSON.stringify({ offsets: offs, items: items.map((i) => ({ speaker: i.speaker, emotion: i.emotion })) }));
