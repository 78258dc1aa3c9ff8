import { AUDIO_EXTENSION_PATTERN } from "../../audio/decode-audio.ts";
import type { Gender, NameInfo } from "../corpus.ts";
import type { Emotion } from "../labels.ts";

/**
 * nEMO, Polish acted emotional speech (Christop, LREC-COLING 2024; CC BY-NC-SA 4.0):
 * "EB0_anger_1.wav" (or .flac): speaker id (two capitals and a digit), emotion word, take number.
 * Six emotions, no calm or disgust. The name carries no sex: genders come from the corpus's own
 * `data.tsv` (columns file_id, emotion, …, speaker_id, gender, age) when it is among the inputs,
 * else "unknown".
 */
const EMOTION: Record<string, Emotion> = {
  anger: "angry", fear: "fearful", happiness: "happy", neutral: "neutral", sadness: "sad", surprised: "surprised",
};
/** Every emotion the corpus labels (what a clip of it chooses among when results are narrowed). */
export const NEMO_EMOTIONS: readonly Emotion[] = [...new Set(Object.values(EMOTION))];
const PATTERN = new RegExp(String.raw`^([A-Z]{2}\d)_([a-z]+)_(\d+)` + AUDIO_EXTENSION_PATTERN + "$", "i");

export function looksLikeNemo(basename: string): boolean {
  const m = PATTERN.exec(basename);
  return m !== null && Object.hasOwn(EMOTION, m[2]!.toLowerCase());
}

export function parseNemo(basename: string, genders?: ReadonlyMap<string, Gender>): NameInfo | string {
  const m = PATTERN.exec(basename);
  if (!m) return "name does not follow nEMO's SPK_emotion_N scheme (e.g. EB0_anger_1.flac)";
  const [, rawSpeaker, word, take] = m as unknown as string[];
  const speaker = rawSpeaker!.toUpperCase();
  const code = word!.toLowerCase();
  const emotion = EMOTION[code];
  if (!emotion) return `nEMO emotion '${word}' is not one of ${Object.keys(EMOTION).join(", ")}`;
  return { dataset: "nemo", speaker: `nemo-${speaker}`, gender: genders?.get(speaker) ?? "unknown", emotion, emotionCode: code, statement: take! };
}

/** True for nEMO's metadata file name (`data.tsv`). */
export function isNemoMetadata(basename: string): boolean {
  return /^data\.tsv$/i.test(basename);
}

/**
 * Reads nEMO's data.tsv into speaker id -> gender. Throws naming the line when a row's gender
 * is not male or female, or when the header lacks speaker_id or gender.
 */
export function parseNemoMetadata(tsv: string): Map<string, Gender> {
  const lines = tsv.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = (lines[0] ?? "").split("\t").map((h) => h.trim().toLowerCase());
  const idCol = header.indexOf("speaker_id");
  const sexCol = header.indexOf("gender");
  if (idCol < 0 || sexCol < 0) throw new Error("nEMO's data.tsv needs speaker_id and gender columns (tab-separated)");
  const map = new Map<string, Gender>();
  lines.forEach((line, i) => {
    if (i === 0 || line.trim() === "") return;
    const cells = line.split("\t");
    const id = (cells[idCol] ?? "").trim().toUpperCase();
    const sex = (cells[sexCol] ?? "").trim().toLowerCase();
    if (id === "") throw new Error(`line ${i + 1}: empty speaker_id`);
    if (sex !== "male" && sex !== "female") throw new Error(`line ${i + 1}: gender '${cells[sexCol] ?? ""}' is neither male nor female`);
    map.set(id, sex);
  });
  return map;
}
