/**
 * Feature shards at scale (docs/scale.md): a synthetic corpus of --clips recordings (the shared
 * corpora's real clips at 16 kHz, repeated with a seeded random gain of ±3 dB and a start offset
 * of up to 0.1 s, so no two files are alike), labelled by a manifest, in folders of 10,000.
 *  1. extraction throughput, on the first folder: one `ser features` process against two shard
 *     processes at once (these 2 cores), each with one worker;
 *  2. the whole corpus through two shard processes at once: clips per second, each process's
 *     peak RSS (/usr/bin/time), shard sizes;
 *  3. `ser train --features` on the whole corpus: time and peak RSS;
 *  4. the same at the built-in model's width (BYOL-S, 512 values and its narrowband view).
 * The front end is --features (default stats without prosody or views, the fastest: this
 * measures the sharding's own costs; an encoder's features only make each clip slower, which the
 * throughput scales by).
 *   pnpm bench:shards-scale [-- --clips 100000 --dir /tmp/ser-scale --features stats --json]
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createRng, createShardWriter, decodeAudio, encodeWav, openShardSet, parseName, readShardItems, resample, shardFileName, shardOfPath } from "@ser/core";
import { readInputs } from "@ser/cli/io";

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args,
  options: {
    clips: { type: "string", default: "100000" },
    dir: { type: "string", default: "/tmp/ser-scale" },
    features: { type: "string", default: "stats" },
    json: { type: "boolean" },
    skip: { type: "string", default: "" },
  },
});
const clips = Number(values.clips);
const root = values.dir!;
const corpus = join(root, "corpus");
const FOLDER = 10_000;
const here = import.meta.dirname!;
const cli = [Deno.execPath(), "run", "-A", join(here, "..", "packages", "cli", "main.ts")];
const front = values.features === "stats" ? ["--features", "stats", "--prosody", "off", "--views", "none"] : ["--features", values.features!];
const skip = new Set(values.skip!.split(",").filter(Boolean));

/** The synthetic corpus, written once (a manifest per folder of 10,000, one for the whole). */
async function generate(): Promise<void> {
  const manifest = join(corpus, "manifest.csv");
  if (existsSync(manifest) && readFileSync(manifest, "utf8").trim().split("\n").length === clips + 1) return;
  rmSync(corpus, { recursive: true, force: true });
  const shared = join(here, "..", "..", "shared", "datasets");
  const sources: { samples: Float32Array; emotion: string; speaker: string }[] = [];
  for await (const ev of readInputs(["ravdess", "emodb", "nemo"].map((d) => join(shared, d)))) {
    if (ev.kind !== "file") continue;
    const info = parseName(ev.path);
    if (typeof info === "string") continue;
    let audio;
    try {
      audio = await decodeAudio(ev.bytes);
    } catch {
      continue;
    }
    sources.push({ samples: audio.sampleRateHz === 16000 ? audio.samples : resample(audio.samples, audio.sampleRateHz, 16000), emotion: info.emotion, speaker: info.speaker });
  }
  const rng = createRng(20261207);
  const all: string[] = ["path,emotion,speaker"];
  let folderRows: string[] = [];
  const t0 = performance.now();
  for (let i = 0; i < clips; i++) {
    const src = sources[i % sources.length]!;
    const gain = 10 ** ((rng.next() * 6 - 3) / 20);
    const offset = Math.floor(rng.next() * 1600);
    const out = new Float32Array(src.samples.length - offset);
    for (let k = 0; k < out.length; k++) out[k] = Math.max(-1, Math.min(1, src.samples[k + offset]! * gain));
    const folder = `part-${String(Math.floor(i / FOLDER)).padStart(3, "0")}`;
    const name = `clip-${String(i).padStart(7, "0")}.wav`;
    mkdirSync(join(corpus, folder), { recursive: true });
    writeFileSync(join(corpus, folder, name), encodeWav(out, 16000));
    // Repeats of one speaker's clips are that speaker (a copy is a new take, not a new voice).
    all.push(`${folder}/${name},${src.emotion},${src.speaker}`);
    folderRows.push(`${name},${src.emotion},${src.speaker}`);
    if ((i + 1) % FOLDER === 0 || i === clips - 1) {
      writeFileSync(join(corpus, folder, "manifest.csv"), ["path,emotion,speaker", ...folderRows].join("\n") + "\n");
      folderRows = [];
    }
  }
  writeFileSync(manifest, all.join("\n") + "\n");
  console.error(`wrote ${clips} clips from ${sources.length} real ones in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

/** One CLI process under /usr/bin/time: wall seconds and peak RSS. */
function timed(args: string[]): Promise<{ seconds: number; peakMiB: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "TIME %e %M", ...cli, ...args], { env: { ...Deno.env.toObject(), XDG_RUNTIME_DIR: Deno.env.get("XDG_RUNTIME_DIR") ?? "/tmp" } });
    let out = "", err = "";
    child.stdout.on("data", (d) => out += d);
    child.stderr.on("data", (d) => err += d);
    child.on("close", (code) => {
      const m = /TIME ([\d.]+) (\d+)\s*$/.exec(err);
      if (code !== 0 || !m) return reject(new Error(`${args.join(" ")} failed (${code}):\n${err}`));
      resolve({ seconds: Number(m[1]), peakMiB: Number(m[2]) / 1024, stdout: out });
    });
  });
}

const shardArgs = (input: string, manifest: string, out: string, shard: string) => ["features", input, "--manifest", manifest, ...front, "--out", out, "--shard", shard, "--workers", "1", "--cache", "off"];
const sizeMiB = (dir: string) => readdirSync(dir).map((n) => statSync(join(dir, n)).size).reduce((a, b) => a + b, 0) / 2 ** 20;

await generate();
const results: Record<string, unknown> = { clips, features: front.join(" ") };
const first = join(corpus, "part-000");
const firstN = Math.min(FOLDER, clips);
if (!skip.has("throughput")) {
  const one = await timed(shardArgs(first, join(first, "manifest.csv"), join(root, "t1"), "0/1"));
  const two = await Promise.all([0, 1].map((i) => timed(shardArgs(first, join(first, "manifest.csv"), join(root, "t2"), `${i}/2`))));
  const twoS = Math.max(...two.map((r) => r.seconds));
  results.throughput = { clips: firstN, oneProcess: { seconds: one.seconds, clipsPerS: firstN / one.seconds, peakMiB: one.peakMiB }, twoProcesses: { seconds: twoS, clipsPerS: firstN / twoS, peakMiB: two.map((r) => r.peakMiB) }, speedup: one.seconds / twoS };
  console.error(JSON.stringify(results.throughput));
}
const shards = join(root, "shards");
if (!skip.has("extract")) {
  rmSync(shards, { recursive: true, force: true });
  const two = await Promise.all([0, 1].map((i) => timed(shardArgs(corpus, join(corpus, "manifest.csv"), shards, `${i}/2`))));
  const s = Math.max(...two.map((r) => r.seconds));
  results.extract = { seconds: s, clipsPerS: clips / s, peakMiB: two.map((r) => r.peakMiB), shardMiB: readdirSync(shards).map((n) => statSync(join(shards, n)).size / 2 ** 20), totalMiB: sizeMiB(shards), lines: two.map((r) => r.stdout.trim()) };
  console.error(JSON.stringify(results.extract));
}
if (!skip.has("train")) {
  const model = join(root, "model");
  const t = await timed(["train", "--features", shards, "--out", model, "--epochs", "5"]);
  results.train = { seconds: t.seconds, peakMiB: t.peakMiB, summary: t.stdout.trim().split("\n").at(-1) };
  console.error(JSON.stringify(results.train));
}
/**
 * 4. Training at the built-in model's width: BYOL-S shards of the shared corpora (features from
 * the cache when present), their rows repeated under new paths to --clips rows (each copy in the
 * shard its new path hashes to), then `ser train --features` on them: time and peak RSS of a
 * head on 10⁵ × 512 features, what the stats rows above cannot show.
 */
if (!skip.has("wide")) {
  const shared = join(here, "..", "..", "shared", "datasets");
  const real = join(root, "byol-s-real");
  rmSync(real, { recursive: true, force: true });
  await timed(["features", ...["ravdess", "emodb", "nemo"].map((d) => join(shared, d)), "--out", real]);
  const names = readdirSync(real).sort();
  const set = await openShardSet(names.map((name) => ({ name, file: readFileSync(join(real, name)).buffer as ArrayBuffer })), real);
  const { items } = await readShardItems(set, set.header.views);
  const wide = join(root, "byol-s-100k");
  rmSync(wide, { recursive: true, force: true });
  mkdirSync(wide, { recursive: true });
  const count = 2;
  const files = Array.from({ length: count }, (_, index) => {
    const path = join(wide, shardFileName({ index, count }));
    writeFileSync(path, new Uint8Array(0));
    return { path, writer: createShardWriter({ write: (b) => appendFileSync(path, b), shard: { index, count }, frontend: set.header.frontend, size: set.header.size, views: set.header.views, inputs: ["synthetic"], labelling: { labels: {}, manifest: false } }) };
  });
  for (let i = 0; i < clips; i++) {
    const src = items[i % items.length]!;
    // A copy is a new take of the same speaker: its own name (one reading keeps one file per
    // name and speaker of a built-in corpus), bytes and audio hash.
    const copy = Math.floor(i / items.length);
    const [folder, name] = src.path.split("/").slice(-2) as [string, string];
    const path = `synthetic/copy-${copy}/${folder}/${name.replace(/(\.[^.]+)$/, `_copy${copy}$1`)}`;
    const wave = new Float32Array([i]);
    files[shardOfPath(path, count)]!.writer.add({ ...src, path, contentHash: `${src.contentHash}-${i}`, wave }, i);
  }
  for (const f of files) f.writer.finish({ skipped: [], filesSeen: clips });
  const t = await timed(["train", "--features", wide, "--out", join(root, "model-512"), "--epochs", "5"]);
  results.wide = { rows: clips, dims: set.header.size, views: set.header.views, shardMiB: sizeMiB(wide), seconds: t.seconds, peakMiB: t.peakMiB, summary: t.stdout.trim().split("\n").at(-1) };
  console.error(JSON.stringify(results.wide));
}
if (values.json) console.log(JSON.stringify(results, null, 1));
else console.log(results);

