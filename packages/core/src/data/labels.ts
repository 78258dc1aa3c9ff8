import { SerError } from "../errors.ts";

/** The harmonised label set every built-in dataset is mapped onto, in a fixed order. */
export const EMOTIONS = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"] as const;
export type HarmonisedEmotion = (typeof EMOTIONS)[number];
/**
 * An emotion label: one of the eight, or any other a corpus brings (EmoDB's boredom, a user's
 * "frustrated"), kept as its own class. Lower case, as labelName() makes it.
 */
export type Emotion = HarmonisedEmotion | (string & {});

export function isEmotion(s: string): s is HarmonisedEmotion {
  return (EMOTIONS as readonly string[]).includes(s);
}

/** Labels in the project's order: the eight in EMOTIONS order, then any others alphabetically. */
export function orderLabels(labels: Iterable<Emotion>): Emotion[] {
  const set = new Set(labels);
  return [...EMOTIONS.filter((e) => set.has(e)), ...[...set].filter((l) => !isEmotion(l)).sort()];
}

/**
 * A label as users write it, as the project's class name: synonyms of the eight mapped onto
 * them ("Anger" → angry), anything else lower-cased and trimmed ("Frustrated" → frustrated).
 * Undefined for an empty label or one with characters no class name should have.
 */
export function labelName(text: string): Emotion | undefined {
  const known = normalizeEmotionLabel(text);
  if (known) return known;
  const t = text.trim().toLowerCase();
  return /^[\p{L}][\p{L}\p{N} _'-]{0,39}$/u.test(t) ? t : undefined;
}

/** Common spellings of the harmonised emotions (corpora and tools label them differently). */
const SYNONYMS: Record<string, HarmonisedEmotion> = {
  anger: "angry", mad: "angry", happiness: "happy", joy: "happy", sadness: "sad", fear: "fearful", afraid: "fearful",
  scared: "fearful", disgusted: "disgust", surprise: "surprised", neu: "neutral", ang: "angry", hap: "happy",
};

/** An emotion label as users write it ("Anger", "happiness", "SAD") in the harmonised set, or undefined. */
export function normalizeEmotionLabel(text: string): HarmonisedEmotion | undefined {
  const t = text.trim().toLowerCase();
  return isEmotion(t) ? t : Object.hasOwn(SYNONYMS, t) ? SYNONYMS[t] : undefined;
}

/** Parses "angry,happy,neutral,sad" (synonyms and other labels allowed, e.g. boredom) into labels. */
export function parseEmotionList(text: string): Emotion[] {
  const parts = text.split(",").map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new SerError("invalid-input", `emotion list '${text}' is empty.`);
  const names = parts.map((p) => {
    const n = labelName(p);
    if (!n) throw new SerError("invalid-input", `'${p}' is not a usable emotion label (letters, digits, spaces, - or _; the eight are ${EMOTIONS.join(", ")}).`);
    return n;
  });
  return [...new Set(names)];
}

/** Parses "calm=neutral" (several joined by commas) into a mapping from source to target emotion. */
export function parseMerge(text: string): Map<Emotion, Emotion> {
  const map = new Map<Emotion, Emotion>();
  for (const part of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^=]+)=([^=]+)$/.exec(part);
    if (!m) throw new SerError("invalid-input", `merge '${part}' must look like calm=neutral.`);
    const [from, to] = [labelName(m[1]!), labelName(m[2]!)];
    if (!from || !to) throw new SerError("invalid-input", `merge '${part}' names a label that is not usable (letters, digits, spaces, - or _).`);
    map.set(from, to);
  }
  return map;
}

export interface LabelPolicy {
  /** Keep only these (after merging); undefined keeps all. */
  keep?: readonly Emotion[];
  merge?: ReadonlyMap<Emotion, Emotion>;
}

/** Why a recording whose emotion the policy leaves out is skipped. */
export const notSelected = (emotion: Emotion): string => `emotion '${emotion}' is not among the selected emotions`;

/** Applies merge then subset; returns null when the item is to be left out. */
export function applyLabelPolicy(emotion: Emotion, policy: LabelPolicy): Emotion | null {
  const merged = policy.merge?.get(emotion) ?? emotion;
  if (policy.keep !== undefined && !policy.keep.includes(merged)) return null;
  return merged;
}
