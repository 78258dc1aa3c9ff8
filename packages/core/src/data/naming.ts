import { DATASETS, type DatasetName, type Gender, type NameInfo } from "./corpus.ts";
import { labelName, normalizeEmotionLabel } from "./labels.ts";
import { CREMA_D_EMOTIONS, looksLikeCremaD, parseCremaD } from "./parsers/crema-d.ts";
import { looksLikeRavdess, parseRavdess, RAVDESS_EMOTIONS } from "./parsers/ravdess.ts";
import { looksLikeSavee, parseSavee, SAVEE_EMOTIONS } from "./parsers/savee.ts";
import { looksLikeTess, parseTess, TESS_EMOTIONS } from "./parsers/tess.ts";
import { EMODB_EMOTIONS, looksLikeEmodb, parseEmodb } from "./parsers/emodb.ts";
import { looksLikeNemo, NEMO_EMOTIONS, parseNemo } from "./parsers/nemo.ts";
import type { Emotion } from "./labels.ts";

/** Each built-in corpus's whole label set (a test set holding only some of it still chose among all). */
export const CORPUS_EMOTIONS: Readonly<Record<DatasetName, readonly Emotion[]>> = {
  ravdess: RAVDESS_EMOTIONS, savee: SAVEE_EMOTIONS, "crema-d": CREMA_D_EMOTIONS, tess: TESS_EMOTIONS, emodb: EMODB_EMOTIONS, nemo: NEMO_EMOTIONS,
};

/** "folders": folder-per-label (`happy/x.wav`); "auto" also falls back to it when no scheme matches. */
export type DatasetChoice = DatasetName | "folders" | "auto";
export const DATASET_CHOICES: readonly DatasetChoice[] = ["auto", ...DATASETS, "folders"];

/** Splits a zip or file path on either separator, dropping "", "." and ".." (names are never used to write). */
export function pathParts(path: string): string[] {
  return path.split(/[\\/]+/).filter((p) => p !== "" && p !== "." && p !== "..");
}

/** Which dataset's naming scheme a file name follows, if any (auto-detection). */
export function detectDataset(path: string): DatasetName | undefined {
  const parts = pathParts(path);
  const base = parts[parts.length - 1] ?? "";
  const parent = parts[parts.length - 2] ?? "";
  if (looksLikeRavdess(base)) return "ravdess";
  if (looksLikeCremaD(base)) return "crema-d";
  if (looksLikeTess(base)) return "tess";
  if (looksLikeSavee(base, parent)) return "savee";
  if (looksLikeEmodb(base)) return "emodb";
  if (looksLikeNemo(base)) return "nemo";
  return undefined;
}

/** Speaker genders a corpus ships beside its audio (CREMA-D's VideoDemographics.csv, nEMO's data.tsv), by the corpus's own speaker id. */
export interface CorpusGenders {
  "crema-d"?: ReadonlyMap<string, Gender>;
  nemo?: ReadonlyMap<string, Gender>;
}

/**
 * Reads a recording's metadata from its path. With dataset "auto" the scheme is detected per
 * file, so several corpora can be mixed in one input. Returns the reason when it cannot.
 */
export function parseName(
  path: string,
  dataset: DatasetChoice = "auto",
  genders: CorpusGenders = {},
  speakerPattern?: RegExp,
): NameInfo | string {
  const parts = pathParts(path);
  const base = parts[parts.length - 1] ?? "";
  const parent = parts[parts.length - 2] ?? "";
  const which = dataset === "auto" ? detectDataset(path) : dataset;
  switch (which) {
    case "ravdess":
      return parseRavdess(base);
    case "crema-d":
      return parseCremaD(base, genders["crema-d"]);
    case "tess":
      return parseTess(base);
    case "savee":
      return parseSavee(base, parent);
    case "emodb":
      return parseEmodb(base);
    case "nemo":
      return parseNemo(base, genders.nemo);
    default: {
      if (dataset === "folders" || (dataset === "auto" && folderEmotion(parts) !== undefined)) return parseFolderLabel(path, speakerPattern, dataset === "folders");
      // A speaker pattern that finds the speaker on this path says the file is the user's own:
      // its folder is its label, whatever it is called (the page's recorder, "frustrated/spk07_a.wav").
      if (dataset === "auto" && speakerPattern?.test(path.replace(/\\/g, "/"))) return parseFolderLabel(path, speakerPattern, true);
      return "file name matches no known dataset (RAVDESS, SAVEE, CREMA-D, TESS, EmoDB, nEMO) and no folder above it names an emotion; pass the dataset, or describe the files with --manifest";
    }
  }
}

/** The emotion the nearest folder above a file names (`happy/x.wav`, `Anger/take1/x.wav`), if any. */
function folderEmotion(parts: readonly string[]): { emotion: NonNullable<ReturnType<typeof normalizeEmotionLabel>>; folder: string } | undefined {
  for (let i = parts.length - 2; i >= 0; i--) {
    const emotion = normalizeEmotionLabel(parts[i]!);
    if (emotion) return { emotion, folder: parts[i]! };
  }
  return undefined;
}

/**
 * Folder-per-label layouts (Teachable Machine, most hand-made corpora): the emotion is the
 * nearest folder above the file that names one of the eight (or a synonym); with `anyLabel`
 * (the folders layout asked for by name) and no such folder, the file's own folder is its label
 * whatever it says ("frustrated/x.wav"). The speaker is the first capture group of `speakerPattern` on the path,
 * or unknown (then only a random split is possible).
 */
export function parseFolderLabel(path: string, speakerPattern?: RegExp, anyLabel = false): NameInfo | string {
  const parts = pathParts(path);
  const own = parts.length >= 2 ? labelName(parts[parts.length - 2]!) : undefined;
  // A folder naming one of the eight wins; asked for by name, the layout falls back to the file's own folder.
  const found = folderEmotion(parts) ?? (anyLabel && own ? { emotion: own, folder: parts[parts.length - 2]! } : undefined);
  if (!found) return "no folder above the file names an emotion (folder-per-label layout: happy/x.wav)";
  const info: NameInfo = { dataset: "folders", speaker: "folders-unknown", gender: "unknown", emotion: found.emotion, emotionCode: found.folder };
  if (!speakerPattern) return { ...info, speakerKnown: false };
  const m = speakerPattern.exec(path.replace(/\\/g, "/"));
  if (!m || m[1] === undefined || m[1] === "") return `the speaker pattern /${speakerPattern.source}/ does not match this path (or its first group is empty)`;
  return { ...info, speaker: `folders-${m[1]}` };
}
