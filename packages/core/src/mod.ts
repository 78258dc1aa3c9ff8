/** Public API of @ser/core. Pure TypeScript: no DOM, no Deno, no I/O, no Math.random. */
export * from "./errors.ts";
export * from "./audio/wav-decode.ts";
export * from "./audio/resample.ts";
export * from "./dsp/fft.ts";
export * from "./dsp/window.ts";
export * from "./dsp/stft.ts";
export * from "./dsp/mel.ts";
export * from "./dsp/db.ts";
export * from "./dsp/melspectrogram.ts";
export * from "./dsp/mfcc.ts";
export * from "./dsp/deltas.ts";
export * from "./dsp/spectral.ts";
export * from "./dsp/chroma.ts";
export * from "./features/extract.ts";
