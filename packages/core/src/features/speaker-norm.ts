/**
 * Per-speaker normalisation that works from zero clips up. A speaker's feature statistics are
 * estimated from however many of their (unlabelled) clips are at hand and shrunk toward the
 * training speakers' average in proportion to how few there are: with n clips the own
 * statistics weigh n / (n + κ), the prior κ / (n + κ) — a conjugate-style estimate with κ
 * "pseudo-clips" of prior (no hard threshold, so 3 clips never do worse than the prior alone
 * by jumping to a noisy estimate). The variance is that of the two-component mixture, so a
 * single clip (no spread of its own) keeps most of the prior's spread.
 */
import { type NormStats, rowMoments, rowStats } from "./normalize.ts";

/** The training speakers' average statistics: one vote per speaker. */
export interface SpeakerPrior {
  mean: Float64Array;
  variance: Float64Array;
}

/**
 * κ, in clips: how many of a speaker's clips count as much as the prior. Fixed, not tuned: an
 * own estimate from 8 clips (about two per emotion in the corpora here) weighs half.
 */
export const ENROLMENT_KAPPA = 8;

/** The prior from speakers' clips (grouped by speaker): the mean of their means and of their variances. */
export function speakerPrior(bySpeaker: Iterable<readonly Float32Array[]>, dims: number): SpeakerPrior {
  const mean = new Float64Array(dims);
  const variance = new Float64Array(dims);
  let speakers = 0;
  for (const clips of bySpeaker) {
    if (clips.length === 0) continue;
    const m = rowMoments(clips, dims);
    for (let d = 0; d < dims; d++) {
      mean[d] = mean[d]! + m.mean[d]!;
      variance[d] = variance[d]! + m.variance[d]!;
    }
    speakers++;
  }
  for (let d = 0; d < dims; d++) {
    mean[d] = mean[d]! / Math.max(1, speakers);
    variance[d] = variance[d]! / Math.max(1, speakers);
  }
  return { mean, variance };
}

/**
 * Statistics for a speaker of whom `clips` are known (0 or more): the own moments shrunk toward
 * the prior with weight n / (n + κ). Scales below 1e-8 become 1 (a constant dimension).
 */
export function enrolledStats(clips: readonly Float32Array[], dims: number, prior: SpeakerPrior, kappa = ENROLMENT_KAPPA, out?: NormStats): NormStats {
  return shrunkStats(clips.length > 0 ? rowMoments(clips, dims) : undefined, clips.length, dims, prior, kappa, out);
}

/** How much a speaker's own statistics weigh against the prior when their clips count as `clips`: n / (n + kappa). */
export function enrolmentWeight(clips: number, kappa = ENROLMENT_KAPPA): number {
  return clips / (clips + kappa);
}

/** The same from the own clips' moments (computed once, or combined: run-experiment's enrolment sampler). */
export function shrunkStats(own: { mean: Float64Array; variance: Float64Array } | undefined, clips: number, dims: number, prior: SpeakerPrior, kappa = ENROLMENT_KAPPA, out?: NormStats): NormStats {
  const mean = out?.mean ?? new Float64Array(dims);
  const scale = out?.scale ?? new Float64Array(dims);
  const w = enrolmentWeight(clips, kappa);
  for (let d = 0; d < dims; d++) {
    const pm = prior.mean[d]!, pv = prior.variance[d]!;
    const om = own?.mean[d] ?? pm, ov = own?.variance[d] ?? pv;
    const m = w * om + (1 - w) * pm;
    const v = w * (ov + (om - m) ** 2) + (1 - w) * (pv + (pm - m) ** 2);
    const sd = Math.sqrt(v);
    mean[d] = m;
    scale[d] = sd < 1e-8 ? 1 : sd;
  }
  return { mean, scale };
}

/** What normalises a clip given the clips its speaker is known by (training, cross-validation and the predictor alike). */
export interface SpeakerNormalizer {
  mode: "none" | "utterance" | "speaker";
  /** The training speakers' average statistics (speaker mode). */
  prior?: SpeakerPrior;
  kappa?: number;
  /** Bundles before shrinkage: below 3 clips the training average, else the speaker's own. */
  legacyFallback?: NormStats;
}

/** The shrinkage strength a normaliser uses (bundles without one: ENROLMENT_KAPPA). */
export function kappaOf(n: SpeakerNormalizer): number {
  return n.kappa ?? ENROLMENT_KAPPA;
}

/**
 * Statistics for a speaker known by `clips` (raw features), or undefined when nothing normalises
 * per speaker. With a prior the clips count as `counted` (a live session's discount).
 */
export function statsFor(n: SpeakerNormalizer, clips: readonly Float32Array[], dims: number, counted = clips.length): NormStats | undefined {
  if (n.mode !== "speaker") return undefined;
  if (n.prior) return shrunkStats(clips.length > 0 ? rowMoments(clips, dims) : undefined, counted, dims, n.prior, kappaOf(n));
  if (clips.length < 3 && n.legacyFallback) return n.legacyFallback;
  return rowStats(clips, dims);
}
