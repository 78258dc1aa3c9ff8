/**
 * The page's map of the voices at its stated scale: core's voiceMap (per-speaker normalisation,
 * standardisation, two principal components) on 5,000 feature vectors of 512 values, 40
 * speakers, timed three times. The target: under 2 s once features are ready.
 *   pnpm bench:voice-map
 */
import { createRng, voiceMap } from "@ser/core";

const n = 5000, d = 512;
const rng = createRng(1);
const items = Array.from({ length: n }, (_, i) => ({ speaker: `s${i % 40}`, features: Float32Array.from({ length: d }, () => rng.normal()) }));
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  voiceMap(items, d, "speaker");
  console.log(`voiceMap ${n} x ${d}: ${(performance.now() - t0).toFixed(0)} ms`);
}
