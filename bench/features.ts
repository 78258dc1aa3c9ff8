/**
 * MFCC throughput on one core over every file of the shared RAVDESS subset.
 *   pnpm bench:features            (deno run -A bench/features.ts [--dir PATH] [--repeat N])
 * Prints audio-seconds processed per wall-clock second for librosa's configuration used by the
 * SER notebooks (48 kHz, 40 MFCC, n_fft 2048, hop 512, 128 mels) and for a 16 kHz front end
 * (n_fft 512, hop 160, 64 mels, after resampling), plus the resampler's speed.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createMfcc, createResampler, decodeWav } from "@ser/core";

const { values } = parseArgs({
  args: Deno.args,
  options: { dir: { type: "string" }, repeat: { type: "string" } },
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

function time(fn: () => void): number {
  fn(); // warm-up: JIT and first-call allocations
  let best = Infinity;
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

const rows: [string, string][] = [];

const mfcc48 = createMfcc({ sampleRateHz: 48000, nMfcc: 40, nFft: 2048, hopLength: 512, nMels: 128 });
const out48 = new Float32Array(mfcc48.frameCount(Math.max(...signals.map((s) => s.frameCount))) * 40);
const t48 = time(() => {
  for (const s of signals) mfcc48.compute(s.samples, out48);
});
rows.push(["MFCC 48 kHz, 40 coeffs, n_fft 2048, hop 512, 128 mels", `${(audioSeconds / t48).toFixed(0)} audio-s/s`]);

const resampler = createResampler({ fromHz: 48000, toHz: 16000 });
const resampled = signals.map((s) => new Float32Array(resampler.outputLength(s.frameCount)));
const tRes = time(() => {
  signals.forEach((s, i) => resampler.process(s.samples, resampled[i]!));
});
rows.push(["Resample 48 kHz -> 16 kHz (quality high)", `${(audioSeconds / tRes).toFixed(0)}x real time`]);

const mfcc16 = createMfcc({ sampleRateHz: 16000, nMfcc: 40, nFft: 512, hopLength: 160, nMels: 64 });
const out16 = new Float32Array(mfcc16.frameCount(Math.max(...resampled.map((s) => s.length))) * 40);
const t16 = time(() => {
  for (const s of resampled) mfcc16.compute(s, out16);
});
rows.push(["MFCC 16 kHz, 40 coeffs, n_fft 512, hop 160, 64 mels", `${(audioSeconds / t16).toFixed(0)} audio-s/s`]);

console.log(`${files.length} files, ${audioSeconds.toFixed(1)} s of audio, best of ${repeat} runs, one core (${Deno.build.target})`);
const w = Math.max(...rows.map(([a]) => a.length)) + 2;
console.log(`${"figure".padEnd(w)}ours`);
for (const [a, b] of rows) console.log(`${a.padEnd(w)}${b}`);
