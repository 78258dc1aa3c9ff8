/**
 * How a model meets a new speaker, three ways, scored side by side on every test set (train,
 * cv, evaluate, bench:accuracy, the page). With per-speaker normalisation they differ in which
 * of the speaker's clips the statistics come from; without it they are the same numbers.
 *  - one clip: each clip alone, nothing else known of the speaker (`ser predict` on one file,
 *    the first seconds of the live page). This is the figure that leads.
 *  - enrolled: all of the speaker's clips given together.
 *  - skewed: statistics from an emotion-skewed set (the speaker's neutral and calm clips plus one
 *    clip each of four other emotions), then every clip of the speaker predicted with them.
 */
import * as tf from "@tensorflow/tfjs";
import type { Frontend } from "../features/frontend.ts";
import { applyNorm, type NormStats } from "../features/normalize.ts";
import { type SpeakerNormalizer, statsFor } from "../features/speaker-norm.ts";
export { type SpeakerNormalizer, statsFor } from "../features/speaker-norm.ts";
import { applyStandardScaler, type StandardScalerState } from "../encode/standard-scaler.ts";
import type { LabelEncoder } from "../encode/label-encoder.ts";
import { evaluate, type EvaluationReport } from "../metrics/metrics.ts";
import { createRng } from "../rng.ts";
import type { Emotion } from "../data/labels.ts";
import { argmaxRows, predictProbabilities } from "../train/fit.ts";
import { narrowRows } from "../inference/narrow.ts";

import type { MeetingProtocol } from "../metrics/protocol-names.ts";
export { MEETING_PROTOCOLS, type MeetingProtocol, PROTOCOL_TEXT } from "../metrics/protocol-names.ts";


export interface ProtocolItem {
  speaker: string;
  emotion: Emotion;
  features: Float32Array;
}


/** Item indices per speaker, in item order. */
export function indicesBySpeaker(items: readonly { speaker: string }[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  items.forEach((it, i) => {
    if (!m.has(it.speaker)) m.set(it.speaker, []);
    m.get(it.speaker)!.push(i);
  });
  return m;
}

/**
 * The emotion-skewed enrolment set of one speaker (item indices): all their neutral and calm
 * clips (`calm`, fixed), then one clip each of up to four other emotions (`pick`, drawn with the
 * rng). Built once per speaker; used by the skewed protocol and by random enrolment in training.
 */
export function skewedPicker(idx: readonly number[], emotionOf: (i: number) => string): { calm: number[]; pick(rng: { int(n: number): number }): number[] } {
  const isCalm = (e: string) => e === "neutral" || e === "calm";
  const calm = idx.filter((i) => isCalm(emotionOf(i)));
  const byEmotion = new Map<string, number[]>();
  for (const i of idx) {
    const e = emotionOf(i);
    if (isCalm(e)) continue;
    if (!byEmotion.has(e)) byEmotion.set(e, []);
    byEmotion.get(e)!.push(i);
  }
  const emotions = [...byEmotion.keys()].sort();
  return {
    calm,
    pick(rng) {
      const pool = [...emotions];
      const picked: number[] = [];
      while (picked.length < 4 && pool.length > 0) {
        const of = byEmotion.get(pool.splice(rng.int(pool.length), 1)[0]!)!;
        picked.push(of[rng.int(of.length)]!);
      }
      return picked;
    },
  };
}

/** skewedPicker's set drawn once: the calm clips, then the picks. */
export function skewedSet(idx: readonly number[], emotionOf: (i: number) => string, rng: { int(n: number): number }): number[] {
  const p = skewedPicker(idx, emotionOf);
  return [...p.calm, ...p.pick(rng)];
}

/**
 * For each item, the indices of the items its speaker's statistics come from under `protocol`.
 * The skewed set is drawn once per speaker (seeded): all neutral and calm clips, then one clip
 * each of up to four other emotions.
 */
export function enrolmentSets(items: readonly { speaker: string; emotion: string }[], protocol: MeetingProtocol, seed: number): number[][] {
  if (protocol === "one-clip") return items.map((_, i) => [i]);
  const bySpeaker = indicesBySpeaker(items);
  const sets = new Map<string, number[]>();
  const rng = createRng(seed);
  for (const [speaker, idx] of [...bySpeaker.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (protocol === "enrolled") {
      sets.set(speaker, idx);
      continue;
    }
    sets.set(speaker, skewedSet(idx, (i) => items[i]!.emotion, rng));
  }
  return items.map((it) => sets.get(it.speaker)!);
}

export interface ProtocolScore {
  report: EvaluationReport;
  /** Row-major [n × k] probabilities and the encoded truth, in item order. */
  probs: Float32Array;
  y: Int32Array;
}

/** The items' features normalised under a protocol and scaled, as one batch. */
export function protocolBatch(items: readonly ProtocolItem[], frontend: Frontend, normalizer: SpeakerNormalizer, scaler: StandardScalerState, protocol: MeetingProtocol, seed: number): Float32Array {
  const size = frontend.size;
  const x = new Float32Array(items.length * size);
  const sets = normalizer.mode === "speaker" ? enrolmentSets(items, protocol, seed) : undefined;
  const cache = new Map<string, NormStats | undefined>();
  items.forEach((it, i) => {
    const row = x.subarray(i * size, (i + 1) * size);
    row.set(it.features);
    if (sets) {
      const set = sets[i]!;
      const key = set.length === 1 ? `#${set[0]}` : it.speaker;
      let stats = cache.get(key);
      if (!cache.has(key)) cache.set(key, stats = statsFor(normalizer, set.map((j) => items[j]!.features), frontend.dims));
      if (stats) applyNorm(row, frontend.dims, stats);
    }
    applyStandardScaler(scaler, row);
  });
  return x;
}

/** Scores `model` on `items` (raw features) under every protocol; without speaker normalisation they share one pass. */
export async function scoreProtocols(
  model: tf.LayersModel,
  frontend: Frontend,
  normalizer: SpeakerNormalizer,
  scaler: StandardScalerState,
  labels: LabelEncoder,
  items: readonly (ProtocolItem & { path: string })[],
  seed: number,
  /** Narrowing (inference/narrow.ts): the classes item i chooses among; undefined, all of them. */
  maskOf?: (i: number) => Uint8Array | undefined,
): Promise<Record<MeetingProtocol, ProtocolScore>> {
  const y = Int32Array.from(items, (it) => labels.encode(it.emotion, it.path));
  const k = labels.classes.length;
  const score = async (protocol: MeetingProtocol): Promise<ProtocolScore> => {
    const x = protocolBatch(items, frontend, normalizer, scaler, protocol, seed);
    const probs = await predictProbabilities(model, { n: items.length, shape: frontend.shape, x, y });
    if (maskOf) narrowRows(probs, k, maskOf);
    return { report: evaluate(y, argmaxRows(probs, k), labels.classes, probs), probs, y };
  };
  if (normalizer.mode !== "speaker") {
    const one = await score("one-clip");
    return { "one-clip": one, enrolled: one, skewed: one };
  }
  return { "one-clip": await score("one-clip"), enrolled: await score("enrolled"), skewed: await score("skewed") };
}
