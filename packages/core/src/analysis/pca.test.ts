import assert from "node:assert/strict";
import { join } from "node:path";
import { FIXTURES } from "../../test/helpers.ts";
import { pca } from "./pca.ts";

/** scikit-learn's PCA (make_pca_reference.py): components up to sign, explained variance, coordinates. */
const ref = JSON.parse(Deno.readTextFileSync(join(FIXTURES, "pca-reference.json"))) as { n: number; d: number; x: number[]; components: number[][]; explained: number[]; points: number[][] };

Deno.test("PCA by power iteration equals scikit-learn's (full SVD) on a seeded matrix", () => {
  const { points, components, explained } = pca(Float32Array.from(ref.x), ref.n, ref.d, 2, { seed: 1 });
  for (let c = 0; c < 2; c++) {
    const mine = components.subarray(c * ref.d, (c + 1) * ref.d);
    const sign = Math.sign([...mine].reduce((s, v, j) => s + v * ref.components[c]![j]!, 0));
    const err = Math.max(...ref.components[c]!.map((v, j) => Math.abs(sign * mine[j]! - v)));
    assert.ok(err < 1e-5, `component ${c}: max abs error ${err}`);
    assert.ok(Math.abs(explained[c]! - ref.explained[c]!) < 1e-6, `explained ${c}: ${explained[c]} vs ${ref.explained[c]}`);
    const perr = Math.max(...ref.points.map((p, i) => Math.abs(sign * points[i * 2 + c]! - p[c]!)));
    assert.ok(perr < 1e-3, `coordinates ${c}: max abs error ${perr}`);
  }
  // Seeded and repeatable: the same call gives the same points.
  assert.deepEqual(pca(Float32Array.from(ref.x), ref.n, ref.d, 2, { seed: 1 }).points, points);
});

Deno.test("PCA with oversampling and few power steps: the same leading axes on a matrix with a spectral gap", () => {
  const exact = pca(Float32Array.from(ref.x), ref.n, ref.d, 2, { seed: 1 });
  const quick = pca(Float32Array.from(ref.x), ref.n, ref.d, 2, { seed: 2, iterations: 6, oversample: 8 });
  for (let c = 0; c < 2; c++) {
    let dot = 0;
    for (let j = 0; j < ref.d; j++) dot += exact.components[c * ref.d + j]! * quick.components[c * ref.d + j]!;
    assert.ok(Math.abs(dot) > 0.9999, `component ${c}: |cos| ${Math.abs(dot)}`);
  }
});
