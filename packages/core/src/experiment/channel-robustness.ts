/**
 * Does a prediction survive the recording chain a user has? One clip at a time, the test
 * speakers' clips are re-heard quieter (−20 dB), louder (+10 dB) and through a telephone-like
 * channel (300–3400 Hz), and scored like the clean ones. Per-speaker statistics hide a gain
 * change (they absorb it); a real microphone heard once does not, which is why these are
 * measured on the one-clip protocol.
 */
import * as tf from "@tensorflow/tfjs";
import { highPass, resampleBy } from "../augment/feature-views.ts";
import { SerError } from "../errors.ts";
import { extractReheard, type Frontend } from "../features/frontend.ts";
import { applyNorm, rowStats } from "../features/normalize.ts";
import type { StandardScalerState } from "../encode/standard-scaler.ts";
import type { LabelEncoder } from "../encode/label-encoder.ts";
import type { EvaluationReport } from "../metrics/metrics.ts";
import type { Emotion } from "../data/labels.ts";
import { type ProtocolItem, scoreProtocols, type SpeakerNormalizer } from "./speaker-protocols.ts";

export const CHANNELS = ["gain-20db", "gain+10db", "telephone"] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * `wave` (at `sampleRateHz`, as the front end prepared it) as heard through `channel`. The
 * telephone channel: through 8 kHz sampling (band-limited to ~3.6 kHz by the project's
 * resampler) and back, then a 300 Hz high-pass.
 */
export function degrade(wave: Float32Array, sampleRateHz: number, channel: Channel): Float32Array {
  if (channel === "gain-20db" || channel === "gain+10db") {
    const g = 10 ** ((channel === "gain-20db" ? -20 : 10) / 20);
    return wave.map((v) => v * g);
  }
  const out = resampleBy(resampleBy(wave, sampleRateHz, 8000), 8000, sampleRateHz);
  highPass(out, 300, sampleRateHz);
  return out;
}

/** One-clip scores of `items` re-heard through each channel (features re-extracted by `frontend`). */
export async function scoreChannels(
  model: tf.LayersModel,
  frontend: Frontend,
  normalizer: SpeakerNormalizer,
  scaler: StandardScalerState,
  labels: LabelEncoder,
  items: readonly { path: string; speaker: string; emotion: Emotion; wave?: Float32Array }[],
  seed: number,
): Promise<Record<Channel, EvaluationReport>> {
  const out = {} as Record<Channel, EvaluationReport>;
  const c = frontend.config;
  for (const channel of CHANNELS) {
    const degraded: (ProtocolItem & { path: string })[] = [];
    for (const it of items) {
      if (!it.wave) throw new SerError("invalid-input", `${it.path} has no waveform to re-hear through the ${channel} channel: load the corpus with keepWaves.`);
      const features = extractReheard(frontend, degrade(it.wave, c.sampleRateHz, channel));
      if (c.normalization === "utterance") applyNorm(features, frontend.dims, rowStats([features], frontend.dims));
      degraded.push({ path: it.path, speaker: it.speaker, emotion: it.emotion, features });
    }
    out[channel] = (await scoreProtocols(model, frontend, normalizer, scaler, labels, degraded, seed))["one-clip"].report;
  }
  return out;
}
