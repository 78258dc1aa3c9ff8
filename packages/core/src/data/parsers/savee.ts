import { AUDIO_EXTENSION_PATTERN } from "../../audio/decode-audio.ts";
import type { NameInfo } from "../corpus.ts";
import type { Emotion } from "../labels.ts";

/**
 * SAVEE (Surrey Audio-Visual Expressed Emotion): four male speakers DC, JE, JK, KL; files
 * "AudioData/DC/sa01.wav" as shipped, or "ALL/DC_sa01.wav" in the common flat re-pack.
 * Two-letter codes sa (sadness) and su (surprise) are matched before the one-letter ones.
 */
const EMOTION: Record<string, Emotion> = {
  sa: "sad", su: "surprised", a: "angry", d: "disgust", f: "fearful", h: "happy", n: "neutral",
};
/** Every emotion the corpus labels (what a clip of it chooses among when results are narrowed). */
export const SAVEE_EMOTIONS: readonly Emotion[] = [...new Set(Object.values(EMOTION))];
const SPEAKERS = ["DC", "JE", "JK", "KL"];
const FLAT = new RegExp(String.raw`^(DC|JE|JK|KL)_(sa|su|a|d|f|h|n)(\d\d)` + AUDIO_EXTENSION_PATTERN + "$", "i");
const NESTED = new RegExp(String.raw`^(sa|su|a|d|f|h|n)(\d\d)` + AUDIO_EXTENSION_PATTERN + "$", "i");

export function looksLikeSavee(basename: string, parentDir: string): boolean {
  return FLAT.test(basename) || (NESTED.test(basename) && SPEAKERS.includes(parentDir.toUpperCase()));
}

export function parseSavee(basename: string, parentDir: string): NameInfo | string {
  let speaker: string;
  let code: string;
  let number: string;
  const flat = FLAT.exec(basename);
  if (flat) {
    [speaker, code, number] = [flat[1]!, flat[2]!, flat[3]!];
  } else {
    const nested = NESTED.exec(basename);
    if (!nested) return "name does not follow SAVEE's DC_a01.wav or DC/a01.wav scheme";
    if (!SPEAKERS.includes(parentDir.toUpperCase())) {
      return `SAVEE file must sit in a speaker folder DC, JE, JK or KL, found '${parentDir}'`;
    }
    [speaker, code, number] = [parentDir, nested[1]!, nested[2]!];
  }
  const c = code.toLowerCase();
  return {
    dataset: "savee",
    speaker: `savee-${speaker.toUpperCase()}`,
    gender: "male",
    emotion: EMOTION[c]!,
    emotionCode: c,
    statement: `${c}${number}`,
  };
}
