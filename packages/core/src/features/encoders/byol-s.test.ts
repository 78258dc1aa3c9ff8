import assert from "node:assert/strict";
import { join } from "node:path";
import { BYOL_S_DEFAULT_NORM_STATS, createByolS } from "./byol-s.ts";
import { BYOL_S_MANIFEST, BYOL_S_WEIGHTS_BASE64 } from "./byol-s-weights.ts";
import { createResampler } from "../../audio/resample.ts";
import { decodeWav } from "../../audio/wav-decode.ts";
import { cosine, FIXTURES, maxAbsDiff, ravdessFile, readNpy } from "../../../test/helpers.ts";
import ref from "../../../test/fixtures/byol-s/reference.json" with { type: "json" };

// Fixtures: test/fixtures/byol-s/make_byol_s_reference.py runs the PyTorch reference
// (../shared/models/byol-s-512/reference_embed.py, --stats -9.3552 5.0646) on three cases cut
// from real RAVDESS clips and saves the 16 kHz input it embedded (scipy resample_poly).
const dir = join(FIXTURES, "byol-s");
const input = (name: string) => Float32Array.from(readNpy(join(dir, `input-${name}.npy`)).data);

function embed(enc: ReturnType<typeof createByolS>, x: Float32Array): Float32Array {
  const out = new Float32Array(512);
  enc.embed(x, out);
  return out;
}

Deno.test("BYOL-S plan: 512 dims at 16 kHz, the project's normalisation statistics by default, wasm path", () => {
  const enc = createByolS();
  assert.equal(enc.dims, 512);
  assert.equal(enc.sampleRateHz, 16000);
  assert.deepEqual({ ...enc.normStats }, { mean: -9.3552, std: 5.0646 });
  assert.deepEqual(ref.stats, [BYOL_S_DEFAULT_NORM_STATS.mean, BYOL_S_DEFAULT_NORM_STATS.std]);
  assert.equal(enc.implementation, "wasm");
  assert.match(enc.weightsSha256, /^[0-9a-f]{64}$/);
});

Deno.test("BYOL-S weightsSha256 is the sha256 of the decoded weight bytes", async () => {
  const bytes = Uint8Array.from(atob(BYOL_S_WEIGHTS_BASE64), (c) => c.charCodeAt(0));
  assert.equal(bytes.length, BYOL_S_MANIFEST.floats * 4);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hex = Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
  assert.equal(createByolS().weightsSha256, hex);
});

// Measured (wasm path: float32 SIMD log-mel, Winograd F(4x4, 3x3) convolutions, this machine): max abs
// error 6.7e-6 (full), 1.2e-5 (crop), 6.4e-6 (joined) on embeddings of norm 62-71 (F(2x2, 3x3) on the
// float64 log-mel: 3.8e-6, 9.3e-6, 8.0e-6); the TypeScript path: 2.7e-6, 7.7e-6, 6.8e-6.
const TOL = 3e-5;

for (const c of ref.cases) {
  Deno.test(`BYOL-S (wasm) on the PyTorch reference's own 16 kHz input "${c.name}" (${c.samples16k} samples): max abs error < ${TOL}`, () => {
    const enc = createByolS();
    const x = input(c.name);
    assert.equal(x.length, c.samples16k);
    assert.equal(enc.frameCount(x.length), c.frames);
    const err = maxAbsDiff(embed(enc, x), c.embedding);
    assert.ok(err < TOL, `max abs error ${err}`);
  });
}

Deno.test("BYOL-S frame outputs (before pooling) equal the reference's on the short case", () => {
  const enc = createByolS();
  const x = input("crop");
  const refFrames = readNpy(join(dir, "frames-crop.npy"));
  const out = new Float32Array(enc.frameCount(x.length) * 512);
  const n = enc.frames(x, out);
  assert.deepEqual(refFrames.shape, [n, 512]);
  const err = maxAbsDiff(out, refFrames.data);
  assert.ok(err < TOL, `max abs error ${err}`); // measured 1.1e-5 (wasm), 7.4e-6 (TypeScript)
});

Deno.test("BYOL-S TypeScript fallback agrees with the reference and the wasm path", () => {
  const js = createByolS({ implementation: "js" });
  assert.equal(js.implementation, "js");
  const c = ref.cases.find((k) => k.name === "crop")!;
  const x = input("crop");
  const a = embed(js, x);
  assert.ok(maxAbsDiff(a, c.embedding) < TOL);
  assert.ok(maxAbsDiff(a, embed(createByolS(), x)) < TOL);
});

// The wasm plan's log-mel (float32 SIMD FFT and mel, reflect padding in the kernel) against the
// TypeScript plan's (float64, as the reference): measured 7.5e-6 (full), 9.5e-7 (crop), 5.5e-6 (joined).
Deno.test("BYOL-S log-mel: the float32 SIMD path (reflect padding in the kernel) agrees with the float64 path", () => {
  const wasm = createByolS(), js = createByolS({ implementation: "js" });
  for (const c of ref.cases) {
    const x = input(c.name);
    const T = 1 + Math.floor(x.length / 160);
    const a = new Float32Array(T * 64), b = new Float32Array(T * 64);
    assert.equal(wasm.logMel(x, a), T);
    assert.equal(js.logMel(x, b), T);
    const err = maxAbsDiff(a, b);
    assert.ok(err < 2e-5, `${c.name}: max abs difference ${err}`);
  }
});

// The same 48 kHz samples through the project's resampler (Kaiser sinc, roll-off 0.90) instead of
// scipy's resample_poly: the spectra differ near 8 kHz (the top mel band reaches 7.8 kHz) and at the
// clip edges, so this measures the resampler's difference on top of the network's.
// Measured cosine similarity: 0.99759 (full), 0.99689 (crop), 0.99822 (joined).
Deno.test("BYOL-S on 48 kHz RAVDESS clips resampled by createResampler: cosine similarity to the reference >= 0.993", () => {
  const enc = createByolS();
  const rs = createResampler({ fromHz: 48000, toHz: 16000 });
  for (const c of ref.cases) {
    const parts = c.files.map((f) => decodeWav(ravdessFile(f), { source: f }).samples);
    let y = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      y.set(p, o);
      o += p.length;
    }
    if (c.crop48k) y = y.slice(c.crop48k[0], c.crop48k[1]);
    assert.equal(y.length, c.samples48k);
    const x = new Float32Array(rs.outputLength(y.length));
    rs.process(y, x);
    assert.equal(x.length, c.samples16k);
    const cos = cosine(embed(enc, x), c.embedding);
    assert.ok(cos >= 0.993, `${c.name}: cosine ${cos}`);
  }
});

Deno.test("BYOL-S embed is deterministic, and clips of other lengths (longer, then shorter) reuse the plan", () => {
  const enc = createByolS();
  const full = input("full"), joined = input("joined"), crop = input("crop");
  const a = embed(enc, full);
  const b = embed(enc, full);
  assert.deepEqual(a, b);
  embed(enc, joined); // grows the buffers
  const c = embed(enc, crop);
  assert.deepEqual(embed(enc, full), a);
  assert.deepEqual(embed(createByolS(), crop), c);
  // odd lengths: every frame count mod 8
  for (let n = enc.minSamples; n < enc.minSamples + 8 * 160; n += 160 + 37) {
    const e = embed(enc, full.subarray(5000, 5000 + n));
    assert.ok(e.every(Number.isFinite));
  }
});

Deno.test("BYOL-S rejects clips under minSamples, short outputs and bad statistics; normStats changes the input", () => {
  const enc = createByolS();
  assert.equal(enc.minSamples, 1120);
  assert.equal(enc.frameCount(1120), 1);
  assert.throws(() => enc.embed(new Float32Array(1119), new Float32Array(512)), /at least 1120 samples/);
  assert.throws(() => enc.embed(new Float32Array(2000), new Float32Array(100)), /at least 512/);
  assert.throws(() => createByolS({ normStats: { mean: 0, std: 0 } }), /positive std/);
  const x = input("crop");
  const other = createByolS({ normStats: { mean: -10.320347785949707, std: 4.999551773071289 } });
  assert.ok(maxAbsDiff(embed(other, x), embed(enc, x)) > 1e-2);
  const mel = new Float32Array(((x.length / 160 | 0) + 1) * 64);
  assert.equal(enc.logMel(x, mel), x.length / 160 + 1);
  assert.ok(mel.every(Number.isFinite));
});

Deno.test("BYOL-S conv features: through the dense head (computed here from the weights) they give the PyTorch reference's frames; embedConv is their mean and max; wasm and TypeScript agree", () => {
  const x = input("crop");
  const refFrames = readNpy(join(dir, "frames-crop.npy"));
  const weights = new Float32Array(BYOL_S_MANIFEST.floats);
  const bin = atob(BYOL_S_WEIGHTS_BASE64);
  const bytes = new Uint8Array(weights.buffer);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const at = (name: string) => BYOL_S_MANIFEST.tensors.find((t) => t.name === name)!.offset;
  // Dense weights are stored input-major ([in][out]), as the network reads them.
  const dense = (rows: Float64Array[], layer: "fc1" | "fc2") =>
    rows.map((r) => {
      const out = new Float64Array(512);
      for (let o = 0; o < 512; o++) out[o] = weights[at(`${layer}.bias`) + o]!;
      for (let k = 0; k < 512; k++) for (let o = 0; o < 512; o++) out[o] = out[o]! + r[k]! * weights[at(`${layer}.weight`) + k * 512 + o]!;
      return out.map((v) => Math.max(0, v));
    });
  for (const impl of ["auto", "js"] as const) {
    const enc = createByolS({ implementation: impl });
    const conv = new Float32Array(enc.frameCount(x.length) * 512);
    const n = enc.convFrames(x, conv);
    assert.deepEqual(refFrames.shape, [n, 512]);
    const rows = Array.from({ length: n }, (_, t) => Float64Array.from(conv.subarray(t * 512, (t + 1) * 512)));
    const head = dense(dense(rows, "fc1"), "fc2");
    const err = maxAbsDiff(Float32Array.from(head.flatMap((r) => [...r])), refFrames.data);
    assert.ok(err < TOL, `${impl}: max abs error ${err}`);
    const pooled = new Float32Array(1024);
    enc.embedConv(x, pooled);
    for (const j of [0, 17, 300, 511]) {
      const col = rows.map((r) => r[j]!);
      assert.ok(Math.abs(pooled[j]! - col.reduce((a, b) => a + b, 0) / n) < 1e-5, `mean ${j}`);
      assert.equal(pooled[512 + j], Math.fround(Math.max(...col)), `max ${j}`);
    }
    // embedBoth: one pass, the embedding then the pooled conv block, equal to the two calls.
    const both = new Float32Array(1536);
    enc.embedBoth(x, both);
    const emb = new Float32Array(512);
    enc.embed(x, emb);
    assert.deepEqual(both.subarray(0, 512), emb);
    assert.deepEqual(both.subarray(512), pooled);
  }
});
