import assert from "node:assert/strict";
import { createRng } from "../rng.ts";
import { enrolledStats, speakerPrior } from "./speaker-norm.ts";
import { rowMoments } from "./normalize.ts";

const rng = createRng(3);
const clip = (dims: number, offset: number) => Float32Array.from({ length: dims }, (_, d) => offset + d + rng.normal());
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `${i}: ${a[i]} vs ${b[i]}`);
};

Deno.test("speaker statistics shrink toward the prior by n / (n + kappa): the prior alone at n = 0, the speaker's own as n grows", () => {
  const dims = 4;
  const prior = { mean: Float64Array.of(1, 2, 3, 4), variance: Float64Array.of(4, 4, 9, 1) };
  const none = enrolledStats([], dims, prior, 8);
  close(none.mean, prior.mean, 1e-12);
  close(none.scale, [2, 2, 3, 1], 1e-12);
  const many = Array.from({ length: 4000 }, () => clip(dims, 1));
  const own = rowMoments(many, dims);
  const big = enrolledStats(many, dims, prior, 8);
  // Weight 4000 / 4008: the speaker's own moments but for 0.2 % of the prior's.
  close(big.mean, own.mean, 0.01);
  close(big.scale, Array.from(own.variance, Math.sqrt), 0.01);
});

Deno.test("the shrunk moments are those of kappa prior pseudo-clips mixed with the n own clips (direct two-component mixture)", () => {
  const dims = 3;
  const prior = { mean: Float64Array.of(0, 5, -2), variance: Float64Array.of(1, 2, 0.5) };
  const clips = [clip(dims, 1), clip(dims, 1), clip(dims, 1)];
  const kappa = 6;
  const s = enrolledStats(clips, dims, prior, kappa);
  for (let d = 0; d < dims; d++) {
    const xs = clips.map((c) => c[d]!);
    const om = xs.reduce((a, b) => a + b, 0) / xs.length;
    const ov = xs.reduce((a, b) => a + (b - om) ** 2, 0) / xs.length;
    const w = 3 / 9;
    const m = w * om + (1 - w) * prior.mean[d]!;
    // E[x²] of the mixture minus its mean squared.
    const ex2 = w * (ov + om * om) + (1 - w) * (prior.variance[d]! + prior.mean[d]! ** 2);
    assert.ok(Math.abs(s.mean[d]! - m) < 1e-9);
    assert.ok(Math.abs(s.scale[d]! - Math.sqrt(ex2 - m * m)) < 1e-9);
  }
});

Deno.test("the prior is one vote per speaker: the mean of speakers' means and of their variances", () => {
  const a = [Float32Array.of(0, 0), Float32Array.of(2, 2)];
  const b = [Float32Array.of(10, 10), Float32Array.of(10, 10), Float32Array.of(10, 10), Float32Array.of(10, 10)];
  const p = speakerPrior([a, b], 2);
  close(p.mean, [5.5, 5.5], 1e-12);
  close(p.variance, [0.5, 0.5], 1e-12);
});
