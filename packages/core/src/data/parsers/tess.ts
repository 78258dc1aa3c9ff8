import { AUDIO_EXTENSION_PATTERN } from "../../audio/decode-audio.ts";
import type { NameInfo } from "../corpus.ts";
import type { Emotion } from "../labels.ts";

/**
 * TESS (Toronto Emotional Speech Set): two female speakers, OAF (aged 64) and YAF (aged 26);
 * "OAF_angry/OAF_back_angry.wav". Folder case varies between copies ("OAF_Fear",
 * "YAF_pleasant_surprised"), and a few files carry "OA_" for "OAF_": the file name decides.
 * "ps" is pleasant surprise.
 */
const EMOTION: Record<string, Emotion> = {
  angry: "angry", disgust: "disgust", fear: "fearful", happy: "happy", neutral: "neutral", ps: "surprised",
  sad: "sad",
};
/** Every emotion the corpus labels (what a clip of it chooses among when results are narrowed). */
export const TESS_EMOTIONS: readonly Emotion[] = [...new Set(Object.values(EMOTION))];
const PATTERN = new RegExp(String.raw`^(OAF|YAF|OA|YA)_([a-z]+)_(angry|disgust|fear|happy|neutral|ps|sad)` + AUDIO_EXTENSION_PATTERN + "$", "i");

export function looksLikeTess(basename: string): boolean {
  return PATTERN.test(basename);
}

export function parseTess(basename: string): NameInfo | string {
  const m = PATTERN.exec(basename);
  if (!m) return "name does not follow TESS's OAF_word_emotion.wav scheme";
  const speaker = m[1]!.toUpperCase().startsWith("O") ? "OAF" : "YAF";
  const code = m[3]!.toLowerCase();
  return {
    dataset: "tess",
    speaker: `tess-${speaker}`,
    gender: "female",
    emotion: EMOTION[code]!,
    emotionCode: code,
    statement: m[2]!.toLowerCase(),
  };
}
