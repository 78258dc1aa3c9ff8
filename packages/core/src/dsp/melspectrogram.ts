import { ConfigError } from "../errors.ts";
import { powerToDb, type PowerToDbOptions } from "./db.ts";
import { createMelFilterbank, type MelFilterbank, type MelNorm, type MelScale } from "./mel.ts";
import { createStft, type Stft, type StftConfig } from "./stft.ts";

export interface MelSpectrogramConfig extends StftConfig {
  sampleRateHz: number;
  nMels?: number;
  fminHz?: number;
  fmaxHz?: number;
  melScale?: MelScale;
  melNorm?: MelNorm;
  /** Exponent of the magnitude spectrogram (librosa power=2.0). */
  power?: 1 | 2;
}

export interface MelSpectrogram {
  readonly stft: Stft;
  readonly filterbank: MelFilterbank;
  readonly nMels: number;
  frameCount(nSamples: number): number;
  /** Fills `out` ([frames × nMels], frames-major) with librosa.feature.melspectrogram(y).T. */
  compute(signal: Float32Array, out: Float32Array): void;
}

/** librosa.feature.melspectrogram: configured once, then run on any number of signals. */
export function createMelSpectrogram(config: MelSpectrogramConfig): MelSpectrogram {
  const stft = createStft(config);
  const filterbank = createMelFilterbank({
    sampleRateHz: config.sampleRateHz,
    nFft: stft.config.nFft,
    nMels: config.nMels,
    fminHz: config.fminHz,
    fmaxHz: config.fmaxHz,
    melScale: config.melScale,
    norm: config.melNorm,
  });
  const power = config.power ?? 2;
  const nMels = filterbank.nMels;
  return {
    stft,
    filterbank,
    nMels,
    frameCount: stft.frameCount,
    compute(signal, out) {
      const need = stft.frameCount(signal.length) * nMels;
      if (out.length < need) throw new ConfigError(`output holds ${out.length} values, mel spectrogram needs ${need}.`);
      stft.forEachFrame(signal, power, (t, spectrum) => filterbank.apply(spectrum, out, t * nMels));
    },
  };
}

export interface LogMelConfig extends MelSpectrogramConfig {
  db?: PowerToDbOptions;
}

/** librosa.power_to_db(librosa.feature.melspectrogram(y)), frames-major. */
export function createLogMel(config: LogMelConfig): MelSpectrogram {
  const mel = createMelSpectrogram(config);
  return {
    ...mel,
    compute(signal, out) {
      mel.compute(signal, out);
      powerToDb(out, config.db, mel.frameCount(signal.length) * mel.nMels);
    },
  };
}
