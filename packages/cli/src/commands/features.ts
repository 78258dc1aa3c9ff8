import { statSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import {
  createFeaturePlan,
  createFeatureStream,
  createMaxDbStream,
  createResampler,
  createResampleStream,
  decodeAudio,
  extractFeature,
  FEATURE_KINDS,
  type FeatureKind,
} from "@ser/core";
import { choiceFlag, flagHelp, type FlagSpecs, intFlag, numberFlag, parse, stringFlag } from "../args.ts";
import { type Command, helpText } from "../command.ts";
import { UsageError } from "../errors.ts";
import { type Matrix, npyHeader, writeMatrix } from "../io/output.ts";
import { readInputFile } from "../io/read-file.ts";
import { openWavBlocks } from "../io/wav-blocks.ts";
import { corpusFlagsGiven, runCorpusFeatures, SHARD_FLAGS } from "./feature-shards.ts";

const FORMATS = ["json", "csv", "npy"] as const;

/** The one-file form's flags (--sr and --n-mfcc serve the corpus form too). */
const ONE_FILE_FLAGS: FlagSpecs = {
  feature: { type: "string", value: "NAME", description: `${FEATURE_KINDS.join(", ")} (default mfcc)` },
  sr: { type: "string", value: "HZ", description: "resample to HZ first, or 'native' (default 22050, like librosa.load; corpus: the front end's rate, as ser train)" },
  "n-mfcc": { type: "string", value: "N", description: "MFCC coefficients (default 20; corpus: as ser train)" },
  "n-fft": { type: "string", value: "N", description: "FFT size; frame length for zcr and rms (default 2048)" },
  "hop-length": { type: "string", value: "N", description: "samples between frames (default 512)" },
  "win-length": { type: "string", value: "N", description: "window length, <= n-fft (default n-fft)" },
  "n-mels": { type: "string", value: "N", description: "mel bands (default 128)" },
  fmin: { type: "string", value: "Hz", description: "lowest mel frequency (default 0)" },
  fmax: { type: "string", value: "Hz", description: "highest mel frequency (default sr/2)" },
  "mel-scale": { type: "string", value: "NAME", description: "slaney or htk (default slaney)" },
  lifter: { type: "string", value: "L", description: "MFCC liftering coefficient, 0 = off (default 0)" },
  format: { type: "string", value: "FMT", description: "json, csv or npy (default json)" },
};

export const featuresCommand: Command = {
  name: "features",
  summary: "compute a librosa-compatible feature matrix for one WAV file, or a corpus's features as Parquet shards",
  usage: "ser features <file.wav> [options]\n       ser features <folder|zip…> --out DIR [--shard I/N] [corpus options]",
  flags: {
    ...ONE_FILE_FLAGS,
    out: { type: "string", value: "FILE|DIR", short: "o", description: "write to FILE instead of standard output (corpus: the folder for the shard files)" },
    ...SHARD_FLAGS,
    help: { type: "boolean", short: "h", description: "show this help" },
  },
  details: `Output is in librosa's orientation: rows are coefficients (or bands), columns are frames.
JSON: {"feature":"mfcc","sampleRateHz":22050,"shape":[20,T],"data":[[...],...]}
CSV: one line per row. NPY: float32 array of that shape (numpy.load reads it), stored in
Fortran order and streamed frame by frame from a WAV file, so its memory does not grow with the
recording's length (mfcc and melspec-db read the file twice: once for the loudest value).

Defaults equal librosa 0.10's (centered STFT with zero padding, periodic Hann window,
Slaney mel with Slaney norm, power_to_db with top_db=80, orthonormal DCT-II).
Resampling uses a Kaiser-windowed sinc (see README); at --sr native no resampling happens and
the numbers match librosa to within 1e-4 on MFCCs.

Examples:
  ser features speech.wav --sr native --n-mfcc 40
  ser features speech.wav --feature melspec-db --sr 16000 --n-fft 512 --hop-length 160 --n-mels 64 --format npy -o mel.npy

A corpus (folders, zips, or several files) gives the features 'ser train' computes with the same
--model/--features flags, as Parquet: one file DIR/shard-IIIII-of-NNNNN.parquet per shard, each
recording in the shard its path hashes to, written to .partial and renamed when complete. Run the N
shards anywhere (a Slurm array, a Kubernetes Indexed Job: see deploy/), then
'ser train --features DIR' trains exactly as from the audio.
  ser features ../shared/datasets/ravdess ../shared/datasets/emodb --out shards --shard 0/3
  SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3 ser features corpus/ --out shards`,
  async run(args, io) {
    const p = parse("features", args, this.flags);
    if (p.values.help) {
      await io.stdout(helpText(this));
      return;
    }
    const corpusFlags = corpusFlagsGiven(p);
    const isCorpus = (path: string) => /\.zip$/i.test(path) || (() => {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    })();
    if (corpusFlags.length > 0 || p.positionals.length > 1 || p.positionals.some(isCorpus)) {
      const oneFile = Object.keys(ONE_FILE_FLAGS).filter((f) => f !== "sr" && f !== "n-mfcc" && p.values[f] !== undefined);
      if (oneFile.length > 0) throw new UsageError(`--${oneFile[0]} applies to one WAV file's matrix; a corpus's features come from the model's front end (--model, --features) and go to Parquet shards.`);
      return await runCorpusFeatures(p, io);
    }
    if (p.positionals.length !== 1) {
      throw new UsageError(
        p.positionals.length === 0
          ? "features needs one WAV file."
          : `features takes one WAV file, got ${p.positionals.length}: ${p.positionals.join(", ")}.`,
      );
    }
    const kind = choiceFlag<FeatureKind>(p, "feature", FEATURE_KINDS, "mfcc");
    const format = choiceFlag(p, "format", FORMATS, "json");
    const srRaw = stringFlag(p, "sr") ?? "22050";
    let targetSr: number | "native";
    if (srRaw === "native") targetSr = "native";
    else {
      if (!/^\d+$/.test(srRaw) || Number(srRaw) < 1000 || Number(srRaw) > 384000) {
        throw new UsageError(`--sr must be 'native' or an integer rate in Hz between 1000 and 384000, got '${srRaw}'.`);
      }
      targetSr = Number(srRaw);
    }
    const nFft = intFlag(p, "n-fft", 2048, 16, 1 << 16);
    const winLength = intFlag(p, "win-length", nFft, 1, 1 << 16);
    if (winLength > nFft) throw new UsageError(`--win-length (${winLength}) must not exceed --n-fft (${nFft}).`);
    const nMels = intFlag(p, "n-mels", 128, 1, 1024);
    const nMfcc = intFlag(p, "n-mfcc", 20, 1, 1024);
    if (kind === "mfcc" && nMfcc > nMels) throw new UsageError(`--n-mfcc (${nMfcc}) must not exceed --n-mels (${nMels}).`);
    const fmin = numberFlag(p, "fmin", 0);
    const fmax = numberFlag(p, "fmax", 0);
    const config = {
      kind,
      nFft,
      winLength,
      hopLength: intFlag(p, "hop-length", 512, 1, 1 << 20),
      nMels,
      nMfcc,
      fminHz: fmin,
      fmaxHz: fmax,
      melScale: choiceFlag(p, "mel-scale", ["slaney", "htk"] as const, "slaney"),
      lifter: numberFlag(p, "lifter", 0) ?? 0,
    };
    const path = p.positionals[0]!;
    const outPath = stringFlag(p, "out");
    const checkRange = (sampleRateHz: number) => {
      const nyquist = sampleRateHz / 2;
      if (fmax !== undefined && fmax > nyquist) {
        throw new UsageError(`--fmax ${fmax} Hz is above the Nyquist frequency ${nyquist} Hz of the ${sampleRateHz} Hz signal.`);
      }
      if ((fmin ?? 0) >= (fmax ?? nyquist)) {
        throw new UsageError(`--fmin (${fmin} Hz) must be below --fmax (${fmax ?? nyquist} Hz).`);
      }
    };
    /**
     * Where bytes go: stdout, or OUT.partial (created on first use, so a usage error leaves
     * none), renamed to OUT once complete: a failed or killed run never leaves a file whose
     * header promises frames it lacks.
     */
    let file: Awaited<ReturnType<typeof open>> | undefined;
    const partial = `${outPath}.partial`;
    const write = async (chunk: string | Uint8Array) => {
      const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
      if (outPath === undefined) return io.stdout(bytes);
      try {
        file ??= await open(partial, "w");
        await file.write(bytes);
      } catch (e) {
        throw new Error(`cannot write '${outPath}': ${(e as Error).message}`);
      }
    };
    let complete = false;
    try {
      let frames: number, data: Float32Array, dims: number, sampleRateHz: number;
      const wav = await openWavBlocks(path);
      if (wav) {
        // A WAV file streams: decode, resample and features a block at a time (bounded memory), the
        // same numbers as the whole-file path below (core's stream tests).
        const from = wav.layout.sampleRateHz;
        sampleRateHz = targetSr === "native" ? from : targetSr;
        const rate = sampleRateHz;
        /** One pass over the file's samples at the output rate. */
        const pass = async (source: typeof wav, push: (b: Float32Array) => void, after?: () => Promise<void>) => {
          const resampler = rate === from ? undefined : createResampler({ fromHz: from, toHz: rate });
          const resampled = resampler ? createResampleStream(resampler, source.layout.frameCount, push) : undefined;
          for await (const block of source.blocks()) {
            if (resampled) resampled.push(block);
            else push(block);
            await after?.();
          }
          resampled?.finish();
          await after?.();
        };
        const total = rate === from ? wav.layout.frameCount : createResampler({ fromHz: from, toHz: rate }).outputLength(wav.layout.frameCount);
        try {
          checkRange(sampleRateHz);
          if (format === "npy") {
            // .npy streams to its destination: the shape is known from the length, and Fortran
            // order stores [dims × frames] frame by frame, as frames are computed. mfcc and
            // melspec-db first read the file once for its loudest value (power_to_db's floor).
            const global = kind === "mfcc" || kind === "melspec-db";
            let maxDb: number | undefined;
            if (global) {
              const first = createMaxDbStream({ ...config, sampleRateHz }, total);
              await pass(wav, (b) => first.push(b));
              maxDb = first.finish();
            }
            const again = global ? await openWavBlocks(path) : wav;
            if (!again) throw new Error(`'${path}' could not be read a second time.`);
            try {
              const pending: Uint8Array[] = [];
              const stream = createFeatureStream({ ...config, sampleRateHz }, total, undefined, {
                maxDb,
                // Copied: the stream reuses its buffers.
                write: (rows) => void pending.push(new Uint8Array(rows.buffer.slice(rows.byteOffset, rows.byteOffset + rows.byteLength))),
              });
              await write(npyHeader(stream.dims, stream.frames, true));
              const flush = async () => {
                for (const c of pending.splice(0)) await write(c);
              };
              await pass(again, (b) => stream.push(b), flush);
              stream.finish();
              await flush();
              complete = true;
            } finally {
              if (again !== wav) await again.close();
            }
            return;
          }
          const stream = createFeatureStream({ ...config, sampleRateHz }, total);
          await pass(wav, (b) => stream.push(b));
          data = stream.finish();
          frames = stream.frames;
          dims = stream.dims;
        } finally {
          await wav.close();
        }
      } else {
        const decoded = await decodeAudio(await readInputFile(path), { source: path });
        let signal = decoded.samples;
        sampleRateHz = decoded.sampleRateHz;
        if (targetSr !== "native" && targetSr !== sampleRateHz) {
          const r = createResampler({ fromHz: sampleRateHz, toHz: targetSr });
          const out = new Float32Array(r.outputLength(signal.length));
          r.process(signal, out);
          signal = out;
          sampleRateHz = targetSr;
        }
        checkRange(sampleRateHz);
        const plan = createFeaturePlan({ ...config, sampleRateHz });
        ({ frames, data } = extractFeature(plan, signal));
        dims = plan.dims;
      }
      if (format === "npy") {
        // The same bytes the streamed path writes: [dims × frames] in Fortran order is the frames-major data as it is.
        await write(npyHeader(dims, frames, true));
        await write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      } else {
        // JSON and CSV are row by row in librosa's orientation ([dims × frames]): the whole matrix first.
        await writeMatrix(transpose(data, frames, dims), format, { feature: kind, sampleRateHz }, write);
      }
      complete = true;
    } finally {
      await file?.close();
      if (file && outPath !== undefined) {
        if (complete) await rename(partial, outPath);
        else await rm(partial, { force: true });
      }
    }
  },
};

/** Frames-major [frames × dims] to librosa's [dims × frames]. */
function transpose(data: Float32Array, frames: number, dims: number): Matrix {
  const out = new Float32Array(frames * dims);
  for (let t = 0; t < frames; t++) for (let d = 0; d < dims; d++) out[d * frames + t] = data[t * dims + d]!;
  return { rows: dims, cols: frames, data: out };
}
