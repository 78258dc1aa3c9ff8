/**
 * Probe data (not a benchmark): BYOL-S's last conv block and final layer per clip, each pooled
 * to mean | max | std over time, as float32 [clip][layer (conv, final)][3 × 512] plus a JSON index.
 *   deno run -A bench/probes/dump-layers.ts ../shared/datasets/ravdess /tmp/rav-layers
 */
import { writeFileSync } from "node:fs";
import { openFrontend, resolveTrainingSpec } from "@ser/core";
import { createByolS } from "../../packages/core/src/features/encoders/byol-s.ts";
import { loadCorpus } from "@ser/cli/io";

const [dir, outPrefix] = Deno.args;
const frontend = await openFrontend(resolveTrainingSpec({ features: "byol-s", normalize: "none", views: "none" }).frontend);
const { items } = await loadCorpus([dir!], { dataset: "auto", labels: {}, frontend, workers: 2 });
const b = createByolS();
const D = 512;
const buf = new Float32Array(items.length * 2 * 3 * D);
let frames = new Float32Array(0);
items.forEach((it, i) => {
  const n = b.frameCount(it.wave!.length);
  if (frames.length < n * D) frames = new Float32Array(n * D);
  [(w: Float32Array, o: Float32Array) => b.convFrames(w, o), (w: Float32Array, o: Float32Array) => b.frames(w, o)].forEach((read, layer) => {
    const c = read(it.wave!, frames);
    const o = buf.subarray((i * 2 + layer) * 3 * D, (i * 2 + layer + 1) * 3 * D);
    for (let d = 0; d < D; d++) {
      let s = 0, ss = 0, mx = -Infinity;
      for (let t = 0; t < c; t++) {
        const v = frames[t * D + d]!;
        s += v;
        ss += v * v;
        if (v > mx) mx = v;
      }
      o[d] = s / c;
      o[D + d] = mx;
      o[2 * D + d] = Math.sqrt(Math.max(0, ss / c - (s / c) ** 2));
    }
  });
});
writeFileSync(`${outPrefix}.f32`, new Uint8Array(buf.buffer));
writeFileSync(`${outPrefix}.json`, JSON.stringify({ layers: ["conv", "final"], items: items.map((i) => ({ speaker: i.speaker, emotion: i.emotion })) }));
