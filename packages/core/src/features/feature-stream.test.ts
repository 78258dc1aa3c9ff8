import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeWav } from "../audio/wav-decode.ts";
import { createResampler } from "../audio/resample.ts";
import { createRng } from "../rng.ts";
import { createFeaturePlan, extractFeature, FEATURE_KINDS, type FeatureConfig } from "./extract.ts";
import { createFeatureStream, createMaxDbStream } from "./feature-stream.ts";

/**
 * Streaming must give exactly the whole-signal result (`ser features` promises it): real speech
 * (three RAVDESS clips joined, with the silences between them that set power_to_db's floor),
 * pushed in blocks of random sizes through small segments so that many segment edges fall inside
 * it, compared value for value.
 */
const dir = join(import.meta.dirname!, "..", "..", "..", "..", "..", "shared", "datasets", "ravdess", "Actor_05");
const clips = readdirSync(dir).sort().slice(0, 3).map((f) => decodeWav(readFileSync(join(dir, f))).samples);
const signal48 = new Float32Array(clips.reduce((s, c) => s + c.length, 0));
clips.reduce((at, c) => (signal48.set(c, at), at + c.length), 0);

function blocks(x: Float32Array, seed: number, push: (b: Float32Array) => void) {
  const rng = createRng(seed);
  for (let at = 0; at < x.length;) {
    const n = Math.min(x.length - at, 1 + Math.floor(rng.next() * 30000));
    push(x.subarray(at, at + n));
    at += n;
  }
}

function firstDifference(a: Float32Array, b: Float32Array): string {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `value ${i}: ${a[i]} vs ${b[i]}`;
  return "";
}

Deno.test("every feature in blocks equals the whole-signal feature bit for bit (wasm and TypeScript paths, hops that do not divide n_fft/2)", () => {
  const signal16 = new Float32Array(createResampler({ fromHz: 48000, toHz: 16000 }).outputLength(signal48.length));
  createResampler({ fromHz: 48000, toHz: 16000 }).process(signal48, signal16);
  const configs: FeatureConfig[] = [
    ...FEATURE_KINDS.map((kind) => ({ kind, sampleRateHz: 48000, nMfcc: 40 })),
    { kind: "mfcc", sampleRateHz: 16000, nFft: 512, hopLength: 160, nMels: 64, nMfcc: 40 },
    { kind: "melspec-db", sampleRateHz: 16000, nFft: 512, hopLength: 160, nMels: 13 },
    // n_fft 400 is not a power of two: the TypeScript reference path.
    { kind: "mfcc", sampleRateHz: 16000, nFft: 400, hopLength: 160, nMels: 40, nMfcc: 13 },
    { kind: "zcr", sampleRateHz: 16000, nFft: 400, hopLength: 160 },
  ];
  for (const [i, config] of configs.entries()) {
    const x = config.sampleRateHz === 48000 ? signal48 : signal16;
    const whole = extractFeature(createFeaturePlan(config), x);
    const stream = createFeatureStream(config, x.length, 24);
    blocks(x, i, (b) => stream.push(b));
    const got = stream.finish();
    assert.equal(stream.frames, whole.frames);
    assert.equal(firstDifference(got, whole.data), "", `${config.kind} n_fft ${config.nFft ?? 2048} hop ${config.hopLength ?? 512}`);
  }
});

Deno.test("into a sink (nothing held; mfcc and melspec-db after a first pass for the loudest value) every feature still equals the whole signal's bit for bit", () => {
  const signal16 = new Float32Array(createResampler({ fromHz: 48000, toHz: 16000 }).outputLength(signal48.length));
  createResampler({ fromHz: 48000, toHz: 16000 }).process(signal48, signal16);
  const configs: FeatureConfig[] = [
    ...FEATURE_KINDS.map((kind) => ({ kind, sampleRateHz: 48000, nMfcc: 40 })),
    { kind: "melspec-db", sampleRateHz: 16000, nFft: 512, hopLength: 160, nMels: 13 },
    { kind: "mfcc", sampleRateHz: 16000, nFft: 400, hopLength: 160, nMels: 40, nMfcc: 13 },
  ];
  for (const [i, config] of configs.entries()) {
    const x = config.sampleRateHz === 48000 ? signal48 : signal16;
    const whole = extractFeature(createFeaturePlan(config), x);
    let maxDb: number | undefined;
    if (config.kind === "mfcc" || config.kind === "melspec-db") {
      const first = createMaxDbStream(config, x.length, 24);
      blocks(x, 100 + i, (b) => first.push(b));
      maxDb = first.finish();
    }
    const got = new Float32Array(whole.data.length);
    let expectFirst = 0;
    const stream = createFeatureStream(config, x.length, 24, {
      maxDb,
      write(rows, first) {
        assert.equal(first, expectFirst, "consecutive runs");
        got.set(rows, first * stream.dims);
        expectFirst = first + rows.length / stream.dims;
      },
    });
    blocks(x, i, (b) => stream.push(b));
    assert.equal(stream.finish().length, 0);
    assert.equal(expectFirst, whole.frames);
    assert.equal(firstDifference(got, whole.data), "", `${config.kind} n_fft ${config.nFft ?? 2048} hop ${config.hopLength ?? 512}`);
  }
  assert.throws(() => createFeatureStream({ kind: "mfcc", sampleRateHz: 16000 }, 100, 24, { write: () => undefined }), /give the sink its maxDb/);
});

Deno.test("a stream refuses more or fewer samples than it was told", () => {
  const s = createFeatureStream({ kind: "rms", sampleRateHz: 16000 }, 100);
  assert.throws(() => s.push(new Float32Array(101)), /told 100 samples and got more/);
  s.push(new Float32Array(50));
  assert.throws(() => s.finish(), /told 100 samples and got 50/);
});
