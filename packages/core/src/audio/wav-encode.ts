import { ConfigError, requirePositiveInt } from "../errors.ts";

/**
 * Mono 16-bit PCM WAV (the format RAVDESS ships), for recordings made in the page. Samples are
 * clipped to [-1, 1] and rounded half away from zero to the nearest of 32767 steps per unit,
 * the inverse of the decoder's x / 32768 up to one step.
 */
export function encodeWav(samples: Float32Array, sampleRateHz: number): Uint8Array {
  requirePositiveInt("sample rate (Hz)", sampleRateHz);
  if (samples.length > 0x7fffff00 / 2) throw new ConfigError(`${samples.length} samples do not fit in one WAV file.`);
  const data = samples.length * 2;
  const out = new Uint8Array(44 + data);
  const v = new DataView(out.buffer);
  const ascii = (o: number, s: string) => [...s].forEach((c, i) => (out[o + i] = c.charCodeAt(0)));
  ascii(0, "RIFF");
  v.setUint32(4, 36 + data, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, sampleRateHz, true);
  v.setUint32(28, sampleRateHz * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, "data");
  v.setUint32(40, data, true);
  for (let i = 0; i < samples.length; i++) {
    const x = Math.max(-1, Math.min(1, samples[i]!));
    v.setInt16(44 + 2 * i, Math.round(x * 32767), true);
  }
  return out;
}
