/**
 * Inference latency as `ser predict` and the live page meet it: one 2.5 s clip (16-bit 48 kHz
 * WAV bytes, cut from the shared RAVDESS clips) through a loaded predictor, decode -> resample ->
 * front end (BYOL-S for the default mlp) -> normalisation -> model -> probabilities; and one live
 * window pushed into a live session as the page does every 0.5 s (its window is the bundle's clip
 * length). The bundle is the default `ser train` on a 3-actor slice for one epoch: weights do not
 * change the time. Median and 95th percentile over 60 clips after 5 warm-up calls, one core.
 * Then `ser predict --timeline` on a 1-hour 48 kHz WAV (windows of the clip length, every clip
 * length) as a user runs it: wall time and peak RSS (/usr/bin/time).
 *   deno run -A bench/inference.ts [--backend auto|webgpu|wasm|cpu] [--features F] [--no-timeline] [--json]
 * --features trains the bundle on another front end (e.g. stats: pooled MFCC statistics and
 * prosody, no speech encoder).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { decodeAudio, decodeWav, encodeWav } from "@ser/core";
import { type BackendChoice, createPredictor, loadBundle, type ModelName, readBundleMeta, selectBackend } from "@ser/core/ml.ts";
import { readBundle } from "@ser/cli/io";
import { writeLongWav } from "./long-wav.ts";

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args,
  options: { backend: { type: "string", default: "auto" }, features: { type: "string" }, "no-timeline": { type: "boolean" }, json: { type: "boolean" } },
});
const here = import.meta.dirname!;
const ravdess = join(here, "..", "..", "shared", "datasets", "ravdess");
const work = mkdtempSync(join(tmpdir(), "ser-bench-inference-"));
try {
  // A default bundle, trained quickly on a slice (the CLI's own train).
  const slice = join(work, "data");
  for (const actor of ["01", "02", "03"]) {
    Deno.mkdirSync(join(slice, `Actor_${actor}`), { recursive: true });
    for (const f of readdirSync(join(ravdess, `Actor_${actor}`))) Deno.copyFileSync(join(ravdess, `Actor_${actor}`, f), join(slice, `Actor_${actor}`, f));
  }
  const bundleDir = join(work, "model");
  const t = spawnSync(Deno.execPath(), ["run", "-A", join(here, "..", "packages", "cli", "main.ts"), "train", slice, "--out", bundleDir, "--epochs", "1", "--validation-size", "0", "--test-actors", "03", "--cache", "off", ...(values.features ? ["--features", values.features] : [])], { encoding: "utf8" });
  if (t.status !== 0) throw new Error(`ser train failed: ${t.stderr}`);

  const files = await readBundle(bundleDir);
  const meta = readBundleMeta(files);
  const backend = await selectBackend(values.backend as BackendChoice, { model: meta.model.name as ModelName });
  const predictor = await createPredictor(await loadBundle(files));

  // 2.5 s clips as WAV bytes, the way a file reaches `ser predict`.
  const clips: Uint8Array[] = [];
  for (const actor of ["04", "05", "06"]) {
    for (const f of readdirSync(join(ravdess, `Actor_${actor}`)).sort().slice(0, 20)) {
      const w = decodeWav(readFileSync(join(ravdess, `Actor_${actor}`, f)));
      const n = Math.round(2.5 * w.sampleRateHz);
      const cut = new Float32Array(n);
      cut.set(w.samples.subarray(0, Math.min(n, w.samples.length)));
      clips.push(encodeWav(cut, w.sampleRateHz));
    }
  }
  const stats = (ms: number[]) => {
    const s = [...ms].sort((a, b) => a - b);
    return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.floor(0.95 * s.length))]! };
  };
  const timeEach = async (fn: (bytes: Uint8Array, i: number) => Promise<unknown>) => {
    for (let i = 0; i < 5; i++) await fn(clips[i]!, i);
    const ms: number[] = [];
    for (let i = 0; i < clips.length; i++) {
      const t0 = performance.now();
      await fn(clips[i]!, i);
      ms.push(performance.now() - t0);
    }
    return stats(ms);
  };
  const clip = await timeEach(async (bytes, i) => {
    const w = await decodeAudio(bytes, { source: `clip${i}.wav` });
    return predictor.predict([{ name: `clip${i}.wav`, samples: w.samples, sampleRateHz: w.sampleRateHz }]);
  });
  // The page's live path: already-decoded microphone samples (48 kHz here), one session.
  const session = predictor.createSession({ hopS: 0.5 });
  const decoded = clips.map((b) => decodeWav(b));
  const live = await timeEach((_, i) => session.push(decoded[i]!.samples, decoded[i]!.sampleRateHz));
  predictor.dispose();

  // An hour through `ser predict --timeline`, streamed.
  let tl: { seconds: number; kib: number; windows: number } | undefined;
  if (!values["no-timeline"]) {
    const hour = join(work, "hour.wav");
    writeLongWav(hour, 3600);
    const r = spawnSync("/usr/bin/time", ["-f", "%e %M", Deno.execPath(), "run", "-A", join(here, "..", "packages", "cli", "main.ts"), "predict", "--model", bundleDir, hour, "--timeline", "--json"], { encoding: "utf8", maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`ser predict --timeline failed: ${r.stderr}`);
    const [seconds, kib] = r.stderr.trim().split("\n").at(-1)!.split(" ").map(Number);
    tl = { seconds: seconds!, kib: kib!, windows: JSON.parse(r.stdout)[0].windows.length };
  }

  const on = `${backend.backend}${backend.adapter ? `, adapter ${backend.adapter}` : ""}`;
  const rows = [
    { figure: `Predict one 2.5 s 48 kHz WAV clip, decode to probabilities, ${meta.frontend.kind} + ${meta.model.name} (median; ${on})`, unit: "ms", ours: clip.median, lowerIsBetter: true, peer: { name: "target", value: 10 } },
    { figure: "Same, 95th percentile", unit: "ms", ours: clip.p95, lowerIsBetter: true, peer: { name: "target", value: 10 } },
    { figure: "Live window (2.5 s, one session, as the page every 0.5 s), median", unit: "ms", ours: live.median, lowerIsBetter: true, peer: { name: "cadence", value: 500 } },
    ...(tl ? [
      { figure: `ser predict --timeline, 1 h 48 kHz WAV (${tl.windows} windows): peak RSS`, unit: "MiB", ours: tl.kib / 1024, lowerIsBetter: true, peer: { name: "limit", value: 400 } },
      { figure: "Same, wall time", unit: "s", ours: tl.seconds, lowerIsBetter: true },
    ] : []),
  ];
  if (values.json) console.log(JSON.stringify(rows));
  else {
    console.log(`backend ${on}; ${clips.length} clips of 2.5 s`);
    console.log(`predict one clip: median ${clip.median.toFixed(2)} ms, p95 ${clip.p95.toFixed(2)} ms (target 10 ms)`);
    console.log(`live window:      median ${live.median.toFixed(2)} ms, p95 ${live.p95.toFixed(2)} ms (cadence 500 ms)`);
    if (tl) console.log(`ser predict --timeline on 1 h: ${tl.windows} windows in ${tl.seconds} s, peak RSS ${(tl.kib / 1024).toFixed(0)} MiB (limit 400)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
