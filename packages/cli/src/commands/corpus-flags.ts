import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { DATASET_CHOICES, type DatasetChoice, DATASETS, type LabelPolicy, type Manifest, parseEmotionList, parseManifest, parseMerge, SerError } from "@ser/core";
import { choiceFlag, type FlagSpecs, intFlag, type Parsed, stringFlag } from "../args.ts";
import { UsageError } from "../errors.ts";
import { defaultWorkerCount } from "../io/feature-pool.ts";
import { defaultCacheDir } from "../io/feature-cache.ts";

/** Flags shared by every command that reads a corpus (info, train, evaluate, …). */
export const CORPUS_FLAGS: FlagSpecs = {
  dataset: { type: "string", value: "NAME", description: `auto, ${DATASETS.join(", ")}, folders (default auto: detected per file; folder-per-label, happy/x.wav, when no scheme matches)` },
  emotions: { type: "string", value: "LIST", description: "keep only these emotions, e.g. angry,happy,neutral,sad" },
  merge: { type: "string", value: "A=B", description: "relabel emotion A as B before filtering, e.g. calm=neutral", multiple: true },
  "speaker-pattern": { type: "string", value: "REGEX", description: "folder-per-label data: the speaker is this pattern's first capture group on the file's path, e.g. '/(spk\\d+)_'" },
  manifest: { type: "string", value: "FILE.csv", description: "labels from a CSV with columns path,emotion,speaker (optional gender,dataset); paths relative to it; without other paths, its folder is read" },
};

/** For commands that compute features over a corpus (train, cv, evaluate). */
export const WORKER_FLAGS: FlagSpecs = {
  workers: { type: "string", value: "N", description: `feature-extraction workers (default ${defaultWorkerCount()}: one per core, at most 8; 1 = in-process)` },
  cache: { type: "string", value: "DIR|off", description: `reuse features computed before, keyed by file content and front end (default ${defaultCacheDir()}; safe to delete; off: no cache)` },
};

/** The feature cache folder the flags ask for, or undefined with --cache off. */
export function cacheDir(p: Parsed): string | undefined {
  const v = stringFlag(p, "cache");
  if (v === "off") return undefined;
  return v || defaultCacheDir();
}

export function workerCount(p: Parsed): number {
  return intFlag(p, "workers", defaultWorkerCount(), 1, 64);
}

/**
 * The folders, zips and files a corpus command reads: its positionals, or with --manifest and
 * none, the manifest's folder. `what` completes "<command> needs …" when there are none.
 */
export function corpusInputs(p: Parsed, command: string, what = "at least one folder or zip of recordings"): string[] {
  if (p.positionals.length > 0) return p.positionals;
  const manifest = stringFlag(p, "manifest");
  if (manifest) return [dirname(manifest)];
  throw new UsageError(`${command} needs ${what} (or --manifest FILE.csv).`);
}

function readManifest(path: string): Manifest {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`--manifest: cannot read '${path}': ${(e as Error).message}`);
  }
  try {
    return parseManifest(text, path);
  } catch (e) {
    if (e instanceof SerError) throw new UsageError(`--manifest: ${e.message}`);
    throw e;
  }
}

function speakerPattern(text: string): RegExp {
  let re;
  try {
    re = new RegExp(text);
  } catch (e) {
    throw new UsageError(`--speaker-pattern: '${text}' is not a regular expression: ${(e as Error).message}`);
  }
  if (new RegExp(`${re.source}|`).exec("")!.length < 2) throw new UsageError(`--speaker-pattern: '${text}' has no capture group; the first group (…) is the speaker.`);
  return re;
}

export function corpusOptions(p: Parsed): { dataset: DatasetChoice; labels: LabelPolicy; manifest?: Manifest; speakerPattern?: RegExp } {
  const dataset = choiceFlag<DatasetChoice>(p, "dataset", DATASET_CHOICES, "auto");
  const pattern = stringFlag(p, "speaker-pattern");
  const manifestPath = stringFlag(p, "manifest");
  const manifest = manifestPath ? readManifest(manifestPath) : undefined;
  const labels: LabelPolicy = {};
  try {
    const emotions = stringFlag(p, "emotions");
    if (emotions !== undefined) labels.keep = parseEmotionList(emotions);
    const merges = p.values.merge;
    const list = Array.isArray(merges) ? merges : typeof merges === "string" ? [merges] : [];
    if (list.length > 0) labels.merge = parseMerge(list.join(","));
  } catch (e) {
    if (e instanceof SerError) throw new UsageError(e.message);
    throw e;
  }
  return { dataset, labels, ...(manifest ? { manifest } : {}), ...(pattern !== undefined ? { speakerPattern: speakerPattern(pattern) } : {}) };
}
