import assert from "node:assert/strict";
import { createProsody } from "../dsp/prosody.ts";
import { createFrontend, DEFAULT_FRONTEND, trimSilence } from "./frontend.ts";
import { decodeWav } from "../audio/wav-decode.ts";
import { ravdessFile } from "../../test/helpers.ts";

const SR = 16000;
const tone = (seconds: number, hz = 220) => Float32Array.from({ length: Math.round(SR * seconds) }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / SR));

Deno.test("front ends have the documented shapes", () => {
  assert.deepEqual(createFrontend(DEFAULT_FRONTEND).shape, [251, 80]);
  assert.deepEqual(createFrontend({ ...DEFAULT_FRONTEND, kind: "logmel" }).shape, [251, 64]);
  assert.deepEqual(createFrontend({ ...DEFAULT_FRONTEND, kind: "stats" }).shape, [128]);
  assert.deepEqual(createFrontend({ ...DEFAULT_FRONTEND, kind: "stats", prosody: false }).shape, [110]);
  assert.deepEqual(createFrontend({ ...DEFAULT_FRONTEND, kind: "stats", prosody: undefined }).shape, [110], "bundles older than prosody");
  assert.deepEqual(createFrontend({ ...DEFAULT_FRONTEND, deltaOrder: 2 }).shape, [251, 120]);
  assert.throws(() => createFrontend({ ...DEFAULT_FRONTEND, kind: "stats", normalization: "utterance" }), /utterance normalization needs feature sequences/);
});

Deno.test("trimSilence keeps the span above the threshold", () => {
  const x = new Float32Array(SR * 2);
  x.set(tone(0.5), SR / 2); // silence, 0.5 s tone, silence
  const t = trimSilence(x, 40, 512, 160);
  assert.ok(t.length > SR * 0.45 && t.length < SR * 0.6, `trimmed to ${t.length}`);
});

Deno.test("a real RAVDESS clip goes through every front end to finite features", () => {
  const wav = decodeWav(ravdessFile("Actor_02/03-01-05-01-01-01-02.wav"));
  for (const kind of ["mfcc", "logmel", "stats"] as const) {
    const fe = createFrontend({ ...DEFAULT_FRONTEND, kind });
    const wave = fe.prepare(wav.samples, wav.sampleRateHz);
    assert.ok(wave.length < wav.frameCount / 3, "resampled to 16 kHz and trimmed");
    const out = new Float32Array(fe.size);
    fe.extract(wave, out);
    assert.ok(out.every(Number.isFinite), kind);
  }
});

Deno.test("the stats front end appends the clip's prosody after the 110 pooled values, computed on the fixed-length clip", () => {
  const wav = decodeWav(ravdessFile("Actor_02/03-01-05-01-01-01-02.wav"));
  const withP = createFrontend({ ...DEFAULT_FRONTEND, kind: "stats" });
  const without = createFrontend({ ...DEFAULT_FRONTEND, kind: "stats", prosody: false });
  const wave = withP.prepare(wav.samples, wav.sampleRateHz);
  const a = new Float32Array(withP.size), b = new Float32Array(without.size);
  withP.extract(wave, a);
  without.extract(wave, b);
  assert.deepEqual(a.subarray(0, 110), b);
  const clip = new Float32Array(withP.clipSamples);
  clip.set(wave.subarray(0, clip.length));
  const p = createProsody({ sampleRateHz: SR, hopLength: DEFAULT_FRONTEND.hopLength });
  const expected = new Float32Array(p.dims);
  p.compute(clip, expected);
  assert.deepEqual(a.subarray(110), expected);
  // Actor 02 is female: her pitch sits well above 100 Hz, i.e. positive semitones.
  assert.ok(a[110]! > 6 && a[120]! > 0.3, `f0 mean ${a[110]} st, voiced ratio ${a[120]}`);
});

Deno.test("frontendShape gives the shape and dims a built front end has, without building it", async () => {
  const { frontendShape } = await import("./frontend.ts");
  for (const kind of ["mfcc", "logmel", "stats"] as const) {
    for (const over of [{}, { nMfcc: 20 }, { prosody: false }, { durationS: 1.3, hopLength: 200 }, { deltaOrder: 2 as const }]) {
      const config = { ...DEFAULT_FRONTEND, kind, ...over, ...(kind === "stats" ? {} : { prosody: false }) };
      assert.deepEqual(frontendShape(config), [...createFrontend(config).shape], `${kind} ${JSON.stringify(over)}`);
    }
  }
});

Deno.test("level normalisation: features of a clip 20 dB quieter or 10 dB louder are those of the clip as recorded", async () => {
  const { normalizeLevel } = await import("./frontend.ts");
  const audio = decodeWav(ravdessFile("Actor_02/03-01-05-01-01-01-02.wav"));
  const fe = createFrontend({ ...DEFAULT_FRONTEND, kind: "stats", levelDb: -20 });
  const features = (gainDb: number) => {
    const x = new Float32Array(fe.size);
    fe.extract(fe.prepare(audio.samples.map((v) => v * 10 ** (gainDb / 20)), audio.sampleRateHz), x);
    return x;
  };
  const ref = features(0);
  for (const g of [-20, 10]) {
    const x = features(g);
    for (let d = 0; d < x.length; d++) assert.ok(Math.abs(x[d]! - ref[d]!) <= 1e-3 * Math.max(1, Math.abs(ref[d]!)), `${g} dB, dim ${d}: ${x[d]} vs ${ref[d]}`);
  }
  const w = Float32Array.of(0.5, -0.5, 0.5, -0.5);
  normalizeLevel(w, -20);
  assert.ok(Math.abs(Math.sqrt(w.reduce((a, v) => a + v * v, 0) / 4) - 0.1) < 1e-7);
});

Deno.test("encoder front ends: built with their weights (openFrontend), refused without them, shapes known before building", async () => {
  const { frontendShape, openFrontend, ENCODERS } = await import("./frontend.ts");
  const { BYOL_S_WEIGHTS_SHA256 } = await import("./encoders/byol-s-weights.ts");
  assert.equal(ENCODERS["byol-s"].weightsSha256, BYOL_S_WEIGHTS_SHA256, "the registry names the weights this build ships");
  const config = { ...DEFAULT_FRONTEND, kind: "byol-s+stats" as const };
  assert.throws(() => createFrontend(config), /needs the byol-s encoder's weights/);
  assert.throws(() => createFrontend({ ...config, sampleRateHz: 22050 }), /runs at 16000 Hz/);
  const fe = await openFrontend(config);
  assert.deepEqual([...fe.shape], frontendShape(config));
  assert.equal(fe.size, 512 + 128);
  const audio = decodeWav(ravdessFile("Actor_02/03-01-05-01-01-01-02.wav"));
  const x = new Float32Array(fe.size);
  fe.extract(fe.prepare(audio.samples, audio.sampleRateHz), x);
  const stats = createFrontend({ ...DEFAULT_FRONTEND, kind: "stats" });
  const y = new Float32Array(stats.size);
  stats.extract(stats.prepare(audio.samples, audio.sampleRateHz), y);
  assert.deepEqual(x.subarray(512), y, "the stats part is the stats front end's");
  assert.ok(x.subarray(0, 512).some((v) => v !== 0));
});
