/**
 * `ser features` as a user runs it, end to end, against librosa 0.10.2 in the same run:
 *  - throughput: one 478 s 48 kHz WAV (shared RAVDESS clips joined), 40 MFCCs at the file's
 *    rate, .npy out; the CLI's start-up (Deno, module load, WebAssembly compile) is taken out by
 *    also timing a 0.1 s file. Peer: librosa.load + librosa.feature.mfcc on the same file
 *    (bench/mfcc_librosa_long.py, one BLAS thread), the mfcc call alone and with the load.
 *  - memory: one 1-hour 48 kHz WAV (345 MB on disk) through `ser features` with its defaults
 *    (22.05 kHz, 20 MFCCs, JSON) and at its native rate (.npy): peak RSS from /usr/bin/time.
 * Best of --repeat runs (default 3).
 *   deno run -A bench/features-cli.ts [--repeat N] [--json]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeLongWav } from "./long-wav.ts";

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args,
  options: { repeat: { type: "string", default: "3" }, json: { type: "boolean" } },
});
const repeat = Number(values.repeat);
const here = import.meta.dirname!;
const work = mkdtempSync(join(tmpdir(), "ser-bench-features-cli-"));

/** Wall seconds and peak RSS (MiB) of one `ser features` run, best of `times`. */
function serFeatures(args: string[], times: number): { seconds: number; peakMiB: number } {
  let best = { seconds: Infinity, peakMiB: 0 };
  for (let r = 0; r < times; r++) {
    const res = spawnSync("/usr/bin/time", ["-f", "%e %M", Deno.execPath(), "run", "-A", join(here, "..", "packages", "cli", "main.ts"), "features", ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
    if (res.status !== 0) throw new Error(`ser features ${args.join(" ")} failed: ${res.stderr}`);
    const [seconds, kib] = res.stderr.trim().split("\n").at(-1)!.split(" ").map(Number);
    if (seconds! < best.seconds) best = { seconds: seconds!, peakMiB: kib! / 1024 };
  }
  return best;
}

try {
  const long = join(work, "long.wav"), short = join(work, "short.wav"), hour = join(work, "hour.wav");
  const seconds = writeLongWav(long, 478);
  writeLongWav(short, 0.1);
  const flags = ["--sr", "native", "--n-mfcc", "40", "--format", "npy", "--out", join(work, "out.npy")];
  const startUp = serFeatures([short, ...flags], repeat).seconds;
  const run = serFeatures([long, ...flags], repeat);
  const oursRate = seconds / (run.seconds - startUp);

  const rows: { figure: string; unit: string; ours: number; lowerIsBetter?: boolean; peer?: { name: string; value: number } }[] = [];
  const envScript = join(here, "..", "..", "shared", "reference", "librosa-env.sh");
  let librosa: { audioSeconds: number; loadSeconds: number; mfccSeconds: number; peer: string } | undefined;
  if (existsSync(envScript)) {
    const pythonPath = spawnSync("bash", [envScript], { encoding: "utf8" }).stdout.trim();
    const env = { ...Deno.env.toObject(), PYTHONPATH: pythonPath, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1", NUMBA_NUM_THREADS: "1" };
    const r = spawnSync("/usr/bin/python3", [join(here, "mfcc_librosa_long.py"), long, String(repeat)], { env, encoding: "utf8" });
    if (r.status === 0) librosa = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    else console.error(`librosa peer failed: ${r.stderr.trim().split("\n").at(-1)}`);
  } else console.error("the real librosa (../shared/reference/librosa-env.sh) is not here: the peer is left out.");
  const figure = `ser features, ${seconds.toFixed(0)} s 48 kHz WAV, 40 MFCC at 48 kHz, .npy (start-up ${startUp.toFixed(2)} s taken out)`;
  rows.push({ figure, unit: "audio-s/s", ours: oursRate, ...(librosa ? { peer: { name: `${librosa.peer} feature.mfcc alone`, value: librosa.audioSeconds / librosa.mfccSeconds } } : {}) });
  if (librosa) rows.push({ figure, unit: "audio-s/s", ours: oursRate, peer: { name: `${librosa.peer} load + feature.mfcc`, value: librosa.audioSeconds / (librosa.mfccSeconds + librosa.loadSeconds) } });

  writeLongWav(hour, 3600);
  const byDefault = serFeatures([hour, "--out", join(work, "hour.json")], 1);
  const native = serFeatures([hour, "--sr", "native", "--format", "npy", "--out", join(work, "hour.npy")], 1);
  rows.push({ figure: "ser features, 1 h 48 kHz WAV, defaults (22.05 kHz, 20 MFCC, JSON): peak RSS", unit: "MiB", ours: byDefault.peakMiB, lowerIsBetter: true, peer: { name: "limit", value: 400 } });
  rows.push({ figure: "Same, wall time", unit: "s", ours: byDefault.seconds, lowerIsBetter: true });
  rows.push({ figure: "ser features, 1 h 48 kHz WAV at 48 kHz, .npy: peak RSS", unit: "MiB", ours: native.peakMiB, lowerIsBetter: true, peer: { name: "limit", value: 300 } });
  // .npy streams to disk frame by frame (two passes for MFCC's loudest value): memory does not
  // grow with the recording, so an hour and three hours of 40 MFCCs peak alike.
  const mfcc40 = ["--sr", "native", "--n-mfcc", "40", "--format", "npy"];
  const hour40 = serFeatures([hour, ...mfcc40, "--out", join(work, "hour40.npy")], 1);
  rows.push({ figure: "ser features, 1 h 48 kHz WAV, 40 MFCC at 48 kHz, .npy: peak RSS", unit: "MiB", ours: hour40.peakMiB, lowerIsBetter: true, peer: { name: "limit", value: 300 } });
  const threeHours = join(work, "three-hours.wav");
  writeLongWav(threeHours, 3 * 3600);
  const three40 = serFeatures([threeHours, ...mfcc40, "--out", join(work, "three40.npy")], 1);
  rows.push({ figure: "ser features, 3 h 48 kHz WAV, 40 MFCC at 48 kHz, .npy: peak RSS", unit: "MiB", ours: three40.peakMiB, lowerIsBetter: true, peer: { name: "limit", value: 300 } });
  rows.push({ figure: "Same, wall time", unit: "s", ours: three40.seconds, lowerIsBetter: true });
  if (values.json) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.figure}: ${r.ours.toFixed(1)} ${r.unit}${r.peer ? `; ${r.peer.name}: ${r.peer.value.toFixed(1)} (${(r.lowerIsBetter ? r.peer.value / r.ours : r.ours / r.peer.value).toFixed(2)}x)` : ""}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
