/**
 * Writes the bad inputs a real disk holds (issue: every bad input gets a clear error, nothing
 * else is lost) next to a few good RAVDESS clips: damaged WAV headers, codecs other than PCM,
 * NaN/Inf floats, 1-sample, over-long and 8-channel files, wrong extensions, unicode and
 * duplicate names, and a zip with thousands of tiny entries, a password-protected entry and
 * path-traversal names. Test-only; everything is generated, nothing is committed.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { zipSync } from "fflate";
import { encodeWav } from "@ser/core";
import { RAVDESS } from "../../core/test/helpers.ts";

/** A RIFF/WAVE file with a 16-byte fmt chunk of the given format tag and raw data bytes. */
export function wavWith(tag: number, channels: number, rate: number, bits: number, data: Uint8Array, dataSizeField = data.length): Uint8Array {
  const out = new Uint8Array(44 + data.length);
  const v = new DataView(out.buffer);
  const ascii = (o: number, s: string) => [...s].forEach((c, i) => (out[o + i] = c.charCodeAt(0)));
  ascii(0, "RIFF");
  v.setUint32(4, 36 + data.length, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, tag, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, (rate * channels * bits) / 8, true);
  v.setUint16(32, (channels * bits) / 8, true);
  v.setUint16(34, bits, true);
  ascii(36, "data");
  v.setUint32(40, dataSizeField, true);
  out.set(data, 44);
  return out;
}

const float32 = (xs: number[]) => new Uint8Array(Float32Array.from(xs).buffer);

/** Expected outcome per generated path (relative to the root): "ok" or a regex for the skip reason. */
export function writeBadInputs(root: string): Record<string, "ok" | RegExp> {
  const expect: Record<string, "ok" | RegExp> = {};
  const put = (rel: string, bytes: Uint8Array, outcome: "ok" | RegExp) => {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    writeFileSync(join(root, rel), bytes);
    expect[rel] = outcome;
  };
  // Good clips of three actors, so training has speakers to split.
  for (const actor of ["01", "02", "03"]) {
    for (const f of readdirSync(join(RAVDESS, `Actor_${actor}`)).filter((f) => ["03", "05"].includes(f.split("-")[2]!)).sort().slice(0, 8)) {
      mkdirSync(join(root, `Actor_${actor}`), { recursive: true });
      copyFileSync(join(RAVDESS, `Actor_${actor}`, f), join(root, `Actor_${actor}`, f));
      expect[`Actor_${actor}/${f}`] = "ok";
    }
  }
  const good = readFileSync(join(RAVDESS, "Actor_05", readdirSync(join(RAVDESS, "Actor_05")).sort()[0]!));
  const tone = (n: number, rate: number) => Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / rate));
  put("bad/03-01-01-01-01-01-05.wav", good.subarray(0, 30), /file truncated inside the fmt chunk: header says 16 bytes, file has 10/);
  put("bad/03-01-01-01-01-02-05.wav", good.subarray(0, Math.floor(good.length / 2)), /data chunk truncated: header says \d+ bytes, file has \d+/);
  put("bad/03-01-01-01-02-01-05.wav", wavWith(1, 1, 16000, 16, new Uint8Array(0)), /no samples|empty|0 samples|zero/i);
  put("bad/03-01-01-01-02-02-05.wav", wavWith(0x55, 1, 16000, 16, new Uint8Array(400)), /MP3|format|supported/i);
  put("bad/03-01-01-02-01-01-05.wav", wavWith(0x0002, 1, 16000, 4, new Uint8Array(400)), /ADPCM|format|supported/i);
  put("bad/03-01-01-02-01-02-05.wav", wavWith(3, 1, 16000, 32, float32([0, 0.1, NaN, 0.2])), /NaN|finite/i);
  put("bad/03-01-01-02-02-01-05.wav", wavWith(3, 1, 16000, 32, float32([0, Infinity, 0.2])), /Inf|finite/i);
  put("bad/03-01-03-01-01-01-05.wav", encodeWav(new Float32Array([0.5]), 16000), "ok"); // one sample: padded like any short clip
  put("bad/03-01-03-01-01-02-05.wav", encodeWav(tone(601 * 8000, 8000), 8000), /601 s long, over the 600 s limit/);
  const eight = new Int16Array(16000 * 8);
  for (let i = 0; i < 16000; i++) for (let c = 0; c < 8; c++) eight[i * 8 + c] = Math.round(8000 * Math.sin((2 * Math.PI * (200 + 50 * c) * i) / 16000));
  put("bad/03-01-03-01-02-01-05.wav", wavWith(1, 8, 16000, 16, new Uint8Array(eight.buffer)), "ok"); // 8 channels: mixed down
  put("bad/03-01-03-01-02-02-05.mp3", new TextEncoder().encode("ID3\u0004\0\0\0\0\0\0this is no mpeg audio"), /MP3 stream holds no decodable audio|MP3 could not be decoded/);
  put("bad/03-01-03-01-02-02-06.m4a", good, /m4a audio is not read \(WAV, AIFF, FLAC, MP3, Ogg Vorbis and Opus are\)/);
  put("bad/03-01-03-02-01-01-05.wav", new TextEncoder().encode("this is a text file with a .wav name\n"), /RIFF|not a WAV/i);
  put("Äctör_05 ünïcødé/03-01-03-02-01-02-05.wav", encodeWav(tone(16000, 11025), 16000), "ok");
  const first = readdirSync(join(root, "Actor_01")).sort()[0]!;
  put(`bad/copy/${first}`, readFileSync(join(root, "Actor_01", first)), /duplicate: same bytes as .*Actor_01/);
  put("bad/räsumé 😀.wav", encodeWav(tone(1600, 16000), 16000), /matches no known dataset/);
  // One zip: thousands of tiny entries, a password-protected entry, traversal names, a good clip.
  const entries: Record<string, Uint8Array | [Uint8Array, { level: 0 | 6 }]> = {};
  for (let i = 0; i < 3000; i++) entries[`tiny/${i}.txt`] = new Uint8Array([i & 255]);
  entries["../../etc/03-01-05-01-01-01-06.wav"] = encodeWav(tone(16000, 16000), 16000);
  entries["secret/03-01-05-01-01-02-06.wav"] = [encodeWav(tone(16000, 16000), 16000), { level: 6 }];
  const zip = zipSync(entries as never, { level: 0 });
  markEncrypted(zip, "secret/03-01-05-01-01-02-06.wav");
  put("archive.zip", zip, "ok");
  expect["archive.zip/../../etc/03-01-05-01-01-01-06.wav"] = "ok";
  expect["archive.zip/secret/03-01-05-01-01-02-06.wav"] = /encrypted|password|decompress/i;
  return expect;
}

/**
 * Sets the "encrypted" flag of one entry (local and central headers) and scrambles its data,
 * as a password-protected entry looks to a reader without the password.
 */
function markEncrypted(zip: Uint8Array, name: string): void {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const enc = new TextEncoder().encode(name);
  for (let i = 0; i + 46 < zip.length; i++) {
    const sig = v.getUint32(i, true);
    const isLocal = sig === 0x04034b50, isCentral = sig === 0x02014b50;
    if (!isLocal && !isCentral) continue;
    const nameLen = v.getUint16(i + (isLocal ? 26 : 28), true);
    const nameAt = i + (isLocal ? 30 : 46);
    if (nameLen !== enc.length || !enc.every((b, k) => zip[nameAt + k] === b)) continue;
    v.setUint16(i + (isLocal ? 6 : 8), v.getUint16(i + (isLocal ? 6 : 8), true) | 1, true);
    if (isLocal) {
      const extra = v.getUint16(i + 28, true);
      const size = v.getUint32(i + 18, true);
      const data = nameAt + nameLen + extra;
      for (let k = 0; k < size; k++) zip[data + k] = zip[data + k]! ^ ((k * 131 + 7) & 255);
    }
  }
}

// deno run -A packages/cli/test/bad-inputs.ts DIR: writes the corpus (used by the page's e2e test).
if (import.meta.main) {
  const expect = writeBadInputs(Deno.args[0]!);
  console.log(JSON.stringify(Object.fromEntries(Object.entries(expect).map(([k, v]) => [k, v === "ok" ? "ok" : v.source]))));
}
