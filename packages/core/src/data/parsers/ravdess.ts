import { AUDIO_EXTENSION_PATTERN } from "../../audio/decode-audio.ts";
import type { NameInfo } from "../corpus.ts";
import type { Emotion } from "../labels.ts";

/**
 * RAVDESS: "MM-VV-EE-II-SS-RR-AA.wav" (Livingstone & Russo 2018): modality (03 = audio-only),
 * vocal channel (01 speech, 02 song), emotion, intensity (01 normal, 02 strong), statement,
 * repetition, actor (01–24; odd = male, even = female). Actors 25–99 are accepted for
 * recordings made with the page's recorder, which writes RAVDESS-style names (ravdessName).
 */
const EMOTION: Record<string, Emotion> = {
  "01": "neutral", "02": "calm", "03": "happy", "04": "sad",
  "05": "angry", "06": "fearful", "07": "disgust", "08": "surprised",
};
/** Every emotion the corpus labels (what a clip of it chooses among when results are narrowed). */
export const RAVDESS_EMOTIONS: readonly Emotion[] = [...new Set(Object.values(EMOTION))];
const PATTERN = new RegExp(String.raw`^(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)` + AUDIO_EXTENSION_PATTERN + "$", "i");

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
  if (a < 1) return `RAVDESS actor ${actor} is not 01–24 (or 25–99 for own recordings)`;
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

const CODE = Object.fromEntries(Object.entries(EMOTION).map(([code, e]) => [e, code])) as Record<Emotion, string | undefined>;

/**
 * A RAVDESS-style file name for an own recording: audio-only speech, so that it joins a corpus
 * like any RAVDESS file. Actor 25–99 keeps it apart from the 24 RAVDESS actors; odd = male.
 */
export function ravdessName(o: { emotion: Emotion; actor: number; statement: 1 | 2; repetition: number; strong?: boolean }): string {
  const code = CODE[o.emotion];
  if (!code) throw new Error(`RAVDESS has no code for emotion '${o.emotion}'; it has ${Object.values(EMOTION).join(", ")}.`);
  if (!Number.isInteger(o.actor) || o.actor < 1 || o.actor > 99) throw new Error(`actor must be 1–99, got ${o.actor}.`);
  if (!Number.isInteger(o.repetition) || o.repetition < 1 || o.repetition > 99) throw new Error(`repetition must be 1–99, got ${o.repetition}.`);
  const two = (n: number) => String(n).padStart(2, "0");
  return `03-01-${code}-${o.strong ? "02" : "01"}-${two(o.statement)}-${two(o.repetition)}-${two(o.actor)}.wav`;
}
