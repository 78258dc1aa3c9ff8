import { rm, writeFile } from "node:fs/promises";
import { contentHash, createRunProgress, protocolRows, renderHtmlReport, SerError, resolveSplitSpec, SPLIT_DEFAULTS, SplitError, type SplitField, type SplitKind } from "@ser/core";
import { tested, trainModel } from "@ser/core/ml.ts";
import { choiceFlag, numberFlag, parse, stringFlag } from "../args.ts";
import type { Parsed } from "../args.ts";
import { type Command, helpText } from "../command.ts";
import { UsageError } from "../errors.ts";
import { writeBundleDir, writeBundleZip } from "../io/bundle-io.ts";
import { checkpointDir, readCheckpoint, writeCheckpoint } from "../io/checkpoint.ts";
import { loadCorpus } from "../io/corpus.ts";
import { corpusInputs } from "./corpus-flags.ts";
import { createTrainProgress } from "../io/progress.ts";
import { misclassifiedOf, renderCalibration, renderProtocols, renderReport, REPORT_FLAG, reportJson } from "../report.ts";
import { startBackend } from "./backend-flag.ts";
import { parseTrainingOptions, TRAINING_FLAGS } from "./training-options.ts";

const SPLIT_FLAGS: Record<SplitField, string> = { kind: "--split", testSize: "--test-size", testSpeakers: "--test-actors", testDataset: "--test-dataset", seed: "--seed" };

/** --split/--test-* flags → core's split spec (the CLI calls the speaker split "actor"). */
export function splitFromFlags(p: Parsed, seed: number) {
  const kind = choiceFlag(p, "split", ["actor", "random", "dataset", "none"] as const, "actor");
  try {
    return resolveSplitSpec({
      kind: (kind === "actor" ? "speaker" : kind) as SplitKind,
      testSize: numberFlag(p, "test-size"),
      testSpeakers: stringFlag(p, "test-actors")?.split(",").map((s) => s.trim()).filter(Boolean),
      testDataset: stringFlag(p, "test-dataset"),
      seed,
    });
  } catch (e) {
    if (e instanceof SplitError) throw new UsageError(`${SPLIT_FLAGS[e.field]}: ${e.message}`);
    throw e;
  }
}

/**
 * ser.json's creation time from SOURCE_DATE_EPOCH (the reproducible-builds convention) when set:
 * the same data, options and seed then give the same bundle, byte for byte.
 */
export function sourceDate(): { createdAt?: string } {
  const raw = Deno.env.get("SOURCE_DATE_EPOCH");
  if (raw === undefined || raw === "") return {};
  if (!/^\d+$/.test(raw)) throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got '${raw}'.`);
  return { createdAt: new Date(Number(raw) * 1000).toISOString() };
}

export const trainCommand: Command = {
  name: "train",
  summary: "train a model on datasets and report on speakers it never heard",
  usage: "ser train <path…> --out DIR [options]",
  flags: {
    out: { type: "string", value: "DIR", short: "o", description: "where to write the model bundle (required)" },
    ...TRAINING_FLAGS,
    split: { type: "string", value: "NAME", description: "actor (speaker-independent, default), dataset (cross-corpus), random (clip-level, leaky) or none (every speaker trains, no test: a model to ship, its figures from 'ser cv')" },
    "test-dataset": { type: "string", value: "NAME", description: "with --split dataset: the corpus to test on; the others train" },
    "test-actors": { type: "string", value: "LIST", description: "speakers to test on, e.g. 03,08,11 (default: drawn by seed)" },
    "test-size": { type: "string", value: "F", description: `fraction of speakers (or clips with --split random) to test on (default ${SPLIT_DEFAULTS.testSize})` },
    zip: { type: "boolean", description: "also write the bundle as DIR.zip" },
    resume: { type: "boolean", description: "continue an interrupted run from DIR.checkpoint (same data and options)" },
    json: { type: "string", value: "FILE", description: "write the test report as JSON" },
    ...REPORT_FLAG,
    help: { type: "boolean", short: "h", description: "show this help" },
  },
  details: `The default split is speaker-independent: no test speaker is heard in training, and the
validation speakers (early stopping where on, calibration) are carved out of the training speakers;
with --refit (the mlp's default) a fresh model is then trained on all of them. --split random
splits clips instead; its score is reported but labelled as not speaker-independent. --split dataset
--test-dataset NAME trains on every other corpus given and tests on NAME (cross-corpus).

Example:
  ser train ../shared/datasets/ravdess --out model
  ser train ravdess.zip --out model --model crnn --test-actors 03,08,11 --epochs 60 --json report.json
  ser train ravdess.zip crema-d.zip --out model --split dataset --test-dataset crema-d --report report.html
  ser train --features shards --out model      (from 'ser features <corpus…> --out shards' shards)`,
  async run(args, io) {
    const p = parse("train", args, this.flags);
    if (p.values.help) return io.stdout(helpText(this));
    const out = stringFlag(p, "out");
    if (!out) throw new UsageError("train needs --out DIR, where the model bundle is written.");
    if (p.values.split === "none" && (p.values.json !== undefined || p.values.report !== undefined)) throw new UsageError("--json and --report write the test report; with --split none there is no test (use 'ser cv' for the recipe's figures).");
    const { spec, corpus, shards } = await parseTrainingOptions(p);
    const inputs = shards?.set.header.inputs ?? corpusInputs(p, "train");
    const { model, seed } = spec;
    const frontendConfig = spec.frontend;
    const splitSpec = splitFromFlags(p, seed);
    const backend = await startBackend(p, io, { model, training: true });
    const run = createRunProgress(() => performance.now());
    const progress = createTrainProgress((t) => void io.stderr(t), io.stderrIsTerminal, run);
    // A checkpoint after every epoch lets an interrupted run continue with --resume; the
    // fingerprint makes sure it is continued with the same data, split and options.
    const ckptDir = checkpointDir(out);
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    Deno.addSignalListener("SIGINT", onSignal);
    let trained;
    try {
      trained = await trainModel({
        spec,
        split: splitSpec,
        load: (frontend, o) => shards ? shards.load(frontend, o.views) : loadCorpus(inputs, { ...corpus, frontend, ...o }),
        bundle: { from: "cli", backend: { name: backend.backend, ...(backend.adapter ? { adapter: backend.adapter } : {}) }, inputs, ...sourceDate() },
        run,
        onLoaded: async ({ summary, fromCache }, seconds) => {
          if (io.stderrIsTerminal) await io.stderr("\r\x1b[2K");
          const cached = shards ? `; features from the ${shards.set.count} shards in ${shards.dir}` : fromCache > 0 ? `; features of ${fromCache} from the cache (${corpus.cacheDir})` : "";
          await io.stderr(`read ${summary.files} recordings (${summary.skipped.length} skipped) from ${summary.speakers.length} speakers in ${seconds.toFixed(1)} s${cached}\n`);
        },
        onSplit: async (split) => {
          if (!split.speakerIndependent) await io.stderr("warning: --split random puts the same speakers in training and test; the score is NOT speaker-independent.\n");
          await io.stderr(`${split.protocol}\n`);
        },
        checkpoints: async (split) => {
          const fingerprint = contentHash(new TextEncoder().encode(JSON.stringify({
            spec,
            // Paths with their contents, labels and speakers (with a manifest these no longer follow from the path).
            train: split.train.items.map((i) => [i.path, i.contentHash, i.emotion, i.speaker]), test: split.test.items.map((i) => [i.path, i.contentHash, i.emotion, i.speaker]),
          })));
          let resume;
          if (p.values.resume) {
            const stored = await readCheckpoint(ckptDir);
            if (!stored) throw new UsageError(`--resume: there is no checkpoint at ${ckptDir}; run without --resume to start.`);
            if (stored.fingerprint !== fingerprint) {
              throw new UsageError(`--resume: the checkpoint at ${ckptDir} was written by a different run (other data, options or seed); run without --resume to start over.`);
            }
            resume = stored.checkpoint;
            await io.stderr(`resuming after epoch ${resume.epoch} from ${ckptDir}\n`);
          }
          return { resume, onCheckpoint: (c) => writeCheckpoint(ckptDir, fingerprint, c) };
        },
        onProgress: progress.onProgress,
        onEpoch: progress.onEpoch,
        onStage: (m) => void io.stderr(`${io.stderrIsTerminal ? "\r\x1b[2K" : ""}${m}\n`),
        signal: controller.signal,
      });
    } catch (e) {
      if (e instanceof SplitError) throw new UsageError(`${SPLIT_FLAGS[e.field]}: ${e.message}`);
      if (e instanceof SerError && e.code === "device-lost") {
        throw new Error(`${e.message} To continue on the CPU, run the same command with --resume --backend cpu.`);
      }
      throw e;
    } finally {
      Deno.removeSignalListener("SIGINT", onSignal);
    }
    const { result, meta, files, split, loaded: { summary } } = trained;
    if (result.fit.cancelled) {
      await io.stderr(`interrupted: keeping the best weights so far; 'ser train … --resume' continues from ${ckptDir}.\n`);
    }
    await writeBundleDir(out, files);
    if (p.values.zip) await writeBundleZip(`${out.replace(/\/+$/, "")}.zip`, files);
    const scored = result.report ? tested(result) : undefined;
    if (scored) {
      await io.stdout(renderProtocols(scored.protocols));
      await io.stdout(renderReport(scored.report, scored.protocol));
    } else {
      await io.stdout(`${result.protocol}\n`);
    }
    await io.stdout(renderCalibration(result.calibration));
    await io.stdout(`model: ${model} (${result.model.countParams()} parameters), ${result.firstFit ? `retrained for ${result.fit.history.length} epochs on all training speakers` : `best epoch ${result.fit.bestEpoch} of ${result.fit.history.length}`}; saved to ${out}${p.values.zip ? ` and ${out.replace(/\/+$/, "")}.zip` : ""}\n`);
    const json = stringFlag(p, "json");
    if (json) {
      if (!scored) throw new Error("unreachable: --json with --split none is refused before training.");
      await writeFile(json, JSON.stringify(reportJson(scored.report, { protocols: scored.protocols, protocol: scored.protocol, speakerIndependent: split.speakerIndependent, model, backend: backend.backend, history: result.fit.history, calibration: result.calibration, predictions: result.predictions }), null, 1));
    }
    const html = stringFlag(p, "report");
    if (html && scored) {
      await writeFile(html, renderHtmlReport({
        title: `ser train: ${model} on ${summary.datasets.map((d) => d.dataset).join(" + ")}`,
        createdAt: meta.createdAt,
        protocol: scored.protocol,
        speakerIndependent: split.speakerIndependent,
        report: scored.report,
        protocols: protocolRows(scored.protocols),
        facts: [
          ["model", `${model} (${result.model.countParams()} parameters)`],
          ["features", `${frontendConfig.kind}, ${frontendConfig.sampleRateHz} Hz, ${frontendConfig.durationS} s clips, normalisation ${frontendConfig.normalization}`],
          ["training speakers", result.trainSpeakers.join(", ")],
          ["validation speakers", result.validationSpeakers.join(", ") || "none"],
          ["test speakers", result.testSpeakers.join(", ")],
          ["epochs", result.firstFit ? `${result.fit.history.length} (retrained on all training speakers; first model: ${result.firstFit.history.length})` : `${result.fit.history.length} run, best ${result.fit.bestEpoch}`],
          ["backend", `${backend.backend}${backend.adapter ? ` (${backend.adapter})` : ""}`],
          ["seed", String(seed)],
        ],
        history: result.fit.history,
        calibration: result.calibration,
        misclassified: misclassifiedOf(result.predictions),
      }));
    }
    // A finished run needs no checkpoint; an interrupted one keeps it for --resume.
    if (!result.fit.cancelled) await rm(ckptDir, { recursive: true, force: true });
    result.model.dispose();
  },
};
