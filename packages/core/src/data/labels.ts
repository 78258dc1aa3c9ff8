import { SerError } from "../errors.ts";

/** The harmonized label set every dataset is mapped onto, in a fixed order. */
export const EMOTIONS = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"] as const;
export type Emotion = (typeof EMOTIONS)[number];

export function isEmotion(s: string): s is Emotion {
  return (EMOTIONS as readonly string[]).includes(s);
}

/** Common spellings of the harmonised emotions (corpora and tools label them differently). */
const SYNONYMS: Record<string, Emotion> = {
  anger: "angry", mad: "angry", happiness: "happy", joy: "happy", sadness: "sad", fear: "fearful", afraid: "fearful",
  scared: "fearful", disgusted: "disgust", surprise: "surprised", neu: "neutral", ang: "angry", hap: "happy",
};

/** An emotion label as users write it ("Anger", "happiness", "SAD") in the harmonised set, or undefined. */
export function normalizeEmotionLabel(text: string): Emotion | undefined {
  const t = text.trim().toLowerCase();
  return isEmotion(t) ? t : SYNONYMS[t];
}

/** Parses "angry,happy,neutral,sad" into emotions, naming any unknown one. */
export function parseEmotionList(text: string): Emotion[] {
  const names = text.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) throw new SerError("invalid-input", `emotion list '${text}' is empty.`);
  for (const n of names) {
    if (!isEmotion(n)) {
      throw new SerError("invalid-input", `unknown emotion '${n}'; known emotions: ${EMOTIONS.join(", ")}.`);
    }
  }
  return [...new Set(names as Emotion[])];
}

/** Parses "calm=neutral" (several joined by commas) into a mapping from source to target emotion. */
export function parseMerge(text: string): Map<Emotion, Emotion> {
  const map = new Map<Emotion, Emotion>();
  for (const part of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z]+)=([a-z]+)$/i.exec(part);
    if (!m) throw new SerError("invalid-input", `merge '${part}' must look like calm=neutral.`);
    const [from, to] = [m[1]!.toLowerCase(), m[2]!.toLowerCase()];
    for (const e of [from, to]) {
      if (!isEmotion(e)) throw new SerError("invalid-input", `unknown emotion '${e}' in merge '${part}'; known: ${EMOTIONS.join(", ")}.`);
    }
    map.set(from as Emotion, to as Emotion);
  }
  return map;
}

export interface LabelPolicy {
  /** Keep only these (after merging); undefined keeps all. */
  keep?: readonly Emotion[];
  merge?: ReadonlyMap<Emotion, Emotion>;
}

/** Applies merge then subset; returns null when the item is to be left out. */
export function applyLabelPolicy(emotion: Emotion, policy: LabelPolicy): Emotion | null {
  const merged = policy.merge?.get(emotion) ?? emotion;
  if (policy.keep !== undefined && !policy.keep.includes(merged)) return null;
  return merged;
}
