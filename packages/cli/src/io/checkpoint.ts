import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { FitCheckpoint, SavedTensor } from "@ser/core/ml.ts";

/**
 * Training checkpoints on disk, next to the bundle: DIR.checkpoint/ with checkpoint.json (the
 * state and where each tensor lies) and checkpoint.bin (the tensors' values). Written after
 * every epoch through a temporary folder and a rename, so a crash mid-write leaves the previous
 * checkpoint intact. `fingerprint` ties it to one run (data, options, seed).
 */
export function checkpointDir(out: string): string {
  return `${out.replace(/[/\\]+$/, "")}.checkpoint`;
}

const FORMAT = "ser-checkpoint";

interface TensorRef {
  name: string;
  shape: number[];
  dtype: "float32" | "int32";
  offset: number;
  length: number;
}

export async function writeCheckpoint(dir: string, fingerprint: string, c: FitCheckpoint): Promise<void> {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const ref = (t: SavedTensor): TensorRef => {
    const bytes = new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength).slice();
    chunks.push(bytes);
    const r = { name: t.name, shape: t.shape, dtype: t.dtype, offset, length: t.values.length };
    offset += bytes.length;
    return r;
  };
  const json = {
    format: FORMAT,
    version: 1,
    fingerprint,
    epoch: c.epoch,
    weights: c.weights.map(ref),
    optimizer: c.optimizer.map(ref),
    best: c.best ? { ...c.best, weights: c.best.weights.map(ref) } : undefined,
    adamBetaPowers: c.adamBetaPowers,
    dropoutCalls: c.dropoutCalls,
    sinceBest: c.sinceBest,
    plateauWait: c.plateauWait,
    learningRate: c.learningRate,
    history: c.history,
    stage: c.stage,
  };
  const bin = new Uint8Array(offset);
  let o = 0;
  for (const ch of chunks) {
    bin.set(ch, o);
    o += ch.length;
  }
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${Deno.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, "checkpoint.bin"), bin);
  await writeFile(join(tmp, "checkpoint.json"), JSON.stringify(json));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}

/** The checkpoint in `dir`, or undefined when there is none; a damaged one is an error naming the file. */
export async function readCheckpoint(dir: string): Promise<{ fingerprint: string; checkpoint: FitCheckpoint } | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, "checkpoint.json"), "utf8");
  } catch {
    return undefined;
  }
  const fail = (why: string): never => {
    throw new Error(`checkpoint ${join(dir, "checkpoint.json")} is damaged (${why}); run without --resume to start over.`);
  };
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(`not JSON: ${(e as Error).message}`);
  }
  if (json.format !== FORMAT || json.version !== 1) fail(`format ${json.format} version ${json.version}`);
  let bin: Uint8Array;
  try {
    // A plain Uint8Array: Buffer.slice would return views into a shared pool.
    bin = new Uint8Array(await readFile(join(dir, "checkpoint.bin")));
  } catch {
    return fail("checkpoint.bin is missing");
  }
  const tensor = (r: TensorRef): SavedTensor => {
    const bytes = r.length * 4;
    if (!(r.offset >= 0 && r.offset + bytes <= bin.length)) fail(`tensor ${r.name} lies outside checkpoint.bin`);
    const copy = bin.slice(r.offset, r.offset + bytes).buffer;
    return { name: r.name, shape: r.shape, dtype: r.dtype, values: r.dtype === "int32" ? new Int32Array(copy) : new Float32Array(copy) };
  };
  const checkpoint: FitCheckpoint = {
    epoch: json.epoch,
    weights: json.weights.map(tensor),
    optimizer: json.optimizer.map(tensor),
    best: json.best ? { ...json.best, weights: json.best.weights.map(tensor) } : undefined,
    adamBetaPowers: json.adamBetaPowers,
    dropoutCalls: json.dropoutCalls ?? [],
    sinceBest: json.sinceBest,
    plateauWait: json.plateauWait,
    learningRate: json.learningRate,
    history: json.history,
    ...(json.stage ? { stage: json.stage } : {}),
  };
  return { fingerprint: json.fingerprint, checkpoint };
}
