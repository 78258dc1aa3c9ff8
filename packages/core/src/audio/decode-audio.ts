/**
 * Any audio file a user is likely to have, recognised from its bytes (never its name: real TESS
 * ships AIFF-C files named `.wav`), decoded to mono float samples at the file's own rate.
 *  - WAV (RIFF/RIFX) and AIFF/AIFF-C: the project's own readers (wav-decode.ts, aiff-decode.ts),
 *    containers of PCM.
 *  - FLAC, MP3, Ogg Vorbis, Ogg Opus: well-kept WebAssembly decoders from npm (eshaz's
 *    wasm-audio-decoders: `@wasm-audio-decoders/flac` (libFLAC), `mpg123-decoder` (mpg123),
 *    `@wasm-audio-decoders/ogg-vorbis` (libvorbis), `ogg-opus-decoder` (libopus)), imported only
 *    when such a file arrives, so a page that never meets one never downloads them. A fresh
 *    decoder per file: concurrent files in one worker never share decoder state.
 * M4A/AAC and WebM are not read here (no such decoder is small and well kept); the page can use
 * the browser's own decoder for them.
 */
import { AudioDecodeError, SerError } from "../errors.ts";
import { decodeAiff, isAiff } from "./aiff-decode.ts";
import { decodeWav } from "./wav-decode.ts";

export const AUDIO_FORMATS = ["wav", "aiff", "flac", "mp3", "ogg-vorbis", "ogg-opus"] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/** File extensions read as audio (the format itself is recognised from the bytes). */
export const AUDIO_EXTENSIONS = ["wav", "wave", "aif", "aiff", "aifc", "flac", "mp3", "ogg", "oga", "opus"] as const;
const extension = (name: string) => /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase() ?? "";

/**
 * What a file's name says: "lossless" or "lossy" audio this project reads, audio it does "not
 * read" (M4A, WebM, …), or undefined (not audio). Only the name: decoding goes by the bytes.
 */
export function audioFileKind(name: string): "lossless" | "lossy" | "not read" | undefined {
  const ext = extension(name);
  if ((LOSSLESS_EXTENSIONS as readonly string[]).includes(ext)) return "lossless";
  if ((AUDIO_EXTENSIONS as readonly string[]).includes(ext)) return "lossy";
  if ((AUDIO_EXTENSIONS_NOT_READ as readonly string[]).includes(ext)) return "not read";
  return undefined;
}

/** Regex source matching any read extension (with its dot), for name parsers: `\.(?:wav|…)`. */
export const AUDIO_EXTENSION_PATTERN = `\\.(?:${AUDIO_EXTENSIONS.join("|")})`;
/** Extensions of the lossless formats among them: a copy in one of these is preferred to a lossy one. */
export const LOSSLESS_EXTENSIONS = ["wav", "wave", "aif", "aiff", "aifc", "flac"] as const;
/** Audio extensions recognised as audio but not read (skipped with a reason that says so). */
export const AUDIO_EXTENSIONS_NOT_READ = ["m4a", "aac", "webm", "mp4", "wma", "amr", "caf"] as const;

export interface DecodedAudio {
  format: AudioFormat;
  sampleRateHz: number;
  channelCount: number;
  /** Samples per channel. */
  frameCount: number;
  /** Mono in [-1, 1]: channels averaged, like `librosa.load(mono=True)`. */
  samples: Float32Array;
}

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** The format of an audio file from its first bytes, or undefined when none is recognised. */
export function sniffAudioFormat(b: Uint8Array): AudioFormat | undefined {
  if (b.length < 12) return undefined;
  const head = ascii(b, 0, 4);
  if (head === "RIFF" || head === "RIFX") return "wav";
  if (isAiff(b)) return "aiff";
  if (head === "fLaC") return "flac";
  if (head === "OggS") {
    // The first page's first packet says which codec the stream carries.
    const first = ascii(b, 0, Math.min(b.length, 128));
    if (first.includes("OpusHead")) return "ogg-opus";
    if (first.includes("\x01vorbis")) return "ogg-vorbis";
    return undefined;
  }
  if (head.startsWith("ID3")) {
    // An ID3v2 tag (10-byte header, syncsafe size) may precede FLAC as well as MP3.
    const size = ((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f);
    return ascii(b, 10 + size, 4) === "fLaC" ? "flac" : "mp3";
  }
  // An MPEG audio frame: 11 sync bits, a valid version and layer III/II/I.
  if (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0 && (b[1]! & 0x18) !== 0x08 && (b[1]! & 0x06) !== 0) return "mp3";
  return undefined;
}

interface WasmDecoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  /** FLAC: the stream's bits per sample. */
  bitDepth?: number;
  errors?: { message: string }[];
}
interface WasmDecoder {
  ready: Promise<void>;
  free(): void;
}

async function compressed(format: "flac" | "mp3" | "ogg-vorbis" | "ogg-opus", bytes: Uint8Array): Promise<WasmDecoded> {
  // Each decoder: construct, await its WebAssembly, decode the whole file, free its memory.
  const run = async <D extends WasmDecoder>(decoder: D, decode: (d: D) => WasmDecoded | Promise<WasmDecoded>) => {
    try {
      await decoder.ready;
      return await decode(decoder);
    } finally {
      decoder.free();
    }
  };
  if (format === "flac") return run(new (await import("@wasm-audio-decoders/flac")).FLACDecoder(), (d) => d.decodeFile(bytes));
  if (format === "mp3") return run(new (await import("mpg123-decoder")).MPEGDecoder(), (d) => d.decode(bytes));
  if (format === "ogg-vorbis") return run(new (await import("@wasm-audio-decoders/ogg-vorbis")).OggVorbisDecoder(), (d) => d.decodeFile(bytes));
  return run(new (await import("ogg-opus-decoder")).OggOpusDecoder(), (d) => d.decodeFile(bytes));
}

const NAMES: Record<AudioFormat, string> = { wav: "WAV", aiff: "AIFF", flac: "FLAC", mp3: "MP3", "ogg-vorbis": "Ogg Vorbis", "ogg-opus": "Ogg Opus" };

/**
 * Decodes `bytes` (any format above). Errors are typed (WavDecodeError for WAV, AudioDecodeError
 * otherwise) and name `source`, the format and the problem.
 */
export async function decodeAudio(bytes: Uint8Array, options: { source?: string } = {}): Promise<DecodedAudio> {
  const source = options.source;
  const format = sniffAudioFormat(bytes);
  if (format === undefined) {
    if (bytes.length === 0) throw new AudioDecodeError("empty file (0 bytes).", source);
    // A file named .wav that is none of the formats: the WAV reader says what it found.
    if (source !== undefined && /\.wave?$/i.test(source)) decodeWav(bytes, { source });
    throw new AudioDecodeError(`not an audio format this project reads: no RIFF/RIFX (WAV), FORM (AIFF), fLaC, OggS or MPEG header (formats read: ${AUDIO_FORMATS.map((f) => NAMES[f]).join(", ")}); M4A/AAC and WebM are not read: convert them to WAV or FLAC.`, source);
  }
  if (format === "wav") {
    const w = decodeWav(bytes, { source });
    return { format, sampleRateHz: w.sampleRateHz, channelCount: w.channelCount, frameCount: w.frameCount, samples: w.samples };
  }
  if (format === "aiff") return { format, ...decodeAiff(bytes, source) };
  let r: WasmDecoded;
  try {
    r = await compressed(format, bytes);
  } catch (e) {
    if (e instanceof SerError) throw e;
    throw new AudioDecodeError(`${NAMES[format]} could not be decoded: ${(e as Error).message}`, source);
  }
  if (!(r.samplesDecoded > 0) || r.channelData.length === 0) {
    const why = r.errors?.length ? `: ${r.errors[0]!.message}` : "";
    throw new AudioDecodeError(`${NAMES[format]} stream holds no decodable audio${why}.`, source);
  }
  const channels = r.channelData.length;
  const n = r.samplesDecoded;
  const samples = new Float32Array(n);
  // libFLAC's integers come back divided by 2^(b-1) - 1; back to the integer, then divided by
  // 2^(b-1) as libsndfile (and so librosa.load) and the WAV reader scale PCM: a FLAC of a WAV
  // then decodes to the WAV's own samples.
  const full = format === "flac" && r.bitDepth && r.bitDepth <= 24 ? 2 ** (r.bitDepth - 1) : 0;
  for (const ch of r.channelData) {
    if (full) for (let i = 0; i < n; i++) samples[i] = samples[i]! + Math.round(ch[i]! * (full - 1)) / full / channels;
    else for (let i = 0; i < n; i++) samples[i] = samples[i]! + ch[i]! / channels;
  }
  return { format, sampleRateHz: r.sampleRate, channelCount: channels, frameCount: n, samples };
}
