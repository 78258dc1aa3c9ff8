import assert from "node:assert/strict";
import { createProsody, PROSODY_NAMES } from "./prosody.ts";
import { fixture } from "../../test/helpers.ts";
import meta from "../../test/fixtures/prosody.json" with { type: "json" };

const prosody = createProsody({
  sampleRateHz: meta.sampleRateHz, frameLength: meta.frameLength, hopLength: meta.hopLength,
  fminHz: meta.fminHz, fmaxHz: meta.fmaxHz, threshold: meta.threshold, loudRangeDb: meta.loudRangeDb,
});

for (const c of meta.cases) {
  Deno.test(`prosody statistics of the ${c.name} fixture equal the numpy reference within 1e-4`, () => {
    const x = Float32Array.from(fixture(`prosody-input-${c.name}`).data);
    const ref = fixture(`prosody-${c.name}`).data;
    const out = new Float32Array(prosody.dims);
    prosody.compute(x, out);
    assert.equal(prosody.dims, ref.length);
    for (let i = 0; i < out.length; i++) {
      assert.ok(Math.abs(out[i]! - ref[i]!) < 1e-4 * Math.max(1, Math.abs(ref[i]!)), `${PROSODY_NAMES[i]}: ${out[i]} vs ${ref[i]}`);
    }
  });
}

Deno.test("prosody of the 120 -> 220 Hz glide: mean pitch at the geometric mean, slope of the glide", () => {
  const out = new Float32Array(prosody.dims);
  prosody.compute(Float32Array.from(fixture("prosody-input-glide").data), out);
  const meanHz = 100 * 2 ** (out[0]! / 12);
  assert.ok(Math.abs(meanHz - Math.sqrt(120 * 220)) < 3, `mean pitch ${meanHz} Hz`);
  const glideSt = 12 * Math.log2(220 / 120);
  assert.ok(Math.abs(out[8]! - glideSt) < 0.5, `slope ${out[8]} st/s against ${glideSt}`);
  assert.ok(out[10]! > 0.9, "the harmonic part is voiced");
});

Deno.test("prosody of an unvoiced clip leaves the pitch values at 0 and reports no voicing", () => {
  let s = 99;
  const noise = new Float32Array(16000).map(() => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return ((s >>> 0) / 2 ** 32 - 0.5) * 0.1;
  });
  const out = new Float32Array(prosody.dims).fill(NaN);
  prosody.compute(noise, out);
  for (let i = 0; i <= 10; i++) assert.equal(out[i], 0, PROSODY_NAMES[i]);
  assert.equal(out[17], 1);
  assert.ok(out[11]! < -20 && out[11]! > -40, `level ${out[11]} dB of noise with rms ~0.029`);
  assert.ok(Array.from(out).every(Number.isFinite));
});
