/**
 * Feature throughput on one core over every file of the shared RAVDESS subset, against peers run
 * in the same invocation so machine drift cancels out.
 *   pnpm bench:features   (deno run -A bench/features.ts [--dir PATH] [--repeat N] [--markdown])
 * Peers: the real librosa 0.10.2 (bench/mfcc_librosa.py, made importable by
 * ../shared/reference/librosa-env.sh; skipped with a note where it is not there), a numpy/scipy
 * script following librosa 0.10's MFCC code path (bench/mfcc_numpy.py), both on one BLAS thread, Meyda 5.6 (the JS feature library people reach for), fft.js (fastest plain-JS
 * real FFT we know of) for the transform alone.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import FFT from "fft.js";
import MeydaModule from "meyda";
import { createMfcc, createRealFft, createResampler, decodeWav } from "@ser/core";

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args, // pnpm passes a literal "--" through
  options: { dir: { type: "string" }, repeat: { type: "string" }, markdown: { type: "boolean" }, json: { type: "boolean" } },
});
const dir = values.dir ?? join(import.meta.dirname!, "..", "..", "shared", "datasets", "ravdess");
const repeat = Number(values.repeat ?? 3);

function walk(d: string): string[] {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? walk(p) : name.toLowerCase().endsWith(".wav") ? [p] : [];
  }).sort();
}

const files = walk(dir);
if (files.length === 0) throw new Error(`no WAV files under ${dir}`);
const signals = files.map((f) => decodeWav(readFileSync(f), { source: f }));
const audioSeconds = signals.reduce((s, w) => s + w.frameCount / w.sampleRateHz, 0);

function time(fn: () => void, times = repeat): number {
  fn(); // warm-up: JIT and first-call allocations
  let best = Infinity;
  for (let r = 0; r < times; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

interface Row {
  figure: string;
  unit: string;
  ours: number;
  peer?: { name: string; value: number };
}
const rows: Row[] = [];

// --- peers in Python (numpy + scipy), one thread so "one core" holds for both sides.
const python = "/usr/bin/python3";
const pyFigures = new Map<string, number>();
if (existsSync(python)) {
  const list = join(tmpdir(), `ser-bench-files-${Deno.pid}.txt`);
  writeFileSync(list, files.join("\n"));
  const env = { ...Deno.env.toObject(), OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const r = spawnSync(python, [join(import.meta.dirname!, "mfcc_numpy.py"), list, String(repeat)], { env, encoding: "utf8" });
  if (r.status === 0) {
    for (const line of r.stdout.trim().split("\n")) {
      const o = JSON.parse(line) as { figure: string; audioSecondsPerSecond: number };
      pyFigures.set(o.figure, o.audioSecondsPerSecond);
    }
  } else console.error(`numpy peer failed (${r.stderr.trim().split("\n").at(-1)}); its column stays empty.`);
} else console.error(`${python} not found: the numpy peer is skipped.`);

// --- the real librosa, where ../shared/reference provides it.
const librosaFigures = new Map<string, { value: number; peer: string }>();
const librosaEnv = join(import.meta.dirname!, "..", "..", "shared", "reference", "librosa-env.sh");
if (existsSync(python) && existsSync(librosaEnv)) {
  const pythonPath = spawnSync("bash", [librosaEnv], { encoding: "utf8" }).stdout.trim();
  const list = join(tmpdir(), `ser-bench-files-${Deno.pid}.txt`);
  writeFileSync(list, files.join("\n"));
  const env = { ...Deno.env.toObject(), PYTHONPATH: pythonPath, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1", NUMBA_NUM_THREADS: "1" };
  const r = spawnSync(python, [join(import.meta.dirname!, "mfcc_librosa.py"), list, String(repeat)], { env, encoding: "utf8" });
  if (r.status === 0) {
    for (const line of r.stdout.trim().split("\n")) {
      const o = JSON.parse(line) as { figure: string; audioSecondsPerSecond: number; peer: string };
      librosaFigures.set(o.figure, { value: o.audioSecondsPerSecond, peer: o.peer });
    }
  } else console.error(`librosa peer failed (${r.stderr.trim().split("\n").at(-1)}); its rows are left out.`);
} else console.error("the real librosa (../shared/reference/librosa-env.sh) is not here: its rows are left out.");
const librosaPeer = (figure: string) => {
  const f = librosaFigures.get(figure);
  return f === undefined ? undefined : { name: f.peer, value: f.value };
};

// --- MFCC at the notebooks' configuration.
const mfcc48 = createMfcc({ sampleRateHz: 48000, nMfcc: 40, nFft: 2048, hopLength: 512, nMels: 128 });
const out48 = new Float32Array(mfcc48.frameCount(Math.max(...signals.map((s) => s.frameCount))) * 40);
const t48 = time(() => {
  for (const s of signals) mfcc48.compute(s.samples, out48);
});
const py48 = pyFigures.get("mfcc48");
rows.push({
  figure: "MFCC 48 kHz (40, n_fft 2048, hop 512, 128 mels)",
  unit: "audio-s/s",
  ours: audioSeconds / t48,
  peer: py48 === undefined ? undefined : { name: "librosa path (numpy)", value: py48 },
});
if (librosaPeer("mfcc48")) rows.push({ figure: "MFCC 48 kHz, same configuration", unit: "audio-s/s", ours: audioSeconds / t48, peer: librosaPeer("mfcc48") });

// Meyda is ~50x slower: time it on a slice so the benchmark stays short.
const meydaSlice = signals.slice(0, 24);
const meydaSeconds = meydaSlice.reduce((s, w) => s + w.frameCount / w.sampleRateHz, 0);
// Meyda's typings describe its class, not the configured singleton the default export is.
const Meyda = MeydaModule as unknown as { extract(feature: string, signal: Float32Array): unknown };
Object.assign(Meyda, { bufferSize: 2048, sampleRate: 48000, melBands: 128, numberOfMFCCCoefficients: 40, windowingFunction: "hanning" });
const frame = new Float32Array(2048);
const tMeyda = time(() => {
  for (const s of meydaSlice) {
    for (let start = -1024; start < s.frameCount - 1024; start += 512) {
      frame.fill(0);
      const from = Math.max(0, start);
      frame.set(s.samples.subarray(from, Math.min(s.frameCount, start + 2048)), from - start);
      Meyda.extract("mfcc", frame);
    }
  }
}, 1);
rows.push({
  figure: "MFCC 48 kHz, same configuration",
  unit: "audio-s/s",
  ours: audioSeconds / t48,
  peer: { name: `Meyda 5.6 (${meydaSlice.length} files)`, value: meydaSeconds / tMeyda },
});

// --- The transform alone, per STFT frame of the 48 kHz configuration.
const framesTotal = signals.reduce((s, w) => s + 1 + Math.floor(w.frameCount / 512), 0);
const ours = createRealFft(2048);
const x = new Float64Array(2048).map((_, i) => Math.sin(i * 0.01) + 0.3 * Math.sin(i * 0.37));
const power = new Float64Array(1025);
const tOurs = time(() => {
  for (let f = 0; f < framesTotal; f++) ours.spectrum(x, power, 2);
});
const fftjs = new FFT(2048);
const xin = Array.from(x);
const xout = fftjs.createComplexArray() as number[];
const tFftjs = time(() => {
  for (let f = 0; f < framesTotal; f++) {
    fftjs.realTransform(xout, xin);
    for (let k = 0; k <= 1024; k++) power[k] = xout[2 * k]! * xout[2 * k]! + xout[2 * k + 1]! * xout[2 * k + 1]!;
  }
});
rows.push({
  figure: "Real FFT 2048 + power, all frames (TypeScript path)",
  unit: "audio-s/s",
  ours: audioSeconds / tOurs,
  peer: { name: "fft.js 4 realTransform", value: audioSeconds / tFftjs },
});

// --- Resampling and the 16 kHz front end.
const resampler = createResampler({ fromHz: 48000, toHz: 16000 });
const resampled = signals.map((s) => new Float32Array(resampler.outputLength(s.frameCount)));
const tRes = time(() => {
  signals.forEach((s, i) => resampler.process(s.samples, resampled[i]!));
});
const pyRes = pyFigures.get("resample");
rows.push({
  figure: "Resample 48 -> 16 kHz (quality high)",
  unit: "x real time",
  ours: audioSeconds / tRes,
  peer: pyRes === undefined ? undefined : { name: "scipy resample_poly", value: pyRes },
});
for (const type of ["kaiser_best", "polyphase"]) {
  if (librosaPeer(`resample-${type}`)) rows.push({ figure: "Resample 48 -> 16 kHz (quality high)", unit: "x real time", ours: audioSeconds / tRes, peer: librosaPeer(`resample-${type}`) });
}
const fast = createResampler({ fromHz: 48000, toHz: 16000, quality: "fast" });
const tFast = time(() => {
  signals.forEach((s, i) => fast.process(s.samples, resampled[i]!));
});
rows.push({
  figure: "Resample 48 -> 16 kHz (quality fast)",
  unit: "x real time",
  ours: audioSeconds / tFast,
  peer: pyRes === undefined ? undefined : { name: "scipy resample_poly", value: pyRes },
});

const pyIngest = pyFigures.get("ingest");
if (pyIngest !== undefined) {
  // Same work as the numpy peer's "ingest": decode + resample 48 -> 16 kHz + MFCC, per file, one core.
  const bytes = files.map((f) => readFileSync(f));
  const m = createMfcc({ sampleRateHz: 16000, nMfcc: 40, nFft: 512, hopLength: 160, nMels: 64 });
  const scratch = new Float32Array(m.frameCount(Math.max(...resampled.map((s) => s.length))) * 40);
  const tIngest = time(() => {
    for (const b of bytes) {
      const w = decodeWav(b);
      const y = new Float32Array(resampler.outputLength(w.frameCount));
      resampler.process(w.samples, y);
      m.compute(y, scratch);
    }
  });
  rows.push({
    figure: "Decode + resample + MFCC 16 kHz, per file, one core",
    unit: "audio-s/s",
    ours: audioSeconds / tIngest,
    peer: { name: "librosa path (numpy)", value: pyIngest },
  });
}

const mfcc16 = createMfcc({ sampleRateHz: 16000, nMfcc: 40, nFft: 512, hopLength: 160, nMels: 64 });
const out16 = new Float32Array(mfcc16.frameCount(Math.max(...resampled.map((s) => s.length))) * 40);
const t16 = time(() => {
  for (const s of resampled) mfcc16.compute(s, out16);
});
const py16 = pyFigures.get("mfcc16");
rows.push({
  figure: "MFCC 16 kHz (40, n_fft 512, hop 160, 64 mels)",
  unit: "audio-s/s",
  ours: audioSeconds / t16,
  peer: py16 === undefined ? undefined : { name: "librosa path (numpy)", value: py16 },
});
if (librosaPeer("mfcc16")) rows.push({ figure: "MFCC 16 kHz, same configuration", unit: "audio-s/s", ours: audioSeconds / t16, peer: librosaPeer("mfcc16") });

const header = `${files.length} files, ${audioSeconds.toFixed(1)} s of audio, best of ${repeat} runs, one core (${Deno.build.target})`;
const table = [["figure", "unit", "ours", "peer", "peer value", "ours / peer"]].concat(rows.map((r) => [
  r.figure,
  r.unit,
  r.ours.toFixed(0),
  r.peer?.name ?? "-",
  r.peer ? r.peer.value.toFixed(0) : "-",
  r.peer ? `${(r.ours / r.peer.value).toFixed(2)}x` : "-",
]));
if (values.json) {
  console.log(JSON.stringify(rows));
  Deno.exit(0);
}
console.log(header);
if (values.markdown) {
  console.log(`| ${table[0]!.join(" | ")} |\n|${table[0]!.map(() => " --- ").join("|")}|`);
  for (const r of table.slice(1)) console.log(`| ${r.join(" | ")} |`);
} else {
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)) + 2);
  for (const r of table) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join("").trimEnd());
}
