/**
 * AIFF and AIFF-C (Apple's Audio Interchange File Format, 1989; AIFF-C draft 1991): big-endian
 * IFF chunks. `COMM` gives channels, frames, bits and the rate (an 80-bit IEEE extended float);
 * `SSND` holds the interleaved samples after an offset. AIFF-C adds a compression type: read
 * here are `NONE` (big-endian PCM), `sowt` (little-endian PCM), `fl32`/`FL32` and `fl64`/`FL64`
 * (IEEE float); compressed ones (`ima4`, `ulaw`, …) are named in the error. Integer PCM is scaled
 * by 2^(bits-1), as libsndfile (and so `librosa.load`) does. Real TESS ships two AIFF-C files
 * named `.wav`, which is why the format is recognised from the bytes, never from the name.
 */
import { AudioDecodeError } from "../errors.ts";

export interface DecodedAiff {
  sampleRateHz: number;
  channelCount: number;
  frameCount: number;
  bitsPerSample: number;
  /** Mono in [-1, 1): channels averaged. */
  samples: Float32Array;
}

const id = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);

/** An 80-bit IEEE 754 extended-precision number (big-endian), as AIFF stores the sample rate. */
export function readExtended(b: Uint8Array, at: number): number {
  const sign = b[at]! & 0x80 ? -1 : 1;
  const exponent = ((b[at]! & 0x7f) << 8) | b[at + 1]!;
  let mantissa = 0;
  for (let i = 0; i < 8; i++) mantissa = mantissa * 256 + b[at + 2 + i]!;
  if (exponent === 0 && mantissa === 0) return 0;
  return sign * mantissa * 2 ** (exponent - 16383 - 63);
}

export function isAiff(b: Uint8Array): boolean {
  return b.length >= 12 && id(b, 0) === "FORM" && (id(b, 8) === "AIFF" || id(b, 8) === "AIFC");
}

export function decodeAiff(bytes: Uint8Array, source?: string): DecodedAiff {
  const fail = (m: string) => new AudioDecodeError(m, source);
  if (!isAiff(bytes)) throw fail("not an AIFF file (no FORM/AIFF or FORM/AIFC header).");
  const aifc = id(bytes, 8) === "AIFC";
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let comm: { channels: number; frames: number; bits: number; rate: number; compression: string } | undefined;
  let ssnd: { start: number; end: number } | undefined;
  for (let at = 12; at + 8 <= bytes.length;) {
    const chunk = id(bytes, at);
    const size = view.getUint32(at + 4);
    const body = at + 8;
    if (chunk === "COMM") {
      if (size < 18 || body + 18 > bytes.length) throw fail("AIFF COMM chunk is truncated.");
      comm = {
        channels: view.getUint16(body),
        frames: view.getUint32(body + 2),
        bits: view.getUint16(body + 6),
        rate: readExtended(bytes, body + 8),
        compression: aifc && size >= 22 ? id(bytes, body + 18) : "NONE",
      };
    } else if (chunk === "SSND") {
      if (body + 8 > bytes.length) throw fail("AIFF SSND chunk is truncated.");
      const offset = view.getUint32(body);
      ssnd = { start: body + 8 + offset, end: Math.min(bytes.length, body + size) };
    }
    at = body + size + (size & 1);
  }
  if (!comm) throw fail("AIFF file has no COMM chunk (format description).");
  if (!ssnd) throw fail("AIFF file has no SSND chunk (sound data).");
  const { channels, bits, rate, compression } = comm;
  if (channels < 1) throw fail(`AIFF file declares ${channels} channels.`);
  if (!(rate >= 1 && rate <= 1_000_000)) throw fail(`AIFF sample rate ${rate} Hz is not plausible.`);
  const float = compression === "fl32" || compression === "FL32" ? 32 : compression === "fl64" || compression === "FL64" ? 64 : 0;
  const little = compression === "sowt";
  if (!float && compression !== "NONE" && !little) throw fail(`AIFF-C compression '${compression}' is not read (supported: NONE, sowt, fl32, fl64).`);
  const width = float ? float / 8 : Math.ceil(bits / 8);
  if (!float && (bits < 1 || bits > 32)) throw fail(`AIFF sample size ${bits} bits is not supported (1-32).`);
  const frameBytes = width * channels;
  const available = Math.floor((ssnd.end - ssnd.start) / frameBytes);
  if (available <= 0) throw fail(`AIFF sound data is truncated: ${comm.frames} frames declared, none present.`);
  const frames = Math.min(comm.frames, available);
  const samples = new Float32Array(frames);
  const scale = 1 / (channels * 2 ** (width * 8 - 1));
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) {
      const at = ssnd.start + f * frameBytes + c * width;
      if (float === 32) sum += view.getFloat32(at) / channels;
      else if (float === 64) sum += view.getFloat64(at) / channels;
      else {
        // Sign-extend a width-byte integer (left-justified in the container, as AIFF stores it).
        let v = 0;
        for (let k = 0; k < width; k++) v = v * 256 + bytes[at + (little ? width - 1 - k : k)]!;
        if (v >= 2 ** (width * 8 - 1)) v -= 2 ** (width * 8);
        sum += v * scale;
      }
    }
    samples[f] = sum;
  }
  return { sampleRateHz: rate, channelCount: channels, frameCount: frames, bitsPerSample: bits, samples };
}
