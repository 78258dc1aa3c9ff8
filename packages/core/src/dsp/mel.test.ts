import assert from "node:assert/strict";
import { createMelFilterbank, hzToMel, melToHz } from "./mel.ts";
import { chromaFilters } from "./chroma.ts";
import { makeWindow } from "./window.ts";
import { fixture, maxAbsDiff } from "../../test/helpers.ts";

Deno.test("Slaney mel filter bank (22050 Hz, n_fft 2048, 128 mels) equals the reference within 1e-12", () => {
  const ref = fixture("mel-filters-22050-2048-128");
  const fb = createMelFilterbank({ sampleRateHz: 22050, nFft: 2048 });
  assert.deepEqual([fb.nMels, fb.bins], ref.shape);
  assert.ok(maxAbsDiff(fb.dense(), ref.data) < 1e-12);
});

Deno.test("HTK mel filter bank without norm (16 kHz, n_fft 512, 40 mels) equals the reference", () => {
  const ref = fixture("mel-filters-htk-16000-512-40");
  const fb = createMelFilterbank({ sampleRateHz: 16000, nFft: 512, nMels: 40, melScale: "htk", norm: "none" });
  assert.ok(maxAbsDiff(fb.dense(), ref.data) < 1e-12);
});

Deno.test("sparse mel application equals the dense product", () => {
  const fb = createMelFilterbank({ sampleRateHz: 48000, nFft: 2048, nMels: 128 });
  const dense = fb.dense();
  const spec = new Float64Array(fb.bins).map((_, k) => 1 + Math.cos(k));
  const out = new Float64Array(fb.nMels);
  fb.apply(spec, out);
  for (let m = 0; m < fb.nMels; m++) {
    let s = 0;
    for (let k = 0; k < fb.bins; k++) s += dense[m * fb.bins + k]! * spec[k]!;
    assert.ok(Math.abs(s - out[m]!) < 1e-12 * Math.max(1, Math.abs(s)));
  }
  assert.ok(fb.weights.length < dense.length / 10, "the sparse form stores only the non-zero spans");
});

Deno.test("mel scale round trips and has Slaney's 1 kHz break point", () => {
  assert.ok(Math.abs(hzToMel(1000) - 15) < 1e-12);
  assert.ok(Math.abs(hzToMel(1000, "htk") - 999.9855) < 1e-3);
  for (const hz of [0, 200, 999, 1000, 4000, 24000]) {
    for (const s of ["slaney", "htk"] as const) assert.ok(Math.abs(melToHz(hzToMel(hz, s), s) - hz) < 1e-9 * (1 + hz));
  }
});

Deno.test("chroma filter bank equals librosa.filters.chroma reference", () => {
  const ref = fixture("chroma-filters-22050-2048");
  assert.ok(maxAbsDiff(chromaFilters(22050, 2048), ref.data) < 1e-12);
});

Deno.test("periodic Hann window matches scipy get_window('hann', N, fftbins=True)", () => {
  const w = makeWindow("hann", 8);
  const expected = [0, 0.14644660940672624, 0.5, 0.8535533905932737, 1, 0.8535533905932737, 0.5, 0.14644660940672624];
  assert.ok(maxAbsDiff(w, expected) < 1e-15);
});
