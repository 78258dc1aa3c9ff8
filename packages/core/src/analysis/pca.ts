/**
 * Principal components of a few thousand feature vectors, for the page's map of the voices:
 * the leading `k` directions by power iteration with deflation on the centred data, never
 * forming the d × d covariance (n·d per step instead of d²·n once), seeded.
 */
import { createRng } from "../rng.ts";

export interface Pca {
  /** [n × k] row-major coordinates of each row on the components. */
  points: Float32Array;
  /** [k × d] unit components. */
  components: Float64Array;
  /** Share of the total variance each component explains. */
  explained: number[];
}

/** PCA of `x` ([n × d], row-major) onto `k` components. */
export function pca(x: Float32Array, n: number, d: number, k = 2, o: { iterations?: number; seed?: number } = {}): Pca {
  if (x.length !== n * d) throw new RangeError(`pca: ${x.length} values are not ${n} rows of ${d}.`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[i * d + j]! / n;
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) total += (x[i * d + j]! - mean[j]!) ** 2;
  const rng = createRng(o.seed ?? 0);
  const components = new Float64Array(k * d);
  const variances: number[] = [];
  const proj = new Float64Array(n);
  const iterations = o.iterations ?? 200;
  for (let c = 0; c < k; c++) {
    let v = Float64Array.from({ length: d }, () => rng.normal());
    const orthonormalise = (w: Float64Array) => {
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += w[j]! * components[p * d + j]!;
        for (let j = 0; j < d; j++) w[j] = w[j]! - dot * components[p * d + j]!;
      }
      const norm = Math.hypot(...w) || 1;
      for (let j = 0; j < d; j++) w[j] = w[j]! / norm;
    };
    orthonormalise(v);
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      // w = Xcᵀ (Xc v) / n
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (x[i * d + j]! - mean[j]!) * v[j]!;
        proj[i] = s;
      }
      const w = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const p = proj[i]!;
        if (p === 0) continue;
        for (let j = 0; j < d; j++) w[j] = w[j]! + (x[i * d + j]! - mean[j]!) * p;
      }
      orthonormalise(w);
      let change = 0;
      for (let j = 0; j < d; j++) change = Math.max(change, Math.abs(w[j]! - v[j]!));
      v = w;
      if (change < 1e-9) break;
    }
    // The component's variance, and a sign fixed so the largest loading is positive (repeatable).
    let s2 = 0, big = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[i * d + j]! - mean[j]!) * v[j]!;
      s2 += s * s;
    }
    for (let j = 0; j < d; j++) if (Math.abs(v[j]!) > Math.abs(big)) big = v[j]!;
    if (big < 0) for (let j = 0; j < d; j++) v[j] = -v[j]!;
    lambda = s2;
    components.set(v, c * d);
    variances.push(lambda);
  }
  const points = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[i * d + j]! - mean[j]!) * components[c * d + j]!;
      points[i * k + c] = s;
    }
  }
  return { points, components, explained: variances.map((v) => (total > 0 ? v / total : 0)) };
}
