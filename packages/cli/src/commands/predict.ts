import { classMask, createWindowStream, decodeAudio, formatLevelDb, LEVEL_FRAME_S, LIVE_DEFAULTS, parseEmotionList, SerError, SILENCE_DB } from "@ser/core";
import { type Clip, type ClipPrediction, createPredictor, loadBundle, MIN_SPEAKER_CLIPS, type ModelName, predictGrouped, type Predictor, readBundleMeta } from "@ser/core/ml.ts";
import { intFlag, numberFlag, parse, type Parsed, stringFlag } from "../args.ts";
import { type Command, helpText, type Io } from "../command.ts";
import { UsageError } from "../errors.ts";
import { readBundle } from "../io/bundle-io.ts";
import { DEFAULT_MODEL_NOTE, DEFAULT_MODEL_PATH } from "../io/default-model.ts";
import { readInputFile } from "../io/read-file.ts";
import { openWavBlocks } from "../io/wav-blocks.ts";
import { BACKEND_FLAG, startBackend } from "./backend-flag.ts";

export const predictCommand: Command = {
  name: "predict",
  summary: "predict the emotion of WAV files with a trained model",
  usage: "ser predict [--model DIR|ZIP] <file.wav…> [--emotions LIST] [--json] [--abstain-below P] [--mc-passes N] [--timeline [--hop S]]",
  flags: {
    model: { type: "string", value: "DIR", short: "m", description: "model bundle folder or zip (default: the built-in model, models/default.zip)" },
    json: { type: "boolean", description: "print JSON: one object per file with label, probabilities, confidence, entropy" },
    "abstain-below": { type: "string", value: "P", description: "answer 'abstain' when the calibrated confidence is below P (0-1)" },
    "mc-passes": { type: "string", value: "N", description: "Monte-Carlo dropout passes for model uncertainty (default 0: off)" },
    seed: { type: "string", value: "N", description: "seed for the Monte-Carlo dropout masks (default 0)" },
    timeline: { type: "boolean", description: "predict each file window by window over time (long recordings), as the live page does" },
    hop: { type: "string", value: "S", description: "with --timeline: seconds between windows (default: the model's clip length)" },
    speaker: { type: "string", value: "NAME", description: "all files are this one speaker's (default: grouped by the speaker their names carry; a file with none stands alone)" },
    emotions: { type: "string", value: "LIST", description: "choose among these of the model's emotions only, e.g. angry,happy,neutral,sad (probabilities renormalised over them)" },
    ...BACKEND_FLAG,
    help: { type: "boolean", short: "h", description: "show this help" },
  },
  details: `Probabilities are calibrated with the temperature fitted on the training run's validation speakers
(stored in the bundle; see 'calibration' in ser.json). confidence = probability of the label,
entropy in nats (0 certain, ln k uniform). With --mc-passes the classifier's dropout is sampled N
times (Gal & Ghahramani 2016) and mutualInformation measures the model's own uncertainty.
With per-speaker normalisation, files are grouped by the speaker their names carry (RAVDESS,
CREMA-D, SAVEE, TESS, EmoDB) or all taken as --speaker's; speakers are never mixed. Each group's
statistics come from its own clips, shrunk toward the training speakers' average by how few they
are; the JSON's "normalization" and "speaker" say which statistics each prediction used.

Without --timeline each file is one clip: its silences trimmed, the model's clip length (or the
encoder's first 30 s) classified. With --timeline a file is cut into windows of the model's clip
length every --hop seconds and each window is predicted in one live session per file (the
statistics of the file's earlier windows normalise the next, as the page's live mode does; a
shown label: the mean of the windows of the last ${LIVE_DEFAULTS.smoothS} s, changed only once a new label has led for
${LIVE_DEFAULTS.holdS} s, at least one window each: at the default hop the window itself). A window
whose loudest ${LEVEL_FRAME_S * 1000} ms is below ${SILENCE_DB} dB is "silence", as on the page: not classified and not counted in the
statistics, and the shown label starts again after it. WAV files are read in blocks, so an hour-long recording never sits in
memory whole.`,
  async run(args, io) {
    const p = parse("predict", args, this.flags);
    if (p.values.help) return io.stdout(helpText(this));
    if (p.positionals.length === 0) throw new UsageError("predict needs at least one audio file.");
    const modelPath = stringFlag(p, "model") ?? DEFAULT_MODEL_PATH;
    if (modelPath === DEFAULT_MODEL_PATH) await io.stderr(`${DEFAULT_MODEL_NOTE}\n`);
    const abstainBelow = numberFlag(p, "abstain-below", 0, 1);
    const mcPasses = intFlag(p, "mc-passes", 0, 0, 1000);
    if (mcPasses === 1) throw new UsageError("--mc-passes must be 0 (off) or at least 2, got 1.");
    const seed = intFlag(p, "seed", 0, 0);
    const timeline = p.values.timeline === true;
    if (!timeline && p.values.hop !== undefined) throw new UsageError("--hop needs --timeline.");
    if (timeline && mcPasses > 0) throw new UsageError("--mc-passes does not apply with --timeline (each window is one deterministic pass).");
    const bundleFiles = await readBundle(modelPath);
    await startBackend(p, io, { model: readBundleMeta(bundleFiles).model.name as ModelName });
    const predictor = await createPredictor(await loadBundle(bundleFiles));
    const meta = predictor.meta;
    const emotions = emotionsFlag(p, meta.labels);
    if (emotions && mcPasses > 0) throw new UsageError("--mc-passes does not apply with --emotions (the uncertainty is measured over all the model's emotions).");
    if (timeline) {
      const hopS = numberFlag(p, "hop", 0.05, 600) ?? meta.frontend.durationS;
      try {
        await predictTimelines(p.positionals, predictor, { hopS, abstainBelow, emotions, json: p.values.json === true }, io);
      } finally {
        predictor.dispose();
      }
      return;
    }
    type Row = { file: string; speaker?: string; error?: string } & Partial<Omit<ClipPrediction, "name">>;
    const results: Row[] = [];
    const clips: Clip[] = [];
    for (const file of p.positionals) {
      try {
        const wav = await decodeAudio(await readInputFile(file), { source: file });
        clips.push({ name: file, samples: wav.samples, sampleRateHz: wav.sampleRateHz });
      } catch (e) {
        results.push({ file, error: (e as Error).message });
      }
    }
    // Grouped by speaker in core, as the page groups them; the note reads the groups off the predictions.
    const predictions = await predictGrouped(predictor, clips, { mcPasses, seed, abstainBelow, emotions, speaker: stringFlag(p, "speaker") });
    if (meta.frontend.normalization === "speaker") {
      const groups = new Map<string, { clips: number; alone: boolean }>();
      for (const q of predictions) groups.set(q.speaker, { clips: q.groupClips, alone: q.speakerFrom === "alone" });
      const alone = [...groups.values()].filter((g) => g.alone).length;
      await io.stderr(`note: this model normalises features per speaker: ${groups.size} speaker(s) (${[...groups].map(([s, g]) => `${s}: ${g.clips}`).slice(0, 6).join(", ")}${groups.size > 6 ? ", …" : ""})${alone ? `; ${alone} file(s) name no speaker and stand alone (--speaker NAME groups them)` : ""}.\n`);
      if (!meta.speakerNormalization && [...groups.values()].some((g) => g.clips < MIN_SPEAKER_CLIPS)) {
        await io.stderr(`note: this older bundle uses the training speakers' average statistics for speakers with fewer than ${MIN_SPEAKER_CLIPS} clips.\n`);
      }
    }
    for (const { name, speaker, speakerFrom: _from, groupClips: _n, ...r } of predictions) {
      results.push({ file: name, ...(meta.frontend.normalization === "speaker" ? { speaker } : {}), ...r });
    }
    // Report in the order the files were given, unreadable ones included.
    results.sort((a, b) => p.positionals.indexOf(a.file) - p.positionals.indexOf(b.file));
    predictor.dispose();
    if (p.values.json) await io.stdout(JSON.stringify(results, null, 1) + "\n");
    else {
      for (const r of results) {
        if (r.error) await io.stderr(`error: ${r.error}\n`);
        else {
          const top = Object.entries(r.probabilities!).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([l, v]) => `${l} ${(100 * v).toFixed(1)}%`).join(", ");
          const label = r.abstained ? `abstain (best guess ${r.label}, confidence ${(100 * r.confidence!).toFixed(1)}% < ${(100 * abstainBelow!).toFixed(0)}%)` : r.label;
          const mc = r.mcDropout ? `  model uncertainty ${r.mcDropout.mutualInformation.toFixed(3)} nats` : "";
          await io.stdout(`${r.file}: ${label}  (${top})${mc}\n`);
        }
      }
    }
    const failed = results.filter((r) => r.error).length;
    if (failed > 0) throw new Error(`${failed} of ${results.length} files could not be read.`);
  },
};

/** --emotions: the model's emotions to choose among (synonyms accepted), checked against the model's labels. */
export function emotionsFlag(p: Parsed, labels: readonly string[]): string[] | undefined {
  const text = stringFlag(p, "emotions");
  if (text === undefined) return undefined;
  try {
    const list = parseEmotionList(text);
    classMask(labels, list);
    return list;
  } catch (e) {
    if (e instanceof SerError) throw new UsageError(`--emotions: ${e.message}`);
    throw e;
  }
}

/** A window below core's SILENCE_DB: not classified (as the page shows "silence"). */
interface SilentWindow {
  startS: number;
  endS: number;
  silence: true;
  /** The loudest frame's level (core's createWindowLevel); null for digital silence. */
  levelDb: number | null;
}

interface TimelineWindow {
  startS: number;
  endS: number;
  label: string;
  confidence: number;
  probabilities: Record<string, number>;
  abstained?: boolean;
  /** The label the live page would show: the mean of the last few windows. */
  shown: { label: string; confidence: number; notSure: boolean };
}

/** --timeline: each file window by window through one live session; WAV files streamed in blocks. */
async function predictTimelines(files: string[], predictor: Predictor, o: { hopS: number; abstainBelow?: number; emotions?: readonly string[]; json: boolean }, io: Io): Promise<void> {
  const out: { file: string; error?: string; windows?: (TimelineWindow | SilentWindow)[]; summary?: Record<string, number> }[] = [];
  const windowS = predictor.meta.frontend.durationS;
  for (const file of files) {
    const windows: (TimelineWindow | SilentWindow)[] = [];
    try {
      const session = predictor.createSession({ hopS: o.hopS, ...(o.emotions ? { emotions: o.emotions } : {}) });
      const run = async (sampleRateHz: number, blocks: AsyncIterable<Float32Array> | Iterable<Float32Array>) => {
        const stream = createWindowStream(Math.round(windowS * sampleRateHz), Math.max(1, Math.round(o.hopS * sampleRateHz)), async (w, start) => {
          const r = await session.push(w, sampleRateHz);
          const t = (s: number) => s.toFixed(1).padStart(7);
          const span = `${file} ${t(start / sampleRateHz)}-${t((start + w.length) / sampleRateHz)} s`;
          if (r.kind === "silence") {
            windows.push({ startS: start / sampleRateHz, endS: (start + w.length) / sampleRateHz, silence: true, levelDb: Number.isFinite(r.levelDb) ? r.levelDb : null });
            if (!o.json) await io.stdout(`${span}  silence (${formatLevelDb(r.levelDb)})\n`);
            return;
          }
          const abstained = o.abstainBelow !== undefined && r.confidence < o.abstainBelow;
          windows.push({
            startS: start / sampleRateHz,
            endS: (start + w.length) / sampleRateHz,
            label: r.label,
            confidence: r.confidence,
            probabilities: r.probabilities,
            ...(abstained ? { abstained } : {}),
            shown: { label: r.smoothed.label, confidence: r.smoothed.confidence, notSure: r.smoothed.notSure },
          });
          if (!o.json) {
            await io.stdout(`${span}  ${abstained ? `abstain (best guess ${r.label})` : r.label} ${(100 * r.confidence).toFixed(0)}%  shown: ${r.smoothed.notSure ? "not sure" : r.smoothed.label}\n`);
          }
        });
        for await (const b of blocks) await stream.push(b);
        await stream.finish();
      };
      const wav = await openWavBlocks(file);
      if (wav) {
        try {
          await run(wav.layout.sampleRateHz, wav.blocks());
        } finally {
          await wav.close();
        }
      } else {
        const decoded = await decodeAudio(await readInputFile(file), { source: file });
        await run(decoded.sampleRateHz, [decoded.samples]);
      }
      const summary: Record<string, number> = {};
      for (const w of windows) {
        const label = "silence" in w ? "silence" : w.label;
        summary[label] = (summary[label] ?? 0) + 1 / windows.length;
      }
      out.push({ file, windows, summary });
      if (!o.json) {
        const shares = Object.entries(summary).sort((a, b) => b[1] - a[1]).map(([l, v]) => `${l} ${(100 * v).toFixed(0)}%`).join(", ");
        await io.stdout(`${file}: ${windows.length} windows of ${windowS} s every ${o.hopS} s: ${shares}\n`);
      }
    } catch (e) {
      out.push({ file, error: (e as Error).message });
      if (!o.json) await io.stderr(`error: ${(e as Error).message}\n`);
    }
  }
  if (o.json) await io.stdout(JSON.stringify(out, null, 1) + "\n");
  const failed = out.filter((r) => r.error).length;
  if (failed > 0) throw new Error(`${failed} of ${out.length} files could not be read.`);
}
