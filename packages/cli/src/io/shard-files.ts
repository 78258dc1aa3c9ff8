import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { openShardSet, parseShardFileName, type ShardIndex, type ShardSet, shardFileName } from "@ser/core";
import { UsageError } from "../errors.ts";

/**
 * One shard's file, written to NAME.partial and renamed to NAME once complete: a failed or
 * killed process leaves no file that looks whole, and running its shard again replaces the
 * partial one.
 */
export function createShardFile(dir: string, shard: ShardIndex) {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`--out: cannot create the folder '${dir}': ${(e as Error).message}`);
  }
  const path = join(dir, shardFileName(shard));
  const partial = `${path}.partial`;
  const fd = openSync(partial, "w");
  let bytes = 0;
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    path,
    partial,
    get bytes() {
      return bytes;
    },
    write(chunk: Uint8Array) {
      for (let at = 0; at < chunk.length;) at += writeSync(fd, chunk, at);
      bytes += chunk.length;
    },
    /** Makes the file whole: flushed to disk, then renamed over any earlier copy. */
    commit() {
      fsyncSync(fd);
      close();
      renameSync(partial, path);
    },
    abort() {
      close();
      rmSync(partial, { force: true });
    },
  };
}

/**
 * The shard files in a folder as a checked set (feature-shards.ts's openShardSet), each read on
 * demand (a footer, then one row group at a time): a set larger than memory opens fine. Each read
 * opens and closes its file, so nothing stays open whatever the caller does next.
 */
export async function openShardDir(dir: string, flag: string): Promise<ShardSet> {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error("not a folder");
    names = readdirSync(dir).filter((n) => parseShardFileName(n) !== undefined).sort();
  } catch (e) {
    throw new UsageError(`${flag}: cannot read the folder '${dir}': ${(e as Error).message}.`);
  }
  const sources = names.map((name) => {
    const path = join(dir, name);
    const byteLength = statSync(path).size;
    return {
      name,
      file: {
        byteLength,
        slice(start: number, end = byteLength) {
          const out = new Uint8Array(end - start);
          const fd = openSync(path, "r");
          try {
            for (let at = 0; at < out.length;) {
              const n = readSync(fd, out, at, out.length - at, start + at);
              if (n === 0) throw new Error(`${path} ended at byte ${start + at}, before ${end}.`);
              at += n;
            }
          } finally {
            closeSync(fd);
          }
          return out.buffer;
        },
      },
    };
  });
  return await openShardSet(sources, dir);
}
