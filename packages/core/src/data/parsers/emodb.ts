import { AUDIO_EXTENSION_PATTERN } from "../../audio/decode-audio.ts";
import type { Gender, NameInfo } from "../corpus.ts";
import type { Emotion } from "../labels.ts";

/**
 * EmoDB, the Berlin Database of Emotional Speech (Burkhardt et al., Interspeech 2005; CC0):
 * "SSTTTEV.wav", speaker (03, 08–16), text code (a01–b10), emotion letter (German initial),
 * version letter. Boredom (L, "Langeweile") is not among the eight emotions the other corpora
 * share: it is kept as its own class, "boredom" (`--emotions` or `--merge` leave it out or map it).
 */
const EMOTION: Record<string, Emotion> = { W: "angry", E: "disgust", A: "fearful", F: "happy", T: "sad", N: "neutral", L: "boredom" };
/** Every emotion the corpus labels (what a clip of it chooses among when results are narrowed). */
export const EMODB_EMOTIONS: readonly Emotion[] = [...new Set(Object.values(EMOTION))];
/** From the corpus documentation. */
const GENDER: Record<string, Gender> = { "03": "male", "08": "female", "09": "female", "10": "male", "11": "male", "12": "male", "13": "female", "14": "female", "15": "male", "16": "female" };
const PATTERN = new RegExp(String.raw`^(\d\d)([ab]\d\d)([WLEAFTN])([a-z])` + AUDIO_EXTENSION_PATTERN + "$", "");

export function looksLikeEmodb(basename: string): boolean {
  return PATTERN.test(basename);
}

export function parseEmodb(basename: string): NameInfo | string {
  const m = PATTERN.exec(basename);
  if (!m) return "name does not follow EmoDB's SSTTTEV.wav scheme (e.g. 03a01Wa.wav)";
  const [, speaker, text, letter] = m as unknown as string[];
  const gender = GENDER[speaker!];
  if (!gender) return `EmoDB speaker ${speaker} is not one of the corpus's ten (03, 08–16)`;
  return { dataset: "emodb", speaker: `emodb-${speaker}`, gender, emotion: EMOTION[letter!]!, emotionCode: letter!, statement: text! };
}
