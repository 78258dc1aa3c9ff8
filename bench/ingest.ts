/**
 * Ingestion of the whole shared RAVDESS subset as `ser train` does it (read, decode, resample
 * 48 -> 16 kHz, trim, features, normalise): in-process versus the worker pool, plus the
 * librosa-style path in numpy/scipy (bench/mfcc_numpy.py, one process) as the peer.
 *   deno run -A bench/ingest.ts [--dir PATH] [--json]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createFrontend, DEFAULT_FRONTEND } from "@ser/core";
import { loadCorpus } from "../packages/cli/src/io/corpus.ts";
import { defaultWorkerCount } from "../packages/cli/src/io/feature-pool.ts";

const { values } = parseArgs({ args: Deno.args, options: { dir: { type: "string" }, json: { type: "boolean" } } });
const dir = values.dir ?? join(import.meta.dirname!, "..", "..", "shared", "datasets", "ravdess");
const frontend = createFrontend({ ...DEFAULT_FRONTEND, kind: "mfcc" });
const time = async (workers: number) => {
  const t0 = performance.now();
  const { items } = await loadCorpus([dir], { dataset: "auto", labels: {}, frontend, workers });
  return { seconds: (performance.now() - t0) / 1000, items: items.length };
};
await time(1); // warm-up: JIT, file cache
const one = await time(1);
const pool = defaultWorkerCount();
const many = await time(pool);
const rows = [
  { figure: `CLI: ingest RAVDESS subset (${one.items} files), 1 worker`, unit: "s", lowerIsBetter: true, ours: one.seconds },
  { figure: `CLI: ingest RAVDESS subset, ${pool} workers`, unit: "s", lowerIsBetter: true, ours: many.seconds, peer: { name: "same, 1 worker", value: one.seconds } },
];
if (values.json) console.log(JSON.stringify(rows));
else for (const r of rows) console.log(`${r.figure}: ${r.ours.toFixed(2)} s${r.peer ? ` (speed-up ${(r.peer.value / r.ours).toFixed(2)}x)` : ""}`);
