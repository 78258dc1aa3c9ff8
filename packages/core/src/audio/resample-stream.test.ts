import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRng } from "../rng.ts";
import { createResampler } from "./resample.ts";
import { createResampleStream } from "./resample-stream.ts";
import { decodeWav } from "./wav-decode.ts";

/** Real speech (three RAVDESS clips joined) pushed in blocks of random sizes through small segments. */
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

Deno.test("resampling in blocks gives the whole signal's samples exactly (48 kHz -> 16 kHz and -> 22.05 kHz)", () => {
  for (const toHz of [16000, 22050]) {
    const r = createResampler({ fromHz: 48000, toHz });
    const whole = new Float32Array(r.outputLength(signal48.length));
    r.process(signal48, whole);
    const parts: Float32Array[] = [];
    const stream = createResampleStream(r, signal48.length, (s) => parts.push(s.slice()), 20000);
    blocks(signal48, toHz, (b) => stream.push(b));
    stream.finish();
    const joined = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
    assert.equal(firstDifference(joined, whole), "", `48 kHz -> ${toHz} Hz`);
    assert.equal(stream.outputLength, whole.length);
  }
});
