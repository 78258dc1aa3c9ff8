/**
 * Which shard of a corpus a process computes, and which files belong to it. A shard is I of N
 * (I from 0 to N−1, as a Slurm array `0-(N-1)` and a Kubernetes Indexed Job number their tasks);
 * a file belongs to the shard its path hashes to, so a rerun of one shard writes the same rows
 * whatever the others did.
 */
import { audioFileKind } from "../audio/decode-audio.ts";
import { contentHash } from "../data/hash.ts";
import { pathParts } from "../data/naming.ts";
import { SerError } from "../errors.ts";

export interface ShardIndex {
  index: number;
  count: number;
}

/** A shard setting that cannot be used, naming where it came from (the flag or the variable). */
export class ShardError extends SerError {
  constructor(message: string) {
    super("invalid-input", message);
    this.name = "ShardError";
  }
}

/** The most shards a corpus is cut into (file names carry five digits). */
export const MAX_SHARDS = 99999;

function checked(index: number, count: number, source: string): ShardIndex {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS) throw new ShardError(`${source}: the shard count must be an integer from 1 to ${MAX_SHARDS}, got ${count}.`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new ShardError(`${source}: the shard index must be an integer from 0 to ${count - 1} (shards are numbered from 0), got ${index}.`);
  return { index, count };
}

const integer = (text: string): number => /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;

/** "I/N", as `--shard` takes it. */
export function parseShard(text: string, source = "--shard"): ShardIndex {
  const m = /^\s*([^/]*)\/([^/]*)$/.exec(text);
  if (!m) throw new ShardError(`${source} must be I/N (shard I of N, I from 0), got '${text}'.`);
  return checked(integer(m[1]!), integer(m[2]!), source);
}

/**
 * The shard a scheduler's array task is, from its environment: Slurm's SLURM_ARRAY_TASK_ID
 * (less SLURM_ARRAY_TASK_MIN, so `--array=1-4` works too) of SLURM_ARRAY_TASK_COUNT, or a
 * Kubernetes Indexed Job's JOB_COMPLETION_INDEX of `count` (its `completions`, which the pod is
 * not told). Undefined when no scheduler set an index.
 */
export function shardFromEnv(env: Readonly<Record<string, string | undefined>>, count?: number): ShardIndex | undefined {
  const slurm = env.SLURM_ARRAY_TASK_ID;
  if (slurm !== undefined && slurm !== "") {
    const n = env.SLURM_ARRAY_TASK_COUNT;
    const total = count ?? (n !== undefined ? integer(n) : NaN);
    if (Number.isNaN(total)) throw new ShardError("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: run as an array job (sbatch --array=0-(N-1)) or give --shard I/N.");
    const min = env.SLURM_ARRAY_TASK_MIN !== undefined ? integer(env.SLURM_ARRAY_TASK_MIN) : 0;
    return checked(integer(slurm) - min, total, "SLURM_ARRAY_TASK_ID");
  }
  const k8s = env.JOB_COMPLETION_INDEX;
  if (k8s !== undefined && k8s !== "") {
    if (count === undefined) throw new ShardError("JOB_COMPLETION_INDEX is set: give the Job's completions as --shard-count N (the pod is not told it).");
    return checked(integer(k8s), count, "JOB_COMPLETION_INDEX");
  }
  return undefined;
}

/** The shard a file belongs to: its path's hash, modulo the count. */
export function shardOfPath(path: string, count: number): number {
  // 32 bits of the 64-bit content hash of the path's UTF-8 bytes: uniform enough for any count.
  return parseInt(contentHash(new TextEncoder().encode(path)).slice(0, 8), 16) % count;
}

/**
 * Whether a shard's process reads a file: audio only if it belongs to the shard; every other
 * file (a corpus's speaker table, a note) in every shard, so each reading knows the genders
 * and reports the same skips.
 */
export function readsInShard(path: string, shard: ShardIndex): boolean {
  return audioFileKind(pathParts(path).at(-1) ?? path) === undefined || shardOfPath(path, shard.count) === shard.index;
}

/** "shard-00001-of-00003.parquet": sorts in index order, and says how many make the set. */
export function shardFileName(s: ShardIndex): string {
  const pad = (n: number) => String(n).padStart(5, "0");
  return `shard-${pad(s.index)}-of-${pad(s.count)}.parquet`;
}

/** The shard a file name states, or undefined for other files. */
export function parseShardFileName(name: string): ShardIndex | undefined {
  const m = /^shard-(\d{5})-of-(\d{5})\.parquet$/.exec(name);
  return m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
}
