/**
 * How much each training clip counts in the loss, once for every caller (spec.weighting).
 *  - "corpus" (default): every corpus weighs the same in total and, within it, every class the
 *    same: w = N / (C · K_c · n_{c,k}) for a clip of class k in corpus c (C corpora, K_c classes
 *    in c, n_{c,k} of its clips with that label). A 1500-clip corpus no longer drowns a 240-clip
 *    one; with one corpus it is sklearn's class_weight="balanced".
 *  - "class": every class the same over all clips, w = N / (K · n_k) (sklearn's "balanced").
 *  - "clip": every clip 1.
 * Weights average 1 over the training set, so the loss keeps its scale.
 */
export type Weighting = "corpus" | "class" | "clip";
export const WEIGHTINGS: readonly Weighting[] = ["corpus", "class", "clip"];

export function sampleWeights(items: readonly { dataset: string; emotion: string }[], weighting: Weighting): Float32Array {
  const n = items.length;
  const w = new Float32Array(n).fill(1);
  if (weighting === "clip" || n === 0) return w;
  const groupOf = (it: { dataset: string; emotion: string }) => (weighting === "corpus" ? it.dataset : "");
  // counts[group][label]
  const counts = new Map<string, Map<string, number>>();
  for (const it of items) {
    const g = counts.get(groupOf(it)) ?? new Map<string, number>();
    g.set(it.emotion, (g.get(it.emotion) ?? 0) + 1);
    counts.set(groupOf(it), g);
  }
  const groups = counts.size;
  items.forEach((it, i) => {
    const g = counts.get(groupOf(it))!;
    w[i] = n / (groups * g.size * g.get(it.emotion)!);
  });
  return w;
}
