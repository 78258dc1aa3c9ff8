import type { NameInfo } from "../corpus.ts";
import type { Emotion } from "../labels.ts";

/**
 * RAVDESS: "MM-VV-EE-II-SS-RR-AA.wav" (Livingstone & Russo 2018): modality (03 = audio-only),
 * vocal channel (01 speech, 02 song), emotion, intensity (01 normal, 02 strong), statement,
 * repetition, actor (01–24; odd = male, even = female).
 */
const EMOTION: Record<string, Emotion> = {
  "01": "neutral", "02": "calm", "03": "happy", "04": "sad",
  "05": "angry", "06": "fearful", "07": "disgust", "08": "surprised",
};
const PATTERN = /^(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)\.wav$/i;

export function looksLikeRavdess(basename: string): boolean {
  return PATTERN.test(basename);
}

export function parseRavdess(basename: string): NameInfo | string {
  const m = PATTERN.exec(basename);
  if (!m) return "name does not follow RAVDESS's MM-VV-EE-II-SS-RR-AA.wav scheme";
  const [, modality, channel, emo, intensity, statement, , actor] = m as unknown as string[];
  if (modality !== "03") return `RAVDESS modality ${modality} is not audio-only (03)`;
  if (channel !== "01" && channel !== "02") return `RAVDESS vocal channel ${channel} is neither speech (01) nor song (02)`;
  const emotion = EMOTION[emo!];
  if (!emotion) return `RAVDESS emotion code ${emo} is not 01–08`;
  if (intensity !== "01" && intensity !== "02") return `RAVDESS intensity ${intensity} is neither 01 nor 02`;
  const a = Number(actor);
  if (a < 1 || a > 24) return `RAVDESS actor ${actor} is not 01–24`;
  return {
    dataset: "ravdess",
    speaker: `ravdess-${actor}`,
    gender: a % 2 === 1 ? "male" : "female",
    emotion,
    emotionCode: emo!,
    intensity: intensity === "01" ? "normal" : "strong",
    statement: `${channel === "02" ? "song-" : ""}${statement}`,
  };
}
