/**
 * Features as Parquet shards through the real CLI: N shard processes over the shared corpora
 * train the same model as the audio; a killed shard leaves no file and its rerun completes the
 * set; an independent Parquet reader (parquet-wasm: arrow-rs in WebAssembly) reads the same
 * values; the Slurm and Kubernetes files' own command lines run as their schedulers would run them.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import * as parquetWasm from "parquet-wasm/esm";
import { openShardSet, readShardItems, shardFileName } from "@ser/core";
import { REPO_ROOT } from "../core/test/helpers.ts";

const SHARED = join(REPO_ROOT, "..", "shared", "datasets");
const CORPORA = ["ravdess", "emodb", "nemo"].map((d) => join(SHARED, d));
const EMODB = join(SHARED, "emodb");
/** A fast front end for the plumbing (features are byte-compared, so any front end proves it). */
const FRONT = ["--features", "stats", "--prosody", "off", "--views", "none"];
const TRAIN = ["--epochs", "2", "--seed", "5"];

function spawn(args: string[], env: Record<string, string> = {}, cmd: string = Deno.execPath()) {
  return new Deno.Command(cmd, {
    args,
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { XDG_RUNTIME_DIR: Deno.env.get("XDG_RUNTIME_DIR") ?? "/tmp", XDG_CACHE_HOME: join(tmp, "cache"), SOURCE_DATE_EPOCH: "1700000000", ...env },
  }).spawn();
}
const cli = (args: string[], env: Record<string, string> = {}) => spawn(["run", "-A", join(REPO_ROOT, "packages/cli/main.ts"), ...args], env);

async function run(child: Deno.ChildProcess): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function ok(child: Deno.ChildProcess, what: string): Promise<string> {
  const r = await run(child);
  assert.equal(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const tmp = Deno.makeTempDirSync({ prefix: "ser-shards-" });

/** A bundle's files; ser.json without the fit's wall-clock timings (the only thing that may differ). */
function bundle(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const bytes = readFileSync(join(dir, name));
    out[name] = name === "ser.json"
      ? JSON.stringify(JSON.parse(bytes.toString("utf8")), (k, v) => (k === "seconds" || k === "samplesPerSecond" ? undefined : v))
      : bytes.toString("base64");
  }
  return out;
}

Deno.test("ser features --shard I/N: 1, 2 and 3 shard processes over the shared corpora train the model the audio trains", async () => {
  const fromAudio = join(tmp, "model-audio");
  await ok(cli(["train", ...CORPORA, ...FRONT, ...TRAIN, "--out", fromAudio, "--cache", "off"]), "train from audio");
  for (const n of [1, 2, 3]) {
    const dir = join(tmp, `shards-${n}`);
    // The N processes at once, as an array job runs them (one worker each on these 2 cores).
    const outs = await Promise.all(Array.from({ length: n }, (_, i) => ok(cli(["features", ...CORPORA, ...FRONT, "--out", dir, "--shard", `${i}/${n}`, "--workers", "1"]), `shard ${i}/${n}`)));
    for (const [i, o] of outs.entries()) assert.match(o, new RegExp(`shard ${i}/${n}: wrote \\d+ recordings' stats features`));
    assert.deepEqual(readdirSync(dir).sort(), Array.from({ length: n }, (_, i) => shardFileName({ index: i, count: n })));
    const model = join(tmp, `model-${n}`);
    const t = await ok(cli(["train", "--features", dir, ...TRAIN, "--out", model]), `train from ${n} shards`);
    assert.match(t, /protocol: speaker-independent split/);
    assert.deepEqual(bundle(model), bundle(fromAudio), `${n} shards: the bundle differs from the one trained on the audio`);
  }
  // cv and evaluate read shards too, with the same figures as from the audio.
  const evalShards = await ok(cli(["evaluate", "--model", fromAudio, "--features", join(tmp, "shards-3")]), "evaluate from shards");
  const evalAudio = await ok(cli(["evaluate", "--model", fromAudio, ...CORPORA, "--cache", "off"]), "evaluate from audio");
  assert.equal(evalShards, evalAudio);
  const cv = await ok(cli(["cv", "--features", join(tmp, "shards-2"), "--folds", "2", ...TRAIN]), "cv from shards");
  assert.match(cv, /one clip/i);
});

Deno.test("ser features: an independent Parquet reader (parquet-wasm) reads the shards' rows and values", async () => {
  const dir = join(tmp, "shards-2");
  if (!existsSync(dir)) await Promise.all([0, 1].map((i) => ok(cli(["features", ...CORPORA, ...FRONT, "--out", dir, "--shard", `${i}/2`, "--workers", "1"]), `shard ${i}/2`)));
  const wasm = createRequire(import.meta.url).resolve("parquet-wasm/esm/parquet_wasm_bg.wasm");
  await parquetWasm.default({ module_or_path: readFileSync(wasm) });
  const names = readdirSync(dir).sort();
  const set = await openShardSet(names.map((name) => ({ name, file: readFileSync(join(dir, name)).buffer as ArrayBuffer })), dir);
  const read = await readShardItems(set, []);
  const ours = new Map(read.items.map((i) => [i.path, i]));
  // RAVDESS holds one recording twice (Actor_07's 03-01-03-01-02-01-07 and -02-07, byte for
  // byte): one reading keeps the first, wherever the two land.
  const duplicates = new Set(read.skipped.filter((s) => s.reason.startsWith("duplicate: same bytes")).map((s) => s.path));
  assert.ok(duplicates.has(join(SHARED, "ravdess/Actor_07/03-01-03-01-02-02-07.wav")), [...duplicates].join(", "));
  let rows = 0;
  for (const name of names) {
    const table = tableFromIPC(parquetWasm.readParquet(readFileSync(join(dir, name))).intoIPCStream());
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    assert.equal(types.features, "List<Float32>");
    assert.equal(types.path, "Utf8");
    for (const row of table) {
      const item = ours.get(row.path as string);
      if (duplicates.has(row.path as string)) continue;
      rows++;
      assert.ok(item, `${row.path} read by parquet-wasm but not by hyparquet`);
      assert.equal(row.speaker, item.speaker);
      assert.equal(row.emotion, item.emotion);
      assert.equal(row.duration_s, item.durationS);
      assert.deepEqual(Array.from(row.features.toArray() as Float32Array), Array.from(item.features));
    }
  }
  assert.equal(rows, ours.size, "every row hyparquet reads, parquet-wasm reads");
  assert.ok(rows > 2400, `${rows} rows`);
});

Deno.test("ser features: a shard killed mid-write leaves no shard file, and running it again completes the set", async () => {
  const dir = join(tmp, "killed");
  const emodb = [EMODB];
  await ok(cli(["features", ...emodb, ...FRONT, "--out", dir, "--shard", "0/2", "--workers", "1"]), "shard 0/2");
  const partial = join(dir, `${shardFileName({ index: 1, count: 2 })}.partial`);
  // Without the feature cache (the first test filled it), so the shard is still computing when killed.
  const child = cli(["features", ...emodb, ...FRONT, "--out", dir, "--shard", "1/2", "--workers", "1", "--cache", "off"]);
  const deadline = Date.now() + 60_000;
  while (!existsSync(partial) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(existsSync(partial), "the shard never started writing");
  await new Promise((r) => setTimeout(r, 500));
  let killed = true;
  try {
    child.kill("SIGKILL");
  } catch {
    killed = false;
  }
  const status = await child.status;
  assert.ok(killed && status.signal === "SIGKILL", `the shard finished before it could be killed (${JSON.stringify(status)})`);
  assert.ok(!existsSync(join(dir, shardFileName({ index: 1, count: 2 }))), "a killed shard left a file that looks complete");
  const incomplete = await run(cli(["train", "--features", dir, "--out", join(tmp, "m-killed"), ...TRAIN]));
  assert.equal(incomplete.code, 1, incomplete.stderr);
  assert.match(incomplete.stderr, /lacks 1 of its 2 shards \(shard-00001-of-00002\.parquet\): run those shards \(--shard I\/2\) again/);
  await ok(cli(["features", ...emodb, ...FRONT, "--out", dir, "--shard", "1/2", "--workers", "1"]), "shard 1/2 again");
  assert.ok(!existsSync(partial));
  await ok(cli(["train", "--features", dir, "--out", join(tmp, "m-rerun"), ...TRAIN]), "train after the rerun");
});

Deno.test("ser train --features: shards that do not fit the flags are refused, naming what differs", async () => {
  const dir = join(tmp, "killed");
  const r = await run(cli(["train", "--features", dir, "--duration", "3", "--out", join(tmp, "m-x"), ...TRAIN]));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /durationS: 2\.5 in the shards, 3 asked/);
  const views = await run(cli(["train", "--features", dir, "--views", "narrowband", "--out", join(tmp, "m-y"), ...TRAIN]));
  assert.match(views.stderr, /uses the narrowband view, which the shards do not hold/);
  const both = await run(cli(["train", EMODB, "--features", dir, "--out", join(tmp, "m-z")]));
  assert.match(both.stderr, /reads the corpus from its shards: give no recordings as well/);
  const bad = await run(cli(["features", EMODB, "--out", join(tmp, "bad"), "--shard", "2/2"]));
  assert.match(bad.stderr, /--shard: the shard index must be an integer from 0 to 1/);
  assert.ok(!existsSync(join(tmp, "bad")), "a refused run created its output folder");
});

Deno.test("deploy/: the Slurm array script and the Kubernetes Indexed Job run their command lines with the scheduler's index", async () => {
  // Slurm: the script itself, once per array task, with the variables sbatch --array=0-2 sets.
  const slurm = join(tmp, "slurm");
  await Promise.all([0, 1, 2].map((i) =>
    ok(spawn([join(REPO_ROOT, "deploy/slurm/features.sbatch"), slurm, EMODB, ...FRONT], { SLURM_ARRAY_TASK_ID: String(i), SLURM_ARRAY_TASK_COUNT: "3", SLURM_ARRAY_TASK_MIN: "0", SLURM_SUBMIT_DIR: REPO_ROOT, SLURM_CPUS_PER_TASK: "1", PATH: Deno.env.get("PATH")! }, "bash"), `slurm task ${i}`)
  ));
  const trainOut = await ok(spawn([join(REPO_ROOT, "deploy/slurm/train.sbatch"), slurm, join(tmp, "m-slurm"), ...TRAIN], { SLURM_SUBMIT_DIR: REPO_ROOT, PATH: Deno.env.get("PATH")! }, "bash"), "slurm train");
  assert.match(trainOut, /saved to/);
  // Kubernetes: the container's args from the Job (the image's entrypoint is the CLI), once per
  // completion index, with /data the shared volume.
  const yaml = readFileSync(join(REPO_ROOT, "deploy/kubernetes/features-job.yaml"), "utf8");
  const completions = Number(/^\s*completions:\s*(\d+)/m.exec(yaml)![1]);
  const args = JSON.parse(/^\s*args:\s*(\[.*\])\s*$/m.exec(yaml)![1]!) as string[];
  assert.equal(args[args.indexOf("--shard-count") + 1], String(completions), "--shard-count must equal the Job's completions");
  const data = join(tmp, "k8s-data");
  Deno.mkdirSync(data);
  symlinkSync(EMODB, join(data, "corpus"));
  const local = args.map((a) => a.replaceAll("/data", data));
  for (let i = 0; i < completions; i += 2) {
    await Promise.all([i, i + 1].filter((k) => k < completions).map((k) => ok(cli([...local, ...FRONT], { JOB_COMPLETION_INDEX: String(k) }), `pod ${k}`)));
  }
  assert.equal(readdirSync(join(data, "shards")).length, completions);
  await ok(cli(["train", "--features", join(data, "shards"), "--out", join(tmp, "m-k8s"), ...TRAIN]), "train from the Job's shards");
});
