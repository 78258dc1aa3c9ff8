/**
 * Principal components of a few thousand feature vectors, for the page's map of the voices: the
 * leading `k` directions by randomized subspace iteration on the centred data (Halko, Martinsson
 * & Tropp 2011: `k + oversample` random directions, a few power steps), then a Rayleigh-Ritz step
 * that orders and rotates them, never forming the d × d covariance (2·n·d·(k + oversample) per
 * step instead of n·d² once). Seeded.
 */
import { createRng } from "../rng.ts";

export interface Pca {
  /** [n × k] row-major coordinates of each row on the components. */
  points: Float32Array;
  /** [k × d] unit components, largest variance first. */
  components: Float64Array;
  /** Share of the total variance each component explains. */
  explained: number[];
}

/** Symmetric eigen-decomposition by Jacobi rotations (k is tiny: 2 or 3): eigenvalues descending with their vectors as columns of `vectors` [k × k]. */
function symmetricEigen(a: Float64Array, k: number): { values: number[]; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += m[p * k + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * k + q]! - m[p * k + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let r = 0; r < k; r++) {
          const mrp = m[r * k + p]!, mrq = m[r * k + q]!;
          m[r * k + p] = c * mrp - s * mrq;
          m[r * k + q] = s * mrp + c * mrq;
        }
        for (let r = 0; r < k; r++) {
          const mpr = m[p * k + r]!, mqr = m[q * k + r]!;
          m[p * k + r] = c * mpr - s * mqr;
          m[q * k + r] = s * mpr + c * mqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p]!, vrq = v[r * k + q]!;
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((i, j) => m[j * k + j]! - m[i * k + i]!);
  const vectors = new Float64Array(k * k);
  order.forEach((src, dst) => {
    for (let r = 0; r < k; r++) vectors[r * k + dst] = v[r * k + src]!;
  });
  return { values: order.map((i) => m[i * k + i]!), vectors };
}

/** Gram-Schmidt on the k columns of w ([d × k], row-major), in place. */
function orthonormalise(w: Float64Array, d: number, k: number): void {
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += w[j * k + c]! * w[j * k + p]!;
      for (let j = 0; j < d; j++) w[j * k + c] = w[j * k + c]! - dot * w[j * k + p]!;
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += w[j * k + c]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < d; j++) w[j * k + c] = w[j * k + c]! / norm;
  }
}

/** PCA of `x` ([n × d], row-major) onto `k` components. */
export function pca(x: Float32Array, n: number, d: number, want = 2, o: { iterations?: number; seed?: number; oversample?: number } = {}): Pca {
  if (x.length !== n * d) throw new RangeError(`pca: ${x.length} values are not ${n} rows of ${d}.`);
  // Centred once, in float64.
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[i * d + j]! / n;
  const xc = new Float64Array(n * d);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j]! - mean[j]!;
      xc[i * d + j] = v;
      total += v * v;
    }
  }
  const rng = createRng(o.seed ?? 0);
  // The subspace carries extra directions: the top `want` converge at the rate of the gap to the (k+1)-th.
  const k = Math.min(d, want + (o.oversample ?? 0));
  // V: [d × k], P = Xc V: [n × k].
  let v = Float64Array.from({ length: d * k }, () => rng.normal());
  orthonormalise(v, d, k);
  const p = new Float64Array(n * k);
  const project = () => {
    p.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * d;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += xc[row + j]! * v[j * k + c]!;
        p[i * k + c] = s;
      }
    }
  };
  const iterations = o.iterations ?? 200;
  // Two [d × k] buffers swapped each step: nothing allocated in the loop.
  let w = new Float64Array(d * k);
  for (let it = 0; it < iterations; it++) {
    project();
    // W = Xcᵀ P
    w.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * d;
      for (let c = 0; c < k; c++) {
        const pc = p[i * k + c]!;
        for (let j = 0; j < d; j++) w[j * k + c] = w[j * k + c]! + xc[row + j]! * pc;
      }
    }
    orthonormalise(w, d, k);
    // Converged when the subspace no longer turns: |Vᵀ W| has ones on its diagonal.
    let change = 0;
    for (let c = 0; c < k; c++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += v[j * k + c]! * w[j * k + c]!;
      change = Math.max(change, 1 - Math.abs(dot));
    }
    [v, w] = [w, v];
    if (change < 1e-12) break;
  }
  // Rayleigh-Ritz: the k × k matrix PᵀP, its eigenvectors rotate V into ordered components.
  project();
  const s = new Float64Array(k * k);
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) s[a * k + b] = s[a * k + b]! + p[i * k + a]! * p[i * k + b]!;
  const eig = symmetricEigen(s, k);
  const components = new Float64Array(want * d);
  for (let c = 0; c < want; c++) {
    for (let j = 0; j < d; j++) {
      let sum = 0;
      for (let b = 0; b < k; b++) sum += v[j * k + b]! * eig.vectors[b * k + c]!;
      components[c * d + j] = sum;
    }
    // A sign fixed so the largest loading is positive (repeatable).
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(components[c * d + j]!) > Math.abs(big)) big = components[c * d + j]!;
    if (big < 0) for (let j = 0; j < d; j++) components[c * d + j] = -components[c * d + j]!;
  }
  const points = new Float32Array(n * want);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < want; c++) {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += xc[i * d + j]! * components[c * d + j]!;
      points[i * want + c] = sum;
    }
  }
  return { points, components, explained: eig.values.slice(0, want).map((val) => (total > 0 ? val / total : 0)) };
}
