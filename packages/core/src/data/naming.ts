import type { DatasetName, Gender, NameInfo } from "./corpus.ts";
import { looksLikeCremaD, parseCremaD } from "./parsers/crema-d.ts";
import { looksLikeRavdess, parseRavdess } from "./parsers/ravdess.ts";
import { looksLikeSavee, parseSavee } from "./parsers/savee.ts";
import { looksLikeTess, parseTess } from "./parsers/tess.ts";
import { looksLikeEmodb, parseEmodb } from "./parsers/emodb.ts";

export type DatasetChoice = DatasetName | "auto";

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
  return undefined;
}

/**
 * Reads a recording's metadata from its path. With dataset "auto" the scheme is detected per
 * file, so several corpora can be mixed in one input. Returns the reason when it cannot.
 */
export function parseName(
  path: string,
  dataset: DatasetChoice = "auto",
  cremaGenders?: ReadonlyMap<string, Gender>,
): NameInfo | string {
  const parts = pathParts(path);
  const base = parts[parts.length - 1] ?? "";
  const parent = parts[parts.length - 2] ?? "";
  const which = dataset === "auto" ? detectDataset(path) : dataset;
  switch (which) {
    case "ravdess":
      return parseRavdess(base);
    case "crema-d":
      return parseCremaD(base, cremaGenders);
    case "tess":
      return parseTess(base);
    case "savee":
      return parseSavee(base, parent);
    case "emodb":
      return parseEmodb(base);
    default:
      return "file name matches no known dataset (RAVDESS, SAVEE, CREMA-D, TESS, EmoDB); pass the dataset explicitly if it is one of them";
  }
}
