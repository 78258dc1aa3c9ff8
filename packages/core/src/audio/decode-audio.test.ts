/**
 * Every format decode-audio.ts reads, made from a real RAVDESS clip by Debian's encoders (sox,
 * opusenc; scripts/setup-system.sh installs them) and checked against a reference decoder run
 * on the same file (sox, opusdec): the lossless ones sample for sample, the lossy ones to within
 * what two decoders of one stream differ by.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { decodeAudio, sniffAudioFormat } from "./decode-audio.ts";
import { decodeWav } from "./wav-decode.ts";
import { cosine, RAVDESS } from "../../test/helpers.ts";
import { DEFAULT_FRONTEND, openFrontend } from "../features/frontend.ts";
import { AudioDecodeError } from "../errors.ts";

const clip = join(RAVDESS, "Actor_02", "03-01-05-02-01-01-02.wav");
const dir = Deno.makeTempDirSync();

function run(cmd: string, ...args: string[]): void {
  const r = new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).outputSync();
  if (!r.success) throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
}

/** `file` decoded by the reference tool to float32 mono at the file's own rate. */
function reference(file: string, tool: "sox" | "opusdec"): Float32Array {
  const raw = join(dir, `${file.split("/").pop()}.f32`);
  if (tool === "sox") run("sox", file, "-t", "f32", "-c", "1", raw);
  else {
    const wav = join(dir, "opusdec.wav");
    run("opusdec", "--quiet", "--float", file, wav);
    run("sox", wav, "-t", "f32", "-c", "1", raw);
  }
  const b = Deno.readFileSync(raw);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

/** Largest absolute difference and the SNR (dB) of `a` against `b` at the lag (±max) that aligns them best. */
function compare(a: Float32Array, b: Float32Array, maxLag = 0): { lag: number; maxAbs: number; snrDb: number } {
  let best = { lag: 0, maxAbs: Infinity, snrDb: -Infinity };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let err = 0, sig = 0, maxAbs = 0;
    const n = Math.min(a.length, b.length) - Math.abs(lag) - 1;
    for (let i = 0; i < n; i++) {
      const x = a[i + Math.max(0, lag)]!, y = b[i + Math.max(0, -lag)]!;
      err += (x - y) ** 2;
      sig += y * y;
      maxAbs = Math.max(maxAbs, Math.abs(x - y));
    }
    const snrDb = 10 * Math.log10(sig / Math.max(err, 1e-30));
    if (snrDb > best.snrDb) best = { lag, maxAbs, snrDb };
  }
  return best;
}

/** A minimal AIFF-C file: FORM/AIFC, COMM (mono, the rate as an 80-bit extended float), SSND. */
function aifc(compression: string, bits: number, rate: number, sound: Uint8Array): Uint8Array {
  const comm = new DataView(new ArrayBuffer(8 + 24));
  const frames = (sound.length * 8) / bits;
  [..."COMM"].forEach((c, i) => comm.setUint8(i, c.charCodeAt(0)));
  comm.setUint32(4, 24);
  comm.setUint16(8, 1);
  comm.setUint32(10, frames);
  comm.setUint16(14, bits);
  const e = Math.floor(Math.log2(rate));
  comm.setUint16(16, 16383 + e);
  comm.setBigUint64(18, BigInt(rate) << BigInt(63 - e));
  [...compression].forEach((c, i) => comm.setUint8(26 + i, c.charCodeAt(0)));
  const ssnd = new DataView(new ArrayBuffer(16));
  [..."SSND"].forEach((c, i) => ssnd.setUint8(i, c.charCodeAt(0)));
  ssnd.setUint32(4, 8 + sound.length);
  const head = new TextEncoder().encode("FORM\0\0\0\0AIFC");
  const out = new Uint8Array(head.length + comm.byteLength + ssnd.byteLength + sound.length);
  out.set(head);
  out.set(new Uint8Array(comm.buffer), 12);
  out.set(new Uint8Array(ssnd.buffer), 12 + comm.byteLength);
  out.set(sound, 12 + comm.byteLength + ssnd.byteLength);
  new DataView(out.buffer).setUint32(4, out.length - 8);
  return out;
}

const frontend = await openFrontend({ ...DEFAULT_FRONTEND, kind: "byol-s", levelDb: -20 });
/** The default front end's BYOL-S embedding of a decoded file (resampled, trimmed, level-normalised). */
function embed(samples: Float32Array, rate: number): Float32Array {
  const out = new Float32Array(frontend.size);
  frontend.extract(frontend.prepare(samples, rate), out);
  return out;
}

const wavBytes = Deno.readFileSync(clip);
const wav = decodeWav(wavBytes);
const wavEmbedding = embed(wav.samples, wav.sampleRateHz);
const make = (ext: string, ...extra: string[]) => {
  const out = join(dir, `clip.${ext}`);
  run("sox", clip, ...extra, out);
  return out;
};

Deno.test("lossless: FLAC, AIFF and AIFF-C (PCM both byte orders, float) decode to the WAV's samples exactly", async () => {
  for (const [file, format] of [[make("flac"), "flac"], [make("aiff"), "aiff"], [make("aifc"), "aiff"]] as const) {
    const bytes = Deno.readFileSync(file);
    assert.equal(sniffAudioFormat(bytes), format);
    const a = await decodeAudio(bytes, { source: file });
    assert.equal(a.sampleRateHz, 48000);
    assert.equal(a.frameCount, wav.frameCount);
    const c = compare(a.samples, wav.samples);
    assert.equal(c.maxAbs, 0, `${file}: max |diff| ${c.maxAbs}`);
  }
  // 24-bit AIFF: the same samples (to float32 rounding).
  const s24 = join(dir, "clip-24.aiff");
  run("sox", clip, "-b", "24", s24);
  assert.ok(compare((await decodeAudio(Deno.readFileSync(s24))).samples, wav.samples).maxAbs < 1e-7, s24);
  // AIFF-C as macOS writes it, "sowt" (little-endian 16-bit PCM), and "fl32" (big-endian float),
  // built by hand (sox writes neither): the same samples.
  const ints = Int16Array.from(wav.samples, (v) => Math.round(v * 32768));
  for (const compression of ["sowt", "fl32"] as const) {
    const width = compression === "sowt" ? 2 : 4;
    const data = new DataView(new ArrayBuffer(ints.length * width));
    ints.forEach((v, i) => (compression === "sowt" ? data.setInt16(i * 2, v, true) : data.setFloat32(i * 4, v / 32768)));
    const a = await decodeAudio(aifc(compression, width * 8, 48000, new Uint8Array(data.buffer)), { source: compression });
    assert.equal(compare(a.samples, wav.samples).maxAbs, 0, compression);
  }
});

Deno.test("lossy: MP3 and Ogg Vorbis match sox's decode of the same file, Ogg Opus opusdec's", async () => {
  const cases = [[make("mp3"), "mp3", "sox"], [make("ogg"), "ogg-vorbis", "sox"]] as const;
  const opus = join(dir, "clip.opus");
  run("opusenc", "--quiet", clip, opus);
  for (const [file, format, tool] of [...cases, [opus, "ogg-opus", "opusdec"] as const]) {
    const bytes = Deno.readFileSync(file);
    assert.equal(sniffAudioFormat(bytes), format);
    const a = await decodeAudio(bytes, { source: file });
    assert.equal(a.sampleRateHz, 48000, file);
    const c = compare(a.samples, reference(file, tool), 2000);
    const e = embed(a.samples, a.sampleRateHz);
    const cos = cosine(e, wavEmbedding);
    console.log(`${format}: ${a.frameCount} frames, vs ${tool} lag ${c.lag}, SNR ${c.snrDb.toFixed(1)} dB, max |diff| ${c.maxAbs.toExponential(2)}; BYOL-S cosine to the WAV's ${cos.toFixed(4)}`);
    assert.equal(c.lag, 0, `${format}: aligned with the reference decoder`);
    // Measured: MP3 115.4 dB against sox (libmad), Vorbis 75.9 dB against sox (libvorbis), Opus 85.8 dB against opusdec.
    assert.ok(c.snrDb > { mp3: 110, "ogg-vorbis": 70, "ogg-opus": 80 }[format], `${format}: ${c.snrDb} dB`);
    // Measured cosines: MP3 (sox/LAME defaults) 0.9839, Vorbis 0.9954, Opus 0.9988.
    assert.ok(cos > { mp3: 0.98, "ogg-vorbis": 0.993, "ogg-opus": 0.997 }[format], `${format}: the embedding barely moves (${cos})`);
  }
});

Deno.test("broken or unknown audio: typed errors that name the file and the format", async () => {
  const mp3 = Deno.readFileSync(make("mp3"));
  await assert.rejects(decodeAudio(new TextEncoder().encode("ID3\u0004\0\0\0\0\0\0no mpeg frames here at all"), { source: "x.mp3" }), (e: Error) => e instanceof AudioDecodeError && /^x\.mp3: MP3 /.test(e.message));
  await assert.rejects(decodeAudio(new Uint8Array(0), { source: "e.flac" }), /e\.flac: empty file/);
  await assert.rejects(decodeAudio(new TextEncoder().encode("....ftypM4A with some more bytes"), { source: "v.m4a" }), /v\.m4a: not an audio format this project reads: .* M4A\/AAC and WebM are not read/);
  const flac = Deno.readFileSync(make("flac"));
  await assert.rejects(decodeAudio(flac.subarray(0, 60), { source: "cut.flac" }), /cut\.flac: FLAC/);
  // A truncated MP3 still yields its whole frames.
  const half = await decodeAudio(mp3.subarray(0, mp3.length >> 1));
  assert.ok(half.frameCount > 0.4 * wav.frameCount && half.frameCount < 0.6 * wav.frameCount, `${half.frameCount}`);
});
