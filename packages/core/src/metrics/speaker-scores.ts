/**
 * Scores per test speaker: with three or four test speakers the overall UAR hides a spread that
 * users should see (one speaker at 70 %, another at 30 %). Each speaker's UAR is sklearn's
 * balanced accuracy over the emotions that speaker has (metrics.ts), so a speaker without some
 * emotion is not charged for it.
 */
import { accuracyScore, confusionMatrix, unweightedAverageRecall } from "./metrics.ts";

export interface SpeakerScore {
  speaker: string;
  n: number;
  accuracy: number;
  uar: number;
}

/** `predictions` carry the speaker and the true and predicted labels; speakers come out sorted. */
export function speakerScores(predictions: readonly { speaker: string; truth: string; predicted: string }[], labels: readonly string[]): SpeakerScore[] {
  const index = new Map(labels.map((l, i) => [l, i]));
  const bySpeaker = new Map<string, { y: number[]; p: number[] }>();
  for (const q of predictions) {
    const t = index.get(q.truth);
    const p = index.get(q.predicted);
    if (t === undefined || p === undefined) continue;
    const s = bySpeaker.get(q.speaker) ?? { y: [], p: [] };
    s.y.push(t);
    s.p.push(p);
    bySpeaker.set(q.speaker, s);
  }
  return [...bySpeaker.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([speaker, { y, p }]) => ({
    speaker,
    n: y.length,
    accuracy: accuracyScore(y, p),
    uar: unweightedAverageRecall(confusionMatrix(y, p, labels.length)),
  }));
}
