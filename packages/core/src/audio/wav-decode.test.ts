import assert from "node:assert/strict";
import { join } from "node:path";
import { decodeWav } from "./wav-decode.ts";
import { WavDecodeError } from "../errors.ts";
import { FIXTURES, maxAbsDiff, ravdessFile } from "../../test/helpers.ts";

interface Case {
  file: string;
  sampleRateHz: number;
  channelCount: number;
  encoding: "pcm" | "float";
  bitsPerSample: number;
  mono: number[];
}
const expected: { cases: Case[] } = JSON.parse(Deno.readTextFileSync(join(FIXTURES, "wav", "expected.json")));
const read = (file: string) => Deno.readFileSync(join(FIXTURES, "wav", file));

for (const c of expected.cases) {
  Deno.test(`decodeWav reads ${c.file} exactly`, () => {
    const wav = decodeWav(read(c.file), { source: c.file });
    assert.equal(wav.sampleRateHz, c.sampleRateHz);
    assert.equal(wav.channelCount, c.channelCount);
    assert.equal(wav.encoding, c.encoding);
    assert.equal(wav.bitsPerSample, c.bitsPerSample);
    assert.equal(wav.frameCount, c.mono.length);
    // Only float32 rounding of the channel mean separates us from the exact value.
    assert.ok(maxAbsDiff(wav.samples, c.mono) < 1e-7, `max error ${maxAbsDiff(wav.samples, c.mono)}`);
  });
}

Deno.test("decodeWav reads a real RAVDESS file (LIST chunk before data, 48 kHz PCM16)", () => {
  const wav = decodeWav(ravdessFile("Actor_01/03-01-05-02-01-01-01.wav"));
  assert.equal(wav.sampleRateHz, 48000);
  assert.equal(wav.channelCount, 1);
  assert.equal(wav.frameCount, 114688);
  let peak = 0;
  for (const v of wav.samples) peak = Math.max(peak, Math.abs(v));
  assert.ok(peak > 0.05 && peak <= 1, `peak ${peak}`);
});

function expectError(bytes: Uint8Array, code: string, pattern: RegExp) {
  assert.throws(() => decodeWav(bytes, { source: "bad.wav" }), (e: unknown) => {
    assert.ok(e instanceof WavDecodeError, `expected WavDecodeError, got ${e}`);
    assert.equal(e.code, code);
    assert.match(e.message, /^bad\.wav: /);
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("decodeWav names the problem with truncated data", () => {
  const full = read("pcm16-mono.wav");
  const cut = full.slice(0, full.length - 20);
  expectError(cut, "wav-truncated", /data chunk truncated: header says 96 bytes, file has 76/);
});

Deno.test("decodeWav rejects non-WAV bytes, empty data and missing chunks", () => {
  expectError(new TextEncoder().encode("ID3\u0004 this is an mp3"), "wav-format", /not a WAV file.*MP3/);
  expectError(new Uint8Array(4), "wav-format", /shorter than the 12-byte RIFF header/);
  const header = read("pcm16-mono.wav").slice(0, 36); // RIFF + fmt only
  expectError(header, "wav-format", /no data chunk/);
  const empty = new Uint8Array([...header, ...new TextEncoder().encode("data"), 0, 0, 0, 0]);
  expectError(empty, "wav-format", /data chunk is empty/);
});

Deno.test("decodeWav names unsupported codecs (ADPCM, MP3 in WAV)", () => {
  for (const [tag, name] of [[0x0002, "Microsoft ADPCM"], [0x0055, "MP3"]] as const) {
    const bytes = read("pcm16-mono.wav").slice();
    new DataView(bytes.buffer).setUint16(20, tag, true);
    expectError(bytes, "wav-unsupported", new RegExp(`format tag 0x${tag.toString(16).padStart(4, "0")}.*${name}.*supported: PCM`));
  }
});

Deno.test("decodeWav rejects NaN samples in float files", () => {
  const bytes = read("float32-mono.wav").slice();
  const dataAt = bytes.length - 48 * 4;
  new DataView(bytes.buffer).setFloat32(dataAt + 4 * 5, NaN, true);
  expectError(bytes, "wav-format", /sample 5 is NaN/);
});
