/**
 * Ingestion of the whole shared RAVDESS subset as `ser train` does it (read, decode, resample
 * 48 -> 16 kHz, trim, features, normalise): in-process versus the worker pool, plus the
 * librosa-style path in numpy/scipy (bench/mfcc_numpy.py, one process) as the peer.
 * The front end is `mfcc` (the sequence models') unless `--features stats` (the default mlp's
 * pooled statistics with prosody, what the page benchmark computes).
 *   deno run -A bench/ingest.ts [--dir PATH] [--features mfcc|stats] [--json]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createFrontend, DEFAULT_FRONTEND } from "@ser/core";
import { loadCorpus, defaultWorkerCount } from "@ser/cli/io";

const { values } = parseArgs({ args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args, options: { dir: { type: "string" }, features: { type: "string", default: "mfcc" }, json: { type: "boolean" } } });
const dir = values.dir ?? join(import.meta.dirname!, "..", "..", "shared", "datasets", "ravdess");
const kind = values.features === "stats" ? "stats" : "mfcc";
const frontend = createFrontend({ ...DEFAULT_FRONTEND, kind, prosody: kind === "stats" });
const label = kind === "stats" ? ", stats + prosody" : "";
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
  { figure: `CLI: ingest RAVDESS subset (${one.items} files${label}), 1 worker`, unit: "s", lowerIsBetter: true, ours: one.seconds },
  { figure: `CLI: ingest RAVDESS subset${label}, ${pool} workers`, unit: "s", lowerIsBetter: true, ours: many.seconds, peer: { name: "same, 1 worker", value: one.seconds } },
];
if (values.json) console.log(JSON.stringify(rows));
else for (const r of rows) console.log(`${r.figure}: ${r.ours.toFixed(2)} s${r.peer ? ` (speed-up ${(r.peer.value / r.ours).toFixed(2)}x)` : ""}`);
