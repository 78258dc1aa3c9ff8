import { ConfigError } from "../errors.ts";
import { powerToDb, type PowerToDbOptions } from "./db.ts";
import { createMelFilterbank, type MelFilterbank, type MelNorm, type MelScale } from "./mel.ts";
import { createStft, type Stft, type StftConfig } from "./stft.ts";
import { createWasmMelPlan, type WasmMelPlan } from "./wasm-kernels.ts";
import { makeWindow, padCenter } from "./window.ts";

export interface MelSpectrogramConfig extends StftConfig {
  sampleRateHz: number;
  nMels?: number;
  fminHz?: number;
  fmaxHz?: number;
  melScale?: MelScale;
  melNorm?: MelNorm;
  /** Exponent of the magnitude spectrogram (librosa power=2.0). */
  power?: 1 | 2;
  /**
   * "wasm": WebAssembly SIMD kernels in float32 (as librosa's complex64 STFT); "js": the float64
   * TypeScript reference; "auto" (default): wasm where available and the configuration allows
   * (n_fft a power of two >= 16, zero or reflect padding), else js.
   */
  implementation?: "auto" | "wasm" | "js";
}

export interface MelSpectrogram {
  readonly stft: Stft;
  readonly filterbank: MelFilterbank;
  readonly nMels: number;
  /** Which implementation runs. */
  readonly implementation: "wasm" | "js";
  /** The WebAssembly plan when implementation is "wasm" (createMfcc runs its DCT there too). */
  readonly plan?: WasmMelPlan;
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
  const c = stft.config;
  const want = config.implementation ?? "auto";
  const eligible = c.center ? c.padMode === "constant" || c.padMode === "reflect" : true;
  const plan = want !== "js" && eligible
    ? createWasmMelPlan(c.nFft, padCenter(makeWindow(c.window, c.winLength, true), c.nFft), filterbank, c.padMode === "reflect" ? "reflect" : "constant")
    : null;
  if (want === "wasm" && !plan) {
    throw new ConfigError(`implementation "wasm" needs WebAssembly SIMD, n_fft a power of two >= 16 and zero or reflect padding; got n_fft ${c.nFft}, pad mode ${c.padMode}.`);
  }
  if (plan) {
    return {
      stft,
      filterbank,
      nMels,
      implementation: "wasm",
      plan,
      frameCount: stft.frameCount,
      compute(signal, out) {
        const frames = stft.frameCount(signal.length);
        const need = frames * nMels;
        if (out.length < need) throw new ConfigError(`output holds ${out.length} values, mel spectrogram needs ${need}.`);
        out.set(plan.melFrames(signal, frames, c.hopLength, c.center ? c.nFft >> 1 : 0, power));
      },
    };
  }
  return {
    stft,
    filterbank,
    nMels,
    implementation: "js",
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
  const plan = mel.plan;
  if (plan) {
    const c = mel.stft.config;
    return {
      ...mel,
      compute(signal, out) {
        const frames = mel.frameCount(signal.length);
        if (out.length < frames * mel.nMels) throw new ConfigError(`output holds ${out.length} values, mel spectrogram needs ${frames * mel.nMels}.`);
        const view = plan.melFrames(signal, frames, c.hopLength, c.center ? c.nFft >> 1 : 0, config.power ?? 2);
        plan.powerToDb(view, frames * mel.nMels, config.db);
        out.set(view);
      },
    };
  }
  return {
    ...mel,
    compute(signal, out) {
      mel.compute(signal, out);
      powerToDb(out, config.db, mel.frameCount(signal.length) * mel.nMels);
    },
  };
}
