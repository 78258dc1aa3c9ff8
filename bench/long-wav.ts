/** Bench helper: long 48 kHz WAV files made of the shared RAVDESS clips, written in pieces. */
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { decodeWav } from "@ser/core";

const ravdess = join(import.meta.dirname!, "..", "..", "shared", "datasets", "ravdess");

/** A 16-bit mono 48 kHz WAV of `seconds` of the RAVDESS clips joined (repeated as needed), written in pieces. */
export function writeLongWav(path: string, seconds: number): number {
  const clips = readdirSync(ravdess).filter((d) => d.startsWith("Actor_")).sort().flatMap((d) =>
    readdirSync(join(ravdess, d)).filter((f) => f.endsWith(".wav")).sort().map((f) => join(ravdess, d, f))
  );
  const total = Math.round(seconds * 48000);
  const fd = openSync(path, "w");
  const header = new DataView(new ArrayBuffer(44));
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => header.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, "RIFF");
  header.setUint32(4, 36 + total * 2, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  header.setUint32(16, 16, true);
  header.setUint16(20, 1, true);
  header.setUint16(22, 1, true);
  header.setUint32(24, 48000, true);
  header.setUint32(28, 96000, true);
  header.setUint16(32, 2, true);
  header.setUint16(34, 16, true);
  ascii(36, "data");
  header.setUint32(40, total * 2, true);
  writeSync(fd, new Uint8Array(header.buffer));
  let written = 0;
  for (let i = 0; written < total; i = (i + 1) % clips.length) {
    const w = decodeWav(readFileSync(clips[i]!));
    const n = Math.min(w.frameCount, total - written);
    const pcm = new Int16Array(n);
    for (let j = 0; j < n; j++) pcm[j] = Math.max(-32768, Math.min(32767, Math.round(w.samples[j]! * 32768)));
    writeSync(fd, new Uint8Array(pcm.buffer));
    written += n;
  }
  closeSync(fd);
  return total / 48000;
}

