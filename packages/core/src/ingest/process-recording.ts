import type { CorpusItem } from "../data/corpus.ts";
import { type DecodeOutcome, decodeForIngest } from "../data/ingest.ts";
import type { Frontend } from "../features/frontend.ts";

/** A corpus item ready for training: its trimmed waveform at the front end's rate and its (unscaled) features. */
export interface PreparedItem extends CorpusItem {
  wave: Float32Array;
  /** Unscaled features (per-utterance normalised where the front end says so; never per speaker). */
  features: Float32Array;
}

/** One file through decode, resampling, trimming and the front end: the expensive, parallel part of ingestion. */
export interface ProcessedRecording {
  outcome: DecodeOutcome;
  /** Present when the outcome is ok and the recording is within the duration limit. */
  wave?: Float32Array;
  features?: Float32Array;
}

export async function processRecording(frontend: Frontend, bytes: Uint8Array, maxDurationS = 600): Promise<ProcessedRecording> {
  const decoded = decodeForIngest(bytes);
  if (decoded.audio === null || !decoded.outcome.ok) return { outcome: decoded.outcome };
  const audio = decoded.audio;
  // Too long: the ingestor turns the outcome into a skip; computing features first would be wasted.
  if (audio.frameCount / audio.sampleRateHz > maxDurationS) return { outcome: decoded.outcome };
  try {
    const wave = frontend.prepare(audio.samples, audio.sampleRateHz);
    const features = new Float32Array(frontend.size);
    await frontend.extractAsync(wave, features);
    return { outcome: decoded.outcome, wave, features };
  } catch (e) {
    return { outcome: { ok: false, reason: `features could not be computed: ${(e as Error).message}` } };
  }
}
