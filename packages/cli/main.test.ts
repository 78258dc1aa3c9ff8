/** The CLI run for real: a Deno subprocess on real RAVDESS files, checked against the numpy fixtures. */
import assert from "node:assert/strict";
import { ser } from "./test-helpers.ts";
import { decodeWav, SILENCE_DB } from "@ser/core";
import { join } from "node:path";
import { fixture, maxAbsDiff, RAVDESS, readNpy, sortedNames } from "../core/test/helpers.ts";

const FILE = join(RAVDESS, "Actor_01", "03-01-05-02-01-01-01.wav");


Deno.test("ser features prints MFCCs of a RAVDESS file matching the librosa reference (< 5e-3)", async () => {
  const r = await ser("features", FILE, "--sr", "native", "--n-mfcc", "40");
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.equal(json.feature, "mfcc");
  assert.equal(json.sampleRateHz, 48000);
  assert.deepEqual(json.shape, [40, 225]);
  const ref = fixture("mfcc40-03-01-05-02-01-01-01");
  const err = maxAbsDiff((json.data as number[][]).flat(), ref.data);
  assert.ok(err < 5e-3, `max abs error ${err}`);
});

Deno.test("ser features writes .npy and CSV that hold the same matrix as JSON", async () => {
  const dir = await Deno.makeTempDir();
  const npy = join(dir, "mel.npy");
  const args = ["features", FILE, "--feature", "melspec-db", "--sr", "16000", "--n-fft", "512", "--hop-length", "160", "--n-mels", "64"];
  const a = await ser(...args, "--format", "npy", "--out", npy);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, "");
  const b = await ser(...args, "--format", "csv");
  const c = await ser(...args);
  const json = JSON.parse(c.stdout);
  assert.equal(json.sampleRateHz, 16000);
  const frames = 1 + Math.floor(Math.ceil((114688 * 16000) / 48000) / 160);
  assert.deepEqual(json.shape, [64, frames]);
  const fromNpy = readNpy(npy);
  assert.deepEqual(fromNpy.shape, [64, frames]);
  assert.equal(maxAbsDiff(fromNpy.data, (json.data as number[][]).flat()), 0);
  const csvRows = b.stdout.trim().split("\n").map((l) => l.split(",").map(Number));
  assert.equal(csvRows.length, 64);
  assert.equal(maxAbsDiff(csvRows.flat(), (json.data as number[][]).flat()), 0);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ser features defaults to librosa's sr=22050 and 20 MFCCs", async () => {
  const r = await ser("features", FILE);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.equal(json.sampleRateHz, 22050);
  assert.deepEqual(json.shape, [20, 1 + Math.floor(Math.ceil((114688 * 22050) / 48000) / 512)]);
});

for (const f of ["zcr", "rms", "chroma", "spectral-centroid"]) {
  Deno.test(`ser features --feature ${f} at native rate equals the reference`, async () => {
    const r = await ser("features", FILE, "--sr", "native", "--feature", f);
    assert.equal(r.code, 0, r.stderr);
    const name = { zcr: "zcr", rms: "rms", chroma: "chroma", "spectral-centroid": "centroid" }[f];
    const ref = fixture(`${name}-03-01-05-02-01-01-01`);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(json.shape, ref.shape);
    assert.ok(maxAbsDiff((json.data as number[][]).flat(), ref.data) < 1e-3);
  });
}

Deno.test("ser usage errors exit 2 and name the flag and value", async () => {
  const cases: [string[], RegExp][] = [
    [["features", FILE, "--bogus"], /unknown flag --bogus for 'features'/],
    [["features", FILE, "--n-fft", "abc"], /--n-fft must be an integer, got 'abc'/],
    [["features", FILE, "--feature", "mfccs"], /--feature must be one of mfcc, .*got 'mfccs'/],
    [["features", FILE, "--sr", "fast"], /--sr must be 'native' or an integer rate.*got 'fast'/],
    [["features", FILE, "--n-mfcc", "200"], /--n-mfcc \(200\) must not exceed --n-mels \(128\)/],
    [["features", FILE, "--fmax", "30000"], /--fmax 30000 Hz is above the Nyquist frequency 11025 Hz/],
    [["features", FILE, "--format"], /flag --format needs a value/],
    [["features"], /features needs one WAV file/],
    [["frobnicate"], /unknown command 'frobnicate'/],
  ];
  for (const [args, pattern] of cases) {
    const r = await ser(...args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.match(r.stderr, /--help' for usage/);
  }
});

Deno.test("ser runtime errors exit 1 and name the file", async () => {
  const dir = await Deno.makeTempDir();
  const bad = join(dir, "notes.wav");
  await Deno.writeTextFile(bad, "these are not samples");
  const missing = await ser("features", join(dir, "missing.wav"));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read '.*missing\.wav': no such file/);
  const corrupt = await ser("features", bad);
  assert.equal(corrupt.code, 1);
  assert.match(corrupt.stderr, /notes\.wav: not a WAV file: expected 'RIFF' or 'RIFX' at byte 0/);
  assert.doesNotMatch(corrupt.stderr, /at .*\.ts:\d+/, "no stack trace");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ser --help, <command> --help and --version exit 0", async () => {
  const top = await ser("--help");
  assert.equal(top.code, 0);
  assert.match(top.stdout, /Commands:\n\s+info[\s\S]*\n\s+features/);
  const sub = await ser("features", "--help");
  assert.equal(sub.code, 0);
  assert.match(sub.stdout, /Usage: ser features <file\.wav>/);
  assert.match(sub.stdout, /--hop-length N/);
  const v = await ser("--version");
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^ser \d+\.\d+\.\d+/);
  const none = await ser();
  assert.equal(none.code, 2);
});

Deno.test("ser features streams a long WAV in blocks and writes what the whole-file path writes (a FLAC copy, decoded whole)", async () => {
  // 60 s of speech at 48 kHz: several read blocks, resampler segments and feature segments.
  const dir = await Deno.makeTempDir();
  const clips = sortedNames(join(RAVDESS, "Actor_02")).slice(0, 17).map((n) => join(RAVDESS, "Actor_02", n));
  const wav = join(dir, "long.wav"), flac = join(dir, "long.flac");
  for (const out of [wav, flac]) {
    const sox = await new Deno.Command("sox", { args: [...clips, out], stderr: "piped" }).output();
    assert.equal(sox.code, 0, new TextDecoder().decode(sox.stderr));
  }
  for (const args of [["--format", "npy"], ["--feature", "melspec-db", "--sr", "16000", "--n-fft", "512", "--hop-length", "160", "--n-mels", "64", "--format", "npy"], ["--feature", "chroma", "--sr", "native"]]) {
    const streamed = await ser("features", wav, ...args, "--out", join(dir, "a"));
    const whole = await ser("features", flac, ...args, "--out", join(dir, "b"));
    assert.equal(streamed.code, 0, streamed.stderr);
    assert.equal(whole.code, 0, whole.stderr);
    const a = Deno.readFileSync(join(dir, "a")), b = Deno.readFileSync(join(dir, "b"));
    assert.ok(a.length > 100_000, `${args.join(" ")}: ${a.length} bytes`);
    assert.ok(a.length === b.length && a.every((v, i) => v === b[i]), `${args.join(" ")}: the streamed output differs from the whole-file output`);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ser predict --timeline: windows of a long recording over time, the streamed WAV equal to its FLAC copy decoded whole", async () => {
  const dir = await Deno.makeTempDir();
  const { resolveTrainingSpec } = await import("@ser/core");
  const { saveBundle } = await import("@ser/core/ml.ts");
  const { untrainedBundle } = await import("../core/test/bundles.ts");
  const { writeBundleDir } = await import("./src/io/bundle-io.ts");
  const { model, meta } = await untrainedBundle({ ...resolveTrainingSpec({ features: "stats" }).frontend, normalization: "none" });
  await writeBundleDir(join(dir, "model"), await saveBundle(model, meta));
  const clips = sortedNames(join(RAVDESS, "Actor_03")).slice(0, 8).map((n) => join(RAVDESS, "Actor_03", n));
  const wav = join(dir, "long.wav"), flac = join(dir, "long.flac"), quiet = join(dir, "quiet.wav");
  // 4 s of digital silence between the fourth and fifth clips (a pause the page shows as silence).
  assert.equal((await new Deno.Command("sox", { args: ["-n", "-r", "48000", "-c", "1", "-b", "16", quiet, "trim", "0", "4"] }).output()).code, 0);
  const parts = [...clips.slice(0, 4), quiet, ...clips.slice(4)];
  for (const out of [wav, flac]) assert.equal((await new Deno.Command("sox", { args: [...parts, out] }).output()).code, 0);
  const run = async (file: string) => {
    const r = await ser("predict", "--model", join(dir, "model"), file, "--timeline", "--hop", "1.25", "--json", "--backend", "cpu");
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout)[0];
  };
  const a = await run(wav), b = await run(flac);
  const seconds = parts.reduce((s, f) => s + decodeWavFile(f), 0);
  // Windows wholly inside the pause are silence (core's SILENCE_DB), as the page shows them; no others are.
  const gapS = clips.slice(0, 4).reduce((s, f) => s + decodeWavFile(f), 0);
  const inGap = (w: { startS: number; endS: number }) => w.startS >= gapS - 1e-9 && w.endS <= gapS + 4 + 1e-9;
  assert.ok(a.windows.some(inGap));
  // (Digital silence is −Infinity dB, which JSON writes as null.)
  for (const w of a.windows) if (inGap(w)) assert.ok(w.silence === true && (w.levelDb === null || w.levelDb < SILENCE_DB), JSON.stringify(w));
  assert.ok(a.windows.filter((w: { silence?: boolean }) => !w.silence).length > 12);
  assert.ok(a.summary.silence > 0);
  // Windows of 2.5 s every 1.25 s up to the end, the last one shorter when the end falls between.
  assert.equal(a.windows.length, Math.floor((seconds - 2.5) / 1.25) + 1 + ((seconds - 2.5) % 1.25 > 1e-9 ? 1 : 0));
  assert.equal(a.windows[1].startS, 1.25);
  assert.ok(Math.abs(a.windows.at(-1).endS - seconds) < 1e-9);
  assert.deepEqual(a.windows, b.windows);
  assert.ok(Math.abs(Object.values(a.summary as Record<string, number>).reduce((s, v) => s + v, 0) - 1) < 1e-9);
  const bad = await ser("predict", "--model", join(dir, "model"), wav, "--hop", "1");
  assert.match(bad.stderr, /--hop needs --timeline/);
  await Deno.remove(dir, { recursive: true });
});

function decodeWavFile(path: string): number {
  const w = decodeWav(Deno.readFileSync(path));
  return w.frameCount / w.sampleRateHz;
}
