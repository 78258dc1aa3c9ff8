/**
 * --features DIR: train, cv and evaluate read a corpus from feature shards ('ser features
 * <corpus…> --out DIR') instead of recordings. Here: telling a folder from a front end's name,
 * and opening the set checked, with the corpus flags that still apply to its rows.
 */
import { statSync } from "node:fs";
import { type BuiltCorpus, type FeatureView, type Frontend, FRONTEND_KINDS, type LabelPolicy, loadShardCorpus, ShardError, type ShardSet } from "@ser/core";
import type { Parsed } from "../args.ts";
import { UsageError } from "../errors.ts";
import { openShardDir } from "../io/shard-files.ts";
import { CORPUS_FLAGS, corpusOptions } from "./corpus-flags.ts";

/** A checked set of feature shards and how to read it as the corpus (feature-shards.ts). */
export interface ShardFeatures {
  dir: string;
  set: ShardSet;
  /** `labels`: the labelling to apply to the rows (default: --emotions and --merge as given). */
  load(frontend: Frontend, views: readonly FeatureView[], labels?: LabelPolicy): Promise<BuiltCorpus>;
}

/**
 * Whether --features names a folder (of shards) rather than a front end. A value that is neither
 * a front end nor a folder but looks like a path is refused here, as a missing folder.
 */
export function isShardFolder(value: string | undefined): value is string {
  if (value === undefined || (FRONTEND_KINDS as readonly string[]).includes(value)) return false;
  try {
    return statSync(value).isDirectory();
  } catch {
    if (/[/\\.]/.test(value)) throw new UsageError(`--features: there is no folder '${value}' (and it is not a front end: ${FRONTEND_KINDS.join(", ")}).`);
    return false;
  }
}

/** The corpus flags decided when shards are computed (the others act on their rows). */
const DECIDED_IN_SHARDS = Object.keys(CORPUS_FLAGS).filter((f) => f !== "emotions" && f !== "merge");

/**
 * --features DIR for a command that reads a corpus: the set, checked, with the corpus flags that
 * still apply (--emotions, --merge act on the rows; the others were decided when the shards were
 * computed). `inputs` are the command's positionals, which must be none.
 */
export async function openShardFeatures(p: Parsed, dir: string): Promise<ShardFeatures> {
  if (p.positionals.length > 0) throw new UsageError(`--features ${dir} reads the corpus from its shards: give no recordings as well (got ${p.positionals.join(", ")}).`);
  const decided = DECIDED_IN_SHARDS.filter((f) => p.values[f] !== undefined);
  if (decided.length > 0) throw new UsageError(`--${decided[0]} was decided when the shards in ${dir} were computed ('ser features … --${decided[0]}'); --emotions and --merge still apply.`);
  const set = await openShardDir(dir, "--features");
  const { labels } = corpusOptions(p);
  return {
    dir,
    set,
    load: async (frontend, views, policy = labels) => {
      try {
        return await loadShardCorpus(set, frontend, views, policy);
      } catch (e) {
        if (e instanceof ShardError) throw new UsageError(`--features ${dir}: ${e.message}`);
        throw e;
      }
    },
  };
}
