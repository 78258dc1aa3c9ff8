import { SerError } from "../errors.ts";

/**
 * Calibration of class probabilities: reliability bins, expected calibration error, NLL and
 * Brier score, temperature scaling and predictive entropy. Definitions follow Guo et al., "On
 * Calibration of Modern Neural Networks" (ICML 2017); test/fixtures/make_calibration_reference.py
 * computes the same quantities with numpy/scipy.
 */

export interface ReliabilityBin {
  /** Confidences in (lower, upper]. */
  lower: number;
  upper: number;
  count: number;
  /** Mean confidence (max probability) of the bin's items; 0 when empty. */
  confidence: number;
  /** Fraction of the bin's items predicted correctly; 0 when empty. */
  accuracy: number;
}

export interface CalibrationSummary {
  /** Expected calibration error: sum over bins of |accuracy - confidence| weighted by bin size. */
  ece: number;
  /** Maximum calibration error over non-empty bins. */
  mce: number;
  /** Mean negative log-likelihood of the true class (nats). */
  nll: number;
  /** Mean over items of the squared distance between the probabilities and the one-hot truth. */
  brier: number;
  bins: ReliabilityBin[];
}

const P_FLOOR = 1e-12;

function checkShape(probs: ArrayLike<number>, y: ArrayLike<number>, k: number): void {
  if (!(k >= 2) || probs.length !== y.length * k) {
    throw new SerError("invalid-input", `calibration needs ${y.length} rows of ${k} probabilities, got ${probs.length} values.`);
  }
}

/** Reliability diagram data and scores for `probs` ([n × k], rows sum to 1) against labels `y`. */
export function calibrationSummary(probs: ArrayLike<number>, y: ArrayLike<number>, k: number, nBins = 15): CalibrationSummary {
  checkShape(probs, y, k);
  const n = y.length;
  const count = new Float64Array(nBins), conf = new Float64Array(nBins), hits = new Float64Array(nBins);
  let nll = 0, brier = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
    const p = probs[i * k + best]!;
    // Bin m holds (m/M, (m+1)/M]: ceil(p M) - 1, with p = 0 going to the first bin.
    const m = Math.min(nBins - 1, Math.max(0, Math.ceil(p * nBins) - 1));
    count[m]!++;
    conf[m] = conf[m]! + p;
    if (best === y[i]) hits[m]!++;
    nll -= Math.log(Math.max(probs[i * k + y[i]!]!, P_FLOOR));
    for (let c = 0; c < k; c++) {
      const d = probs[i * k + c]! - (c === y[i] ? 1 : 0);
      brier += d * d;
    }
  }
  let ece = 0, mce = 0;
  const bins: ReliabilityBin[] = [];
  for (let m = 0; m < nBins; m++) {
    const c = count[m]!;
    const confidence = c > 0 ? conf[m]! / c : 0;
    const accuracy = c > 0 ? hits[m]! / c : 0;
    if (c > 0) {
      ece += (Math.abs(accuracy - confidence) * c) / n;
      mce = Math.max(mce, Math.abs(accuracy - confidence));
    }
    bins.push({ lower: m / nBins, upper: (m + 1) / nBins, count: c, confidence, accuracy });
  }
  return { ece, mce, nll: n > 0 ? nll / n : 0, brier: n > 0 ? brier / n : 0, bins };
}

/** softmax(log p / T) row by row into a new array. T > 1 softens, T < 1 sharpens. */
export function applyTemperature(probs: ArrayLike<number>, k: number, temperature: number): Float32Array {
  const out = new Float32Array(probs.length);
  const n = probs.length / k;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, Math.log(Math.max(probs[i * k + c]!, P_FLOOR)) / temperature);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(Math.log(Math.max(probs[i * k + c]!, P_FLOOR)) / temperature - max);
    for (let c = 0; c < k; c++) out[i * k + c] = Math.exp(Math.log(Math.max(probs[i * k + c]!, P_FLOOR)) / temperature - max) / sum;
  }
  return out;
}

/**
 * Temperature scaling (Guo et al. 2017): the T minimising the NLL of softmax(log p / T) on
 * held-out data. Scaling log-probabilities equals scaling logits (each row's log-sum-exp is a
 * constant shift), so a model that outputs softmax probabilities can be calibrated after the
 * fact. The NLL is convex in 1/T, hence unimodal in log T: golden-section search on
 * log T in [log 0.05, log 20].
 */
export function fitTemperature(probs: ArrayLike<number>, y: ArrayLike<number>, k: number): number {
  checkShape(probs, y, k);
  const n = y.length;
  if (n === 0) throw new SerError("invalid-input", "temperature scaling needs at least one held-out item.");
  const logp = Float64Array.from(probs, (p) => Math.log(Math.max(p, P_FLOOR)));
  const nll = (logT: number): number => {
    const beta = Math.exp(-logT);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, beta * logp[i * k + c]!);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(beta * logp[i * k + c]! - max);
      total -= beta * logp[i * k + y[i]!]! - max - Math.log(sum);
    }
    return total / n;
  };
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(0.05), b = Math.log(20);
  let c = b - phi * (b - a), d = a + phi * (b - a);
  let fc = nll(c), fd = nll(d);
  while (b - a > 1e-9) {
    if (fc < fd) {
      b = d, d = c, fd = fc;
      c = b - phi * (b - a);
      fc = nll(c);
    } else {
      a = c, c = d, fc = fd;
      d = a + phi * (b - a);
      fd = nll(d);
    }
  }
  return Math.exp((a + b) / 2);
}

/** Shannon entropy of each row (nats): 0 for a one-hot row, log k for a uniform one. */
export function rowEntropy(probs: ArrayLike<number>, k: number): Float64Array {
  const n = probs.length / k;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let c = 0; c < k; c++) {
      const p = probs[i * k + c]!;
      if (p > 0) h -= p * Math.log(p);
    }
    out[i] = h;
  }
  return out;
}

/** Temperature scaling as stored in a model bundle (ser.json "calibration"). */
export interface BundleCalibration {
  temperature: number;
  /** Who it was fitted on ("validation speakers ravdess-03, ravdess-08 (96 clips)"). */
  fittedOn: string;
  /** On the test set: expected calibration error etc. before and after scaling (absent when no speaker was held out for a test). */
  test?: { before: CalibrationScores; after: CalibrationScores };
}

export interface CalibrationScores {
  ece: number;
  mce: number;
  nll: number;
  brier: number;
  bins?: ReliabilityBin[];
}
