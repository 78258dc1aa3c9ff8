import { type DatasetChoice, DATASETS, type LabelPolicy, parseEmotionList, parseMerge, SerError } from "@ser/core";
import { choiceFlag, type FlagSpecs, intFlag, type Parsed, stringFlag } from "../args.ts";
import { UsageError } from "../errors.ts";
import { defaultWorkerCount } from "../io/feature-pool.ts";

/** Flags shared by every command that reads a corpus (info, train, evaluate, …). */
export const CORPUS_FLAGS: FlagSpecs = {
  dataset: { type: "string", value: "NAME", description: `auto, ${DATASETS.join(", ")} (default auto: detected per file)` },
  emotions: { type: "string", value: "LIST", description: "keep only these emotions, e.g. angry,happy,neutral,sad" },
  merge: { type: "string", value: "A=B", description: "relabel emotion A as B before filtering, e.g. calm=neutral", multiple: true },
};

/** For commands that compute features over a corpus (train, cv, evaluate). */
export const WORKER_FLAGS: FlagSpecs = {
  workers: { type: "string", value: "N", description: `feature-extraction workers (default ${defaultWorkerCount()}: one per core, at most 8; 1 = in-process)` },
};

export function workerCount(p: Parsed): number {
  return intFlag(p, "workers", defaultWorkerCount(), 1, 64);
}

export function corpusOptions(p: Parsed): { dataset: DatasetChoice; labels: LabelPolicy } {
  const dataset = choiceFlag<DatasetChoice>(p, "dataset", ["auto", ...DATASETS], "auto");
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
  return { dataset, labels };
}
