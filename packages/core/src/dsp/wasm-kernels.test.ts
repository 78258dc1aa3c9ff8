import assert from "node:assert/strict";
import { decodeWav } from "../audio/wav-decode.ts";
import { resample } from "../audio/resample.ts";
import { ravdessFile } from "../../test/helpers.ts";
import { createLogMel } from "./melspectrogram.ts";
import { createMfcc } from "./mfcc.ts";
import { wasmKernelsAvailable } from "./wasm-kernels.ts";

const wav = decodeWav(ravdessFile("Actor_01/03-01-05-02-01-01-01.wav"));
const at16k = resample(wav.samples, 48000, 16000);

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

Deno.test("WebAssembly SIMD kernels are available here (Deno, V8): the default path uses them", () => {
  assert.ok(wasmKernelsAvailable());
  assert.equal(createLogMel({ sampleRateHz: 16000, nFft: 512, hopLength: 160, nMels: 64 }).implementation, "wasm");
});

// float32 against the float64 reference, on a real recording and on signals shorter than a
// frame; tolerances in dB for log-mel and in MFCC units (c0 is about -500 here).
const CASES = [
  { name: "48 kHz, n_fft 2048, hop 512, 128 mels, 40 MFCC", signal: wav.samples, sr: 48000, nFft: 2048, hop: 512, nMels: 128, nMfcc: 40 },
  { name: "16 kHz, n_fft 512, hop 160, 64 mels, 40 MFCC", signal: at16k, sr: 16000, nFft: 512, hop: 160, nMels: 64, nMfcc: 40 },
  { name: "16 kHz, n_fft 256 (odd log2 of n_fft/2: radix-2 stage), 40 mels", signal: at16k.subarray(0, 9000), sr: 16000, nFft: 256, hop: 128, nMels: 40, nMfcc: 13 },
  { name: "a signal shorter than one frame", signal: at16k.subarray(8000, 8300), sr: 16000, nFft: 512, hop: 160, nMels: 64, nMfcc: 20 },
  { name: "n_fft 16 (smallest), 8 mels", signal: at16k.subarray(0, 2000), sr: 16000, nFft: 16, hop: 8, nMels: 4, nMfcc: 4 },
  // Reflect padding in the kernel (torch.stft's centre padding, BYOL-S's front end): edge frames mirror the signal.
  { name: "reflect padding, n_fft 1024, hop 160", signal: at16k.subarray(3000, 23000), sr: 16000, nFft: 1024, hop: 160, nMels: 64, nMfcc: 20, padMode: "reflect" as const },
  { name: "reflect padding, a signal shorter than half a frame", signal: at16k.subarray(8000, 8300), sr: 16000, nFft: 1024, hop: 160, nMels: 64, nMfcc: 20, padMode: "reflect" as const },
];

for (const c of CASES) {
  Deno.test(`wasm and js agree: ${c.name}`, () => {
    const cfg = { sampleRateHz: c.sr, nFft: c.nFft, hopLength: c.hop, nMels: c.nMels, nMfcc: c.nMfcc, lifter: 0, padMode: "padMode" in c ? c.padMode : undefined };
    const frames = createLogMel(cfg).frameCount(c.signal.length);
    const [lw, lj] = (["wasm", "js"] as const).map((implementation) => {
      const out = new Float32Array(frames * c.nMels);
      createLogMel({ ...cfg, implementation }).compute(c.signal, out);
      return out;
    });
    assert.ok(maxDiff(lw!, lj!) < 2e-3, `log-mel differs by ${maxDiff(lw!, lj!)} dB`);
    const [mw, mj] = (["wasm", "js"] as const).map((implementation) => {
      const m = createMfcc({ ...cfg, implementation });
      assert.equal(m.logMel.implementation, implementation);
      const out = new Float32Array(frames * c.nMfcc);
      m.compute(c.signal, out);
      return out;
    });
    assert.ok(maxDiff(mw!, mj!) < 2e-2, `MFCC differs by ${maxDiff(mw!, mj!)}`);
  });
}

Deno.test("one wasm plan serves signals of any length in any order (its buffers grow and are reused)", () => {
  const m = createMfcc({ sampleRateHz: 16000, nFft: 512, hopLength: 160, nMels: 64, nMfcc: 20 });
  const ref = createMfcc({ sampleRateHz: 16000, nFft: 512, hopLength: 160, nMels: 64, nMfcc: 20, implementation: "js" });
  for (const len of [40000, 300, 120000, 16000, 5]) {
    const x = at16k.subarray(0, Math.min(len, at16k.length));
    const frames = m.frameCount(x.length);
    const a = new Float32Array(frames * 20), b = new Float32Array(frames * 20);
    m.compute(x, a);
    ref.compute(x, b);
    assert.ok(maxDiff(a, b) < 2e-2, `length ${len}: ${maxDiff(a, b)}`);
  }
});

Deno.test("configurations the kernels do not cover fall back to js; asking for wasm there is an error naming why", () => {
  assert.equal(createLogMel({ sampleRateHz: 16000, nFft: 400, hopLength: 160, nMels: 40 }).implementation, "js");
  assert.equal(createLogMel({ sampleRateHz: 16000, nFft: 512, hopLength: 160, nMels: 40, padMode: "edge" }).implementation, "js");
  assert.equal(createLogMel({ sampleRateHz: 16000, nFft: 512, hopLength: 160, nMels: 40, padMode: "reflect" }).implementation, "wasm");
  assert.throws(() => createLogMel({ sampleRateHz: 16000, nFft: 400, hopLength: 160, nMels: 40, implementation: "wasm" }), /n_fft 400/);
});

Deno.test("wasm power_to_db: silence hits the amin floor, top_db clips or not, ref shifts, as the reference does", () => {
  const x = new Float32Array(16000);
  x.set(at16k.subarray(20000, 28000), 4000); // silence, speech, silence
  for (const db of [undefined, { topDb: null }, { topDb: 40, ref: 10 }, { amin: 1e-5 }]) {
    const cfg = { sampleRateHz: 16000, nFft: 512, hopLength: 160, nMels: 64, db };
    const frames = createLogMel(cfg).frameCount(x.length);
    const a = new Float32Array(frames * 64), b = new Float32Array(frames * 64);
    createLogMel({ ...cfg, implementation: "wasm" }).compute(x, a);
    createLogMel({ ...cfg, implementation: "js" }).compute(x, b);
    assert.ok(maxDiff(a, b) < 2e-3, `${JSON.stringify(db)}: ${maxDiff(a, b)} dB`);
    if (db?.topDb === null) assert.ok(Math.min(...a) < -90, "without top_db the floor is 10 log10(amin)");
  }
});
