import { AUDIO_EXTENSION_PATTERN } from "../../audio/decode-audio.ts";
import type { Gender, NameInfo } from "../corpus.ts";
import type { Emotion } from "../labels.ts";

/**
 * CREMA-D: "AudioWAV/1001_DFA_ANG_XX.wav": actor 1001–1091, one of 12 sentences, emotion,
 * level (LO, MD, HI, XX = unspecified). The file name carries no sex: gender is "unknown"
 * unless VideoDemographics.csv (ActorID, Age, Sex, Race, Ethnicity) is supplied.
 */
const EMOTION: Record<string, Emotion> = {
  ANG: "angry", DIS: "disgust", FEA: "fearful", HAP: "happy", NEU: "neutral", SAD: "sad",
};
/** Every emotion the corpus labels (what a clip of it chooses among when results are narrowed). */
export const CREMA_D_EMOTIONS: readonly Emotion[] = [...new Set(Object.values(EMOTION))];
const SENTENCES = ["IEO", "TIE", "IOM", "IWW", "TAI", "MTI", "IWL", "ITH", "DFA", "ITS", "TSI", "WSI"];
const LEVEL = { LO: "low", MD: "medium", HI: "high", XX: "unspecified" } as const;
const PATTERN = new RegExp(String.raw`^(\d{4})_([A-Z]{3})_([A-Z]{3})_([A-Z]{2})` + AUDIO_EXTENSION_PATTERN + "$", "i");

export function looksLikeCremaD(basename: string): boolean {
  return PATTERN.test(basename);
}

export function parseCremaD(basename: string, genders?: ReadonlyMap<string, Gender>): NameInfo | string {
  const m = PATTERN.exec(basename);
  if (!m) return "name does not follow CREMA-D's 1001_DFA_ANG_XX.wav scheme";
  const [, actor, sentence, emo, level] = (m as unknown as string[]).map((s) => s?.toUpperCase());
  const a = Number(actor);
  if (a < 1001 || a > 1091) return `CREMA-D actor ${actor} is not 1001–1091`;
  if (!SENTENCES.includes(sentence!)) return `CREMA-D sentence code ${sentence} is not one of ${SENTENCES.join(", ")}`;
  const emotion = EMOTION[emo!];
  if (!emotion) return `CREMA-D emotion code ${emo} is not one of ${Object.keys(EMOTION).join(", ")}`;
  const intensity = LEVEL[level as keyof typeof LEVEL];
  if (!intensity) return `CREMA-D level ${level} is not LO, MD, HI or XX`;
  return {
    dataset: "crema-d",
    speaker: `crema-d-${actor}`,
    gender: genders?.get(actor!) ?? "unknown",
    emotion,
    emotionCode: emo!,
    intensity,
    statement: sentence!,
  };
}

/** Reads CREMA-D's VideoDemographics.csv into actor id -> gender. */
export function parseCremaDemographics(csv: string): Map<string, Gender> {
  const lines = csv.replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = (lines[0] ?? "").split(",").map((h) => h.trim().replace(/^"|"$/g, "").toLowerCase());
  const idCol = header.indexOf("actorid");
  const sexCol = header.indexOf("sex");
  if (idCol < 0 || sexCol < 0) throw new Error("demographics CSV needs ActorID and Sex columns");
  const map = new Map<string, Gender>();
  for (const line of lines.slice(1)) {
    const cells = line.split(",").map((c) => c.trim().replace(/^"|"$/g, ""));
    const sex = (cells[sexCol] ?? "").toLowerCase();
    map.set(cells[idCol]!, sex === "male" ? "male" : sex === "female" ? "female" : "unknown");
  }
  return map;
}
