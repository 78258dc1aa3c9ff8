import assert from "node:assert/strict";
import { decodeWav } from "./wav-decode.ts";
import { encodeWav } from "./wav-encode.ts";

Deno.test("encodeWav writes 16-bit mono PCM that decodeWav reads back within one step", () => {
  const n = 4801;
  const x = Float32Array.from({ length: n }, (_, i) => 0.9 * Math.sin((2 * Math.PI * 440 * i) / 48000));
  x[10] = 1.5; // clipped
  x[11] = -2;
  const bytes = encodeWav(x, 48000);
  assert.equal(bytes.length, 44 + 2 * n);
  const w = decodeWav(bytes, { source: "rec.wav" });
  assert.equal(w.sampleRateHz, 48000);
  assert.equal(w.channelCount, 1);
  assert.equal(w.bitsPerSample, 16);
  assert.equal(w.frameCount, n);
  let err = 0;
  for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(w.samples[i]! - Math.max(-1, Math.min(1, x[i]!))));
  assert.ok(err <= 1.5 / 32768, `max error ${err}`);
  assert.throws(() => encodeWav(x, 0), /sample rate \(Hz\) must be a positive integer, got 0/);
});
