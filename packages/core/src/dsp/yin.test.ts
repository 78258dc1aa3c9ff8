import assert from "node:assert/strict";
import { createYin } from "./yin.ts";
import { fixture } from "../../test/helpers.ts";
import meta from "../../test/fixtures/prosody.json" with { type: "json" };

const config = { sampleRateHz: meta.sampleRateHz, frameLength: meta.frameLength, hopLength: meta.hopLength, fminHz: meta.fminHz, fmaxHz: meta.fmaxHz, threshold: meta.threshold };

function run(signal: Float32Array) {
  const yin = createYin(config);
  const frames = yin.frameCount(signal.length);
  const f0 = new Float32Array(frames), ap = new Float32Array(frames), rms = new Float32Array(frames);
  yin.compute(signal, f0, ap, rms);
  return { f0, ap, rms };
}

for (const c of meta.cases) {
  Deno.test(`YIN on the ${c.name} fixture equals the direct-sum numpy reference (voicing exact, f0 within 1e-4 Hz)`, () => {
    const x = Float32Array.from(fixture(`prosody-input-${c.name}`).data);
    const { f0, ap, rms } = run(x);
    const rf0 = fixture(`yin-f0-${c.name}`).data, rap = fixture(`yin-aperiodicity-${c.name}`).data, rrms = fixture(`yin-rms-${c.name}`).data;
    assert.equal(f0.length, c.frames);
    let voiced = 0;
    for (let t = 0; t < f0.length; t++) {
      assert.equal(f0[t]! > 0, rf0[t]! > 0, `frame ${t}: voicing differs (ours ${f0[t]}, reference ${rf0[t]})`);
      if (f0[t]! > 0) voiced++;
      assert.ok(Math.abs(f0[t]! - rf0[t]!) < 1e-4, `frame ${t}: f0 ${f0[t]} vs ${rf0[t]}`);
      assert.ok(Math.abs(ap[t]! - rap[t]!) < 1e-5, `frame ${t}: aperiodicity ${ap[t]} vs ${rap[t]}`);
      assert.ok(Math.abs(rms[t]! - rrms[t]!) < 1e-6 * Math.max(1, rrms[t]!), `frame ${t}: rms ${rms[t]} vs ${rrms[t]}`);
    }
    assert.equal(voiced, c.voicedFrames);
  });
}

Deno.test("YIN finds the period of pure and harmonic tones across its range, and none in noise or silence", () => {
  const sr = 16000;
  for (const hz of [80, 110, 196.5, 300, 440]) {
    const x = new Float32Array(sr / 2).map((_, i) => 0.5 * Math.sin(2 * Math.PI * hz * i / sr) + 0.25 * Math.sin(4 * Math.PI * hz * i / sr));
    const { f0 } = run(x);
    for (const v of f0) assert.ok(Math.abs(v - hz) / hz < 2e-3, `${hz} Hz tone read as ${v} Hz`);
  }
  // Seeded white noise (xorshift): aperiodic, so no frame is voiced.
  let s = 12345;
  const noise = new Float32Array(sr / 2).map(() => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return (s >>> 0) / 2 ** 32 - 0.5;
  });
  assert.ok(run(noise).f0.every((v) => v === 0));
  const silent = run(new Float32Array(sr / 2));
  assert.ok(silent.f0.every((v) => v === 0) && silent.ap.every((v) => v === 1) && silent.rms.every((v) => v === 0));
});

Deno.test("YIN pads a signal shorter than one frame and refuses a frame too short for fmin", () => {
  const yin = createYin(config);
  assert.equal(yin.frameCount(100), 1);
  assert.equal(yin.frameCount(1024 + 159), 1);
  assert.equal(yin.frameCount(1024 + 160), 2);
  assert.throws(() => createYin({ sampleRateHz: 16000, frameLength: 256, fminHz: 70 }), /too short for YIN down to 70 Hz/);
  assert.throws(() => createYin({ sampleRateHz: 16000, fminHz: 500, fmaxHz: 400 }), /fmin 500 Hz, fmax 400 Hz/);
  assert.throws(() => yin.compute(new Float32Array(5000), new Float32Array(1), new Float32Array(40), new Float32Array(40)), /f0 output holds 1 values/);
});
