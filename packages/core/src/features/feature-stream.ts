import { ConfigError } from "../errors.ts";
import { createMelSpectrogram, type MelSpectrogram } from "../dsp/melspectrogram.ts";
import { createMfcc, type Mfcc } from "../dsp/mfcc.ts";
import { createFeaturePlan, type FeatureConfig, type FeaturePlan } from "./extract.ts";

/**
 * Where a stream delivers frames as they are computed, instead of holding the whole signal's:
 * `write` gets consecutive runs of [count × dims] frames-major rows, first frame `first`. mfcc and
 * melspec-db floor their dB at the whole signal's loudest value, so they need it first: `maxDb`,
 * from a first pass of the same samples through createMaxDbStream.
 */
export interface FeatureSink {
  maxDb?: number;
  write(rows: Float32Array, first: number): void;
}

/** A feature of a long signal computed block by block: equal to extractFeature on the whole signal. */
export interface FeatureStream {
  readonly dims: number;
  /** Frames of the whole signal (known from its length). */
  readonly frames: number;
  /** The next samples, in order, any block size. */
  push(samples: Float32Array): void;
  /** After the last sample: [frames × dims], frames-major, as extractFeature returns (empty with a sink: the frames went there). */
  finish(): Float32Array;
}

/**
 * First pass for a sink of mfcc or melspec-db: the loudest mel power of the whole signal in dB
 * (power_to_db's reference for its top_db floor), by the same arithmetic as the second pass.
 */
export function createMaxDbStream(config: FeatureConfig, totalSamples: number, segmentFrames = 4096): { push(samples: Float32Array): void; finish(): number } {
  if (config.kind !== "mfcc" && config.kind !== "melspec-db") throw new ConfigError(`only mfcc and melspec-db floor at the signal's loudest value; ${config.kind} needs no first pass.`);
  let max = -Infinity;
  const stream = createFeatureStream(config, totalSamples, segmentFrames, { write: () => undefined }, (m) => (max = Math.max(max, m)));
  return {
    push: (samples) => stream.push(samples),
    finish() {
      stream.finish();
      return max;
    },
  };
}

/**
 * Features of a signal of `totalSamples` samples that arrives in blocks (`ser features` on an
 * hour-long file), holding about `segmentFrames` frames of audio at a time instead of the whole
 * waveform. Every feature here frames the signal centred (librosa's center=True): frame t reads
 * samples t·hop − n_fft/2 .. + n_fft. Each segment of audio starts a whole number of hops before
 * its first frame, far enough that no frame taken from it touches the segment's own padding, so
 * its frames are the whole signal's frames; at the signal's two ends the segment's padding is the
 * signal's. The one whole-signal step is power_to_db's floor (top_db below the loudest value of
 * the whole spectrogram) in mfcc and melspec-db: their mel power is kept ([frames × n_mels]
 * float32, 79 MB for an hour at 22.05 kHz with hop 512), turned into dB and floored at the end by
 * the same kernels in chunks of 4 frames' multiples, then (mfcc) through the DCT. Tested equal,
 * bit for bit, to the whole-signal result.
 */
export function createFeatureStream(config: FeatureConfig, totalSamples: number, segmentFrames = 4096, sink?: FeatureSink, onMaxDb?: (maxDb: number) => void): FeatureStream {
  if (!(Number.isInteger(totalSamples) && totalSamples >= 0)) throw new ConfigError(`total samples must be a whole number, got ${totalSamples}.`);
  const nFft = config.nFft ?? 2048;
  const hop = config.hopLength ?? 512;
  const half = nFft >> 1;
  const global = config.kind === "mfcc" || config.kind === "melspec-db";
  // mfcc and melspec-db run on the mel power (one WebAssembly plan); the others on their own plan.
  const mfcc: Mfcc | undefined = config.kind === "mfcc" ? createMfcc({ ...melConfig(config), nMfcc: config.nMfcc ?? 20, lifter: config.lifter }) : undefined;
  const mel: MelSpectrogram | undefined = mfcc?.logMel ?? (global ? createMelSpectrogram(melConfig(config)) : undefined);
  const plan: FeaturePlan | undefined = global ? undefined : createFeaturePlan(config);
  // Without WebAssembly, the TypeScript mel power (mfcc's logMel would take dB and floor per segment).
  const jsPower = mel && !mel.plan ? (mfcc ? createMelSpectrogram(melConfig(config)) : mel) : undefined;
  const dims = mfcc ? mfcc.nMfcc : mel ? mel.nMels : plan!.dims;
  const frames = (mel ?? plan!).frameCount(totalSamples);
  const rowWidth = mel ? mel.nMels : dims;
  if (sink && global && sink.maxDb === undefined && !onMaxDb) throw new ConfigError(`${config.kind} floors at the whole signal's loudest value: give the sink its maxDb (createMaxDbStream).`);
  // What the segments fill: the feature itself, or the mel power of mfcc / melspec-db (nothing with a sink).
  const rows = new Float32Array(sink ? 0 : frames * rowWidth);
  let mfccOut = new Float32Array(0);
  const lead = Math.ceil(half / hop); // frames of margin before a segment's first kept frame
  const span = Math.max(4, segmentFrames - (segmentFrames % 4));

  let buf = new Float32Array(span * hop + nFft + hop * (lead + 2));
  let bufStart = 0;
  let bufLen = 0;
  let received = 0;
  let next = 0; // next frame to fill
  let done = false;
  let scratch = new Float32Array(0);

  /** Fills frames next .. end-1 from buf (whose windows it holds, or whose padding is the signal's). */
  const run = (end: number) => {
    if (end <= next) return;
    const seg = buf.subarray(0, bufLen);
    const segFrames = (mel ?? plan!).frameCount(bufLen);
    const offset = bufStart / hop; // the segment's frame j is the signal's frame offset + j
    if (scratch.length < segFrames * rowWidth) scratch = new Float32Array(segFrames * rowWidth);
    if (mel?.plan) {
      const c = mel.stft.config;
      scratch.set(mel.plan.melFrames(seg, segFrames, hop, c.center ? c.nFft >> 1 : 0, 2));
    } else if (jsPower) jsPower.compute(seg, scratch);
    else plan!.compute(seg, scratch);
    const part = scratch.subarray((next - offset) * rowWidth, (end - offset) * rowWidth);
    if (!sink) rows.set(part, next * rowWidth);
    else if (!mel) sink.write(part, next);
    else {
      // dB as toDbFloored computes it, then (second pass) floored at the whole signal's max − 80.
      const max = toDb(mel, part);
      if (onMaxDb) onMaxDb(max);
      else {
        const floor = mel.plan ? Math.fround(sink.maxDb! - TOP_DB) : sink.maxDb! - TOP_DB;
        for (let i = 0; i < part.length; i++) if (part[i]! < floor) part[i] = floor;
        if (!mfcc) sink.write(part, next);
        else {
          const n = end - next;
          if (mfccOut.length < n * dims) mfccOut = new Float32Array(n * dims);
          mfcc.fromLogMel(part, n, mfccOut.subarray(0, n * dims));
          sink.write(mfccOut.subarray(0, n * dims), next);
        }
      }
    }
    next = end;
    const keep = Math.max(0, next - lead) * hop;
    const drop = keep - bufStart;
    if (drop > 0) {
      buf.copyWithin(0, drop, bufLen);
      bufLen -= drop;
      bufStart = keep;
    }
  };

  return {
    dims,
    frames,
    push(samples) {
      if (done) throw new ConfigError("the feature stream is finished.");
      if (received + samples.length > totalSamples) throw new ConfigError(`the feature stream was told ${totalSamples} samples and got more.`);
      received += samples.length;
      let offset = 0;
      while (offset < samples.length) {
        if (bufLen === buf.length) {
          const grown = new Float32Array(buf.length * 2);
          grown.set(buf);
          buf = grown;
        }
        const n = Math.min(samples.length - offset, buf.length - bufLen);
        buf.set(samples.subarray(offset, offset + n), bufLen);
        bufLen += n;
        offset += n;
        // Frames whose window ends inside the buffer, a multiple of 4 at a time (see above).
        const end = bufStart + bufLen;
        let last = Math.min(frames, Math.floor((end + half - nFft) / hop) + 1);
        last = next + Math.floor((last - next) / 4) * 4;
        if (last - next >= span && received < totalSamples) run(last);
      }
    },
    finish() {
      if (done) throw new ConfigError("the feature stream is finished.");
      if (received !== totalSamples) throw new ConfigError(`the feature stream was told ${totalSamples} samples and got ${received}.`);
      done = true;
      run(frames);
      if (sink || !mel) return rows;
      const db = toDbFloored(mel, rows, frames);
      if (!mfcc) return db;
      const out = new Float32Array(frames * dims);
      for (let t = 0; t < frames; t += span) {
        const n = Math.min(span, frames - t);
        mfcc.fromLogMel(db.subarray(t * rowWidth, (t + n) * rowWidth), n, out.subarray(t * dims, (t + n) * dims));
      }
      return out;
    },
  };
}

function melConfig(config: FeatureConfig) {
  return {
    nFft: config.nFft ?? 2048,
    hopLength: config.hopLength ?? 512,
    winLength: config.winLength,
    sampleRateHz: config.sampleRateHz,
    nMels: config.nMels ?? 128,
    fminHz: config.fminHz,
    fmaxHz: config.fmaxHz,
    melScale: config.melScale,
  };
}

const TOP_DB = 80;
const AMIN = 1e-10;

/** power_to_db (ref 1, amin 1e-10, no floor) in place, as toDbFloored's first step; returns the part's max (float64 on the TypeScript path). */
function toDb(mel: MelSpectrogram, part: Float32Array): number {
  let max = -Infinity;
  if (mel.plan) {
    const view = mel.plan.load(part);
    mel.plan.powerToDb(view, part.length, { topDb: null, amin: AMIN, ref: 1 });
    part.set(view);
    for (let i = 0; i < part.length; i++) if (part[i]! > max) max = part[i]!;
    return max;
  }
  for (let i = 0; i < part.length; i++) {
    const v = 10 * Math.log10(Math.max(AMIN, part[i]!));
    part[i] = v;
    if (v > max) max = v;
  }
  return max;
}

/**
 * librosa.power_to_db (ref 1, amin 1e-10, top_db 80) on stored mel power, in place, by the same
 * arithmetic as the whole-signal path: the WebAssembly kernel on chunks whose sizes are multiples
 * of 4 values (its 4-lane loop then meets the same values; only the whole array's last <4 values
 * take its scalar tail, here as there), floored at its float32 max − 80; the TypeScript path's
 * float64 values and max (dsp/db.ts).
 */
function toDbFloored(mel: MelSpectrogram, power: Float32Array, frames: number): Float32Array {
  const nMels = mel.nMels;
  const topDb = TOP_DB;
  const amin = AMIN;
  if (mel.plan) {
    const chunkFrames = 4096;
    let max = -Infinity;
    for (let t = 0; t < frames; t += chunkFrames) {
      const part = power.subarray(t * nMels, Math.min(frames, t + chunkFrames) * nMels);
      const view = mel.plan.load(part);
      mel.plan.powerToDb(view, part.length, { topDb: null, amin, ref: 1 });
      part.set(view);
      for (let i = 0; i < part.length; i++) if (part[i]! > max) max = part[i]!;
    }
    const floor = Math.fround(max - topDb);
    for (let i = 0; i < power.length; i++) if (power[i]! < floor) power[i] = floor;
    return power;
  }
  let max = -Infinity;
  for (let i = 0; i < power.length; i++) {
    const v = 10 * Math.log10(Math.max(amin, power[i]!));
    power[i] = v;
    if (v > max) max = v;
  }
  const floor = max - topDb;
  for (let i = 0; i < power.length; i++) if (power[i]! < floor) power[i] = floor;
  return power;
}
