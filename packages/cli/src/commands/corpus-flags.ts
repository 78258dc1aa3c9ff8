import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { type DatasetChoice, DATASETS, type LabelPolicy, LabellingError, type LabellingField, type Manifest, resolveLabelling } from "@ser/core";
import { type FlagSpecs, intFlag, type Parsed, stringFlag } from "../args.ts";
import { UsageError } from "../errors.ts";
import { defaultWorkerCount } from "../io/feature-pool.ts";
import { defaultCacheDir } from "../io/feature-cache.ts";

/** Flags shared by every command that reads a corpus (info, train, evaluate, …). */
export const CORPUS_FLAGS: FlagSpecs = {
  dataset: { type: "string", value: "NAME", description: `auto, ${DATASETS.join(", ")}, folders (default auto: detected per file; folder-per-label, happy/x.wav, when no scheme matches; with --speaker-pattern matching, any folder name)` },
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

/** Each labelling field's flag, for errors. */
const LABELLING_FLAGS: Record<LabellingField, string> = { dataset: "--dataset", emotions: "--emotions", merge: "--merge", speakerPattern: "--speaker-pattern", manifest: "--manifest" };

function readManifest(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`--manifest: cannot read '${path}': ${(e as Error).message}`);
  }
}

/** The corpus flags as core's labelling (resolveLabelling owns the rules; errors name the flag). */
export function corpusOptions(p: Parsed): { dataset: DatasetChoice; labels: LabelPolicy; manifest?: Manifest; speakerPattern?: RegExp } {
  const manifestPath = stringFlag(p, "manifest");
  const merges = p.values.merge;
  const list = Array.isArray(merges) ? merges : typeof merges === "string" ? [merges] : [];
  try {
    const o = resolveLabelling({
      dataset: stringFlag(p, "dataset"),
      emotions: stringFlag(p, "emotions"),
      merge: list.length > 0 ? list.join(",") : undefined,
      speakerPattern: stringFlag(p, "speaker-pattern"),
      ...(manifestPath ? { manifest: { text: readManifest(manifestPath), source: manifestPath } } : {}),
    });
    return { dataset: o.dataset ?? "auto", labels: o.labels ?? {}, ...(o.manifest ? { manifest: o.manifest } : {}), ...(o.speakerPattern ? { speakerPattern: o.speakerPattern } : {}) };
  } catch (e) {
    if (e instanceof LabellingError) throw new UsageError(`${LABELLING_FLAGS[e.field]}: ${e.message}`);
    throw e;
  }
}
