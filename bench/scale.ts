/**
 * Scale: a generated corpus the size of CREMA-D (7,442 files of 2–3 s at 16 kHz, its real
 * folder layout and names, 91 actors with VideoDemographics.csv) through `ser train` for one
 * epoch, with the CLI's peak resident memory (VmHWM, polled from /proc) against a 1 GiB bound (features only: nothing augments the default mlp's waveforms, so none are kept; with no feature cache).
 *   deno run -A bench/scale.ts [--files 7442] [--model mlp] [--keep]
 * The audio is synthetic (seeded harmonic tones with vibrato and noise): this measures
 * ingestion, memory and training throughput, not accuracy.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createRng, encodeWav } from "@ser/core";

const { values } = parseArgs({ args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args, options: { files: { type: "string" }, model: { type: "string" }, keep: { type: "boolean" }, json: { type: "boolean" } } });
const log = (s: string) => (values.json ? console.error(s) : console.log(s));
const total = Number(values.files ?? 7442);
const model = values.model ?? "mlp";
const root = mkdtempSync(join(tmpdir(), "ser-scale-"));
const audio = join(root, "AudioWAV");
mkdirSync(audio);

const SENTENCES = ["DFA", "IEO", "IOM", "ITH", "ITS", "IWL", "IWW", "MTI", "TAI", "TIE", "TSI", "WSI"];
const EMOTIONS = ["ANG", "DIS", "FEA", "HAP", "NEU", "SAD"];
const LEVELS = ["LO", "MD", "HI", "XX"];
const rng = createRng(2026);
const t0 = performance.now();
let bytes = 0;
const demographics = ["ActorID,Age,Sex,Race,Ethnicity"];
for (let i = 0; i < total; i++) {
  const actor = 1001 + (i % 91);
  if (i < 91) demographics.push(`${actor},30,${actor % 2 ? "Male" : "Female"},Caucasian,Not Hispanic`);
  const k = Math.floor(i / 91);
  const name = `${actor}_${SENTENCES[k % 12]}_${EMOTIONS[Math.floor(k / 12) % 6]}_${LEVELS[Math.floor(k / 72) % 4]}.wav`;
  const seconds = 2 + rng.next();
  const n = Math.round(seconds * 16000);
  const x = new Float32Array(n);
  const f0 = 90 + 160 * rng.next();
  const vib = 3 + 4 * rng.next();
  let phase = 0;
  for (let t = 0; t < n; t++) {
    const f = f0 * (1 + 0.03 * Math.sin((2 * Math.PI * vib * t) / 16000));
    phase += (2 * Math.PI * f) / 16000;
    const env = Math.min(1, t / 1600, (n - t) / 1600);
    x[t] = env * (0.3 * Math.sin(phase) + 0.12 * Math.sin(2 * phase) + 0.06 * Math.sin(3 * phase)) + 0.01 * rng.normal();
  }
  const wav = encodeWav(x, 16000);
  bytes += wav.length;
  writeFileSync(join(audio, name), wav);
}
writeFileSync(join(root, "VideoDemographics.csv"), demographics.join("\n") + "\n");
log(`generated ${total} files (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s under ${root}`);

const deno = Deno.execPath();
const args = ["run", "-A", join(import.meta.dirname!, "..", "packages/cli/main.ts"), "train", root, "--out", join(root, "model"), "--model", model, "--epochs", "1", "--validation-size", "0", "--cache", "off"];
const t1 = performance.now();
const child = spawn(deno, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...Deno.env.toObject() } });
let stderr = "";
let stdout = "";
child.stdout.on("data", (d) => (stdout += d));
child.stderr.on("data", (d) => (stderr += d));
let peakKiB = 0;
const poll = setInterval(() => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
    if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
  } catch { /* exited */ }
}, 100);
const code: number = await new Promise((ok) => child.on("exit", (c) => ok(c ?? 1)));
clearInterval(poll);
const wall = (performance.now() - t1) / 1000;
if (code !== 0) {
  console.error(stderr);
  throw new Error(`ser train exited with ${code}`);
}
const read = /read (\d+) recordings \((\d+) skipped\) from (\d+) speakers in ([\d.]+) s/.exec(stderr);
const epoch = stderr.replace(/\r/g, "\n").split("\n").filter((l) => /^epoch 1\b/i.test(l.trim())).at(-1);
log(`ser train (${model}, 1 epoch): ${wall.toFixed(1)} s wall; ingestion: ${read ? `${read[1]} recordings, ${read[3]} speakers in ${read[4]} s` : "(not reported)"}`);
if (epoch) log(`training: ${epoch.trim()}`);
log(`peak RSS ${(peakKiB / 1024).toFixed(0)} MiB (limit 1024 MiB): ${peakKiB / 1024 < 1024 ? "within" : "OVER"}`);
log(stdout.split("\n").find((l) => l.startsWith("accuracy")) ?? "");
if (values.json) {
  console.log(JSON.stringify([
    { figure: `CREMA-D-size corpus (${total} files): ser train ${model}, 1 epoch, peak RSS`, unit: "MiB", lowerIsBetter: true, ours: peakKiB / 1024, peer: { name: "limit", value: 1024 } },
    { figure: `CREMA-D-size corpus: ingestion (decode + features)`, unit: "s", lowerIsBetter: true, ours: read ? Number(read[4]) : NaN },
    { figure: `CREMA-D-size corpus: whole ser train run`, unit: "s", lowerIsBetter: true, ours: wall },
  ]));
}
if (!values.keep) rmSync(root, { recursive: true, force: true });
