/**
 * `ser features <corpus…> --out DIR [--shard I/N]`: one shard of a corpus's features as a Parquet
 * file (core shards/feature-shards.ts), the unit of work of a Slurm array or a Kubernetes
 * Indexed Job (deploy/). The front end is the one `ser train` would use with the same flags.
 */
import { createShardWriter, MAX_SHARDS, openFrontend, parseShard, type ShardIndex, ShardError, shardFromEnv } from "@ser/core";
import { type FlagSpecs, intFlag, type Parsed, stringFlag } from "../args.ts";
import type { Io } from "../command.ts";
import { UsageError } from "../errors.ts";
import { loadCorpus } from "../io/corpus.ts";
import { createShardFile } from "../io/shard-files.ts";
import { cacheDir, CORPUS_FLAGS, corpusInputs, corpusOptions, WORKER_FLAGS, workerCount } from "./corpus-flags.ts";
import { resolveFlags, TRAINING_FLAGS, trainingSpecInput } from "./training-options.ts";

/** The training flags that decide a clip's features (the rest only matter when training). */
const FRONTEND_FLAGS = ["model", "features", "duration", "sr", "n-mfcc", "prosody", "level-db", "views", "config"] as const;

/** Flags of the corpus form of `ser features`. */
export const SHARD_FLAGS: FlagSpecs = {
  shard: { type: "string", value: "I/N", description: "corpus: write shard I of N (I from 0; default from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX, else 0/1)" },
  "shard-count": { type: "string", value: "N", description: "corpus: the number of shards when the index comes from JOB_COMPLETION_INDEX (a Kubernetes Job's completions)" },
  // --sr and --n-mfcc are the one-file form's flags too (described there).
  ...Object.fromEntries(FRONTEND_FLAGS.filter((f) => f !== "sr" && f !== "n-mfcc").map((f) => [f, { ...TRAINING_FLAGS[f]!, description: `corpus: ${TRAINING_FLAGS[f]!.description}` }])),
  ...CORPUS_FLAGS,
  ...WORKER_FLAGS,
};

/** The shard this process writes: --shard, else the scheduler's array index, else the whole corpus. */
function shardOf(p: Parsed): ShardIndex {
  const flag = stringFlag(p, "shard");
  const countFlag = stringFlag(p, "shard-count");
  try {
    if (flag !== undefined) {
      if (countFlag !== undefined) throw new UsageError("--shard I/N already gives the count: leave out --shard-count.");
      return parseShard(flag);
    }
    const count = countFlag === undefined ? undefined : intFlag(p, "shard-count", 1, 1, MAX_SHARDS);
    const fromEnv = shardFromEnv(Deno.env.toObject(), count);
    if (fromEnv) return fromEnv;
    if (count !== undefined) throw new UsageError("--shard-count needs the index from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID; give --shard I/N otherwise.");
    return { index: 0, count: 1 };
  } catch (e) {
    if (e instanceof ShardError) throw new UsageError(e.message);
    throw e;
  }
}

export async function runCorpusFeatures(p: Parsed, io: Io): Promise<void> {
  const inputs = corpusInputs(p, "features");
  const out = stringFlag(p, "out");
  if (!out) throw new UsageError("features of a corpus need --out DIR, the folder the shard files go to.");
  const shard = shardOf(p);
  const spec = resolveFlags(trainingSpecInput(p));
  const corpus = corpusOptions(p);
  const frontend = await openFrontend(spec.frontend);
  const file = createShardFile(out, shard);
  const writer = createShardWriter({ write: (b) => file.write(b), shard, frontend: spec.frontend, size: frontend.size, views: spec.views, inputs, labelling: { labels: corpus.labels, manifest: corpus.manifest !== undefined } });
  const t0 = performance.now();
  let rows = 0;
  let lastDraw = 0;
  const what = `shard ${shard.index}/${shard.count}`;
  try {
    const loaded = await loadCorpus(inputs, {
      ...corpus,
      frontend,
      workers: workerCount(p),
      cacheDir: cacheDir(p),
      views: spec.views,
      shard,
      sink: (item, order) => {
        writer.add(item, order);
        rows++;
        const now = performance.now();
        if (io.stderrIsTerminal && now - lastDraw > 200) {
          lastDraw = now;
          void io.stderr(`\r\x1b[2K${what}: ${rows} recordings, ${(rows / ((now - t0) / 1000)).toFixed(1)}/s`);
        }
      },
    });
    writer.finish({ skipped: loaded.summary.skipped, filesSeen: loaded.filesSeen });
    file.commit();
    const s = (performance.now() - t0) / 1000;
    if (io.stderrIsTerminal) await io.stderr("\r\x1b[2K");
    const skipped = loaded.summary.skipped;
    for (const k of skipped.slice(0, 20)) await io.stderr(`skipped ${k.path}: ${k.reason}\n`);
    if (skipped.length > 20) await io.stderr(`… and ${skipped.length - 20} more skipped\n`);
    await io.stdout(`${what}: wrote ${rows} recordings' ${spec.frontend.kind} features (${frontend.size} values${spec.views.length ? `, views ${spec.views.join(", ")}` : ""}) to ${file.path} (${(file.bytes / 2 ** 20).toFixed(1)} MiB) in ${s.toFixed(1)} s, ${(rows / s).toFixed(1)} recordings/s; ${skipped.length} skipped; ${loaded.filesSeen} files in the corpus\n`);
  } catch (e) {
    file.abort();
    throw e;
  }
}

/** The corpus form's own flags that were given (they make `ser features` read a corpus). */
export function corpusFlagsGiven(p: Parsed): string[] {
  return Object.keys(SHARD_FLAGS).filter((f) => p.values[f] !== undefined);
}
