import { writeFile } from "node:fs/promises";
import {
  type AugmentConfig,
  createFrontend,
  DEFAULT_AUGMENT,
  DEFAULT_FRONTEND,
  type FrontendConfig,
  type FrontendKind,
  parseAugmentList,
  SerError,
  speakerSplit,
  stratifiedSplit,
} from "@ser/core";
import { MODEL_NAMES, type ModelName, runExperiment, saveBundle, tf } from "@ser/core/ml.ts";
import { choiceFlag, intFlag, numberFlag, parse, stringFlag } from "../args.ts";
import { type Command, helpText } from "../command.ts";
import { UsageError } from "../errors.ts";
import { writeBundleDir, writeBundleZip } from "../io/bundle-io.ts";
import { loadCorpus } from "../io/corpus.ts";
import { createTrainProgress } from "../io/progress.ts";
import { renderReport, reportJson } from "../report.ts";
import { BACKEND_FLAG, startBackend } from "./backend-flag.ts";
import { CORPUS_FLAGS, corpusOptions } from "./corpus-flags.ts";

/** The defaults `ser train DATA --out DIR` uses; measured in the README's accuracy table. */
export const TRAIN_DEFAULTS = {
  model: "cnn1d" as ModelName,
  epochs: 40,
  batchSize: 32,
  lr: 1e-3,
  testSize: 0.25,
  validationSize: 0.2,
  patience: 10,
  seed: 42,
  augment: "noise,gain,shift,specaugment",
};

const DEFAULT_FEATURES: Record<ModelName, FrontendKind> = { mlp: "stats", cnn1d: "mfcc", crnn: "mfcc", cnn2d: "logmel", transformer: "mfcc" };

export const trainCommand: Command = {
  name: "train",
  summary: "train a model on datasets and report on speakers it never heard",
  usage: "ser train <path…> --out DIR [options]",
  flags: {
    out: { type: "string", value: "DIR", short: "o", description: "where to write the model bundle (required)" },
    model: { type: "string", value: "NAME", description: `${MODEL_NAMES.join(", ")} (default ${TRAIN_DEFAULTS.model})` },
    features: { type: "string", value: "NAME", description: "mfcc, logmel or stats (default: what the model takes)" },
    epochs: { type: "string", value: "N", description: `maximum epochs (default ${TRAIN_DEFAULTS.epochs})` },
    "batch-size": { type: "string", value: "N", description: `batch size (default ${TRAIN_DEFAULTS.batchSize})` },
    lr: { type: "string", value: "X", description: `Adam learning rate (default ${TRAIN_DEFAULTS.lr})` },
    schedule: { type: "string", value: "NAME", description: "cosine, plateau or constant (default cosine)" },
    patience: { type: "string", value: "N", description: `early stopping after N epochs without validation gain, 0 = off (default ${TRAIN_DEFAULTS.patience})` },
    "class-weights": { type: "boolean", description: "weight classes by inverse frequency" },
    split: { type: "string", value: "NAME", description: "actor (speaker-independent, default) or random (clip-level, leaky)" },
    "test-actors": { type: "string", value: "LIST", description: "speakers to test on, e.g. 03,08,11 (default: drawn by seed)" },
    "test-size": { type: "string", value: "F", description: `fraction of speakers (or clips with --split random) to test on (default ${TRAIN_DEFAULTS.testSize})` },
    "validation-size": { type: "string", value: "F", description: `fraction of training speakers for early stopping, 0 = none (default ${TRAIN_DEFAULTS.validationSize})` },
    augment: { type: "string", value: "LIST", description: `noise, gain, shift, stretch, pitch, specaugment or none (default ${TRAIN_DEFAULTS.augment})` },
    normalize: { type: "string", value: "MODE", description: "none, utterance or speaker feature normalisation (default none)" },
    duration: { type: "string", value: "S", description: `clip length in seconds (default ${DEFAULT_FRONTEND.durationS})` },
    sr: { type: "string", value: "HZ", description: `front-end sample rate (default ${DEFAULT_FRONTEND.sampleRateHz})` },
    seed: { type: "string", value: "N", description: `seed for splits, initialisation, shuffling, augmentation (default ${TRAIN_DEFAULTS.seed})` },
    ...BACKEND_FLAG,
    ...CORPUS_FLAGS,
    zip: { type: "boolean", description: "also write the bundle as DIR.zip" },
    json: { type: "string", value: "FILE", description: "write the test report as JSON" },
    help: { type: "boolean", short: "h", description: "show this help" },
  },
  details: `The default split is speaker-independent: no test speaker is heard in training, and the
validation speakers used for early stopping are carved out of the training speakers. --split random
splits clips instead; its score is reported but labelled as not speaker-independent.

Example:
  ser train ../shared/datasets/ravdess --out model
  ser train ravdess.zip --out model --model crnn --test-actors 03,08,11 --epochs 60 --json report.json`,
  async run(args, io) {
    const p = parse("train", args, this.flags);
    if (p.values.help) return io.stdout(helpText(this));
    if (p.positionals.length === 0) throw new UsageError("train needs at least one folder or zip of recordings.");
    const out = stringFlag(p, "out");
    if (!out) throw new UsageError("train needs --out DIR, where the model bundle is written.");
    const model = choiceFlag<ModelName>(p, "model", MODEL_NAMES, TRAIN_DEFAULTS.model);
    const kind = choiceFlag<FrontendKind>(p, "features", ["mfcc", "logmel", "stats"], DEFAULT_FEATURES[model]);
    if ((model === "mlp") !== (kind === "stats")) {
      throw new UsageError(`--model ${model} cannot take --features ${kind}: mlp takes stats; the others take mfcc or logmel.`);
    }
    const seed = intFlag(p, "seed", TRAIN_DEFAULTS.seed, 0);
    const frontendConfig: FrontendConfig = {
      ...DEFAULT_FRONTEND,
      kind,
      durationS: numberFlag(p, "duration", 0.2, 30) ?? DEFAULT_FRONTEND.durationS,
      sampleRateHz: intFlag(p, "sr", DEFAULT_FRONTEND.sampleRateHz, 4000, 96000),
      normalization: choiceFlag(p, "normalize", ["none", "utterance", "speaker"] as const, DEFAULT_FRONTEND.normalization),
    };
    if (frontendConfig.normalization === "utterance" && kind === "stats") {
      throw new UsageError("--normalize utterance needs feature sequences; --model mlp uses pooled stats (use speaker or none).");
    }
    let augment: AugmentConfig;
    try {
      augment = { ...DEFAULT_AUGMENT, enabled: parseAugmentList(stringFlag(p, "augment") ?? TRAIN_DEFAULTS.augment) };
    } catch (e) {
      throw new UsageError(`--augment: ${(e as Error).message}`);
    }
    const splitKind = choiceFlag(p, "split", ["actor", "random"] as const, "actor");
    const testSize = numberFlag(p, "test-size", 0.01, 0.99) ?? TRAIN_DEFAULTS.testSize;
    const testActors = stringFlag(p, "test-actors")?.split(",").map((s) => s.trim()).filter(Boolean);
    const fitOptions = {
      epochs: intFlag(p, "epochs", TRAIN_DEFAULTS.epochs, 1, 10000),
      batchSize: intFlag(p, "batch-size", TRAIN_DEFAULTS.batchSize, 1, 4096),
      learningRate: numberFlag(p, "lr", 1e-6, 1) ?? TRAIN_DEFAULTS.lr,
      schedule: choiceFlag(p, "schedule", ["cosine", "plateau", "constant"] as const, "cosine"),
      patience: intFlag(p, "patience", TRAIN_DEFAULTS.patience, 0),
      classWeights: Boolean(p.values["class-weights"]),
      seed,
    };
    const validationSize = numberFlag(p, "validation-size", 0, 0.9) ?? TRAIN_DEFAULTS.validationSize;
    const corpus = corpusOptions(p);
    const backend = await startBackend(p, io);

    const frontend = createFrontend(frontendConfig);
    const t0 = performance.now();
    const loaded = await loadCorpus(p.positionals, { ...corpus, frontend });
    const { items, summary } = loaded;
    await io.stderr(`read ${summary.files} recordings (${summary.skipped.length} skipped) from ${summary.speakers.length} speakers in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    if (items.length === 0) throw new Error(`no usable recordings in ${p.positionals.join(", ")}; run 'ser info' on them to see why.`);
    let split;
    try {
      split = splitKind === "random"
        ? stratifiedSplit(items, { testSize, seed })
        : speakerSplit(items, { testSize, testSpeakers: testActors, seed });
    } catch (e) {
      if (e instanceof SerError && testActors) throw new UsageError(`--test-actors: ${e.message}`);
      throw e;
    }
    if (!split.speakerIndependent) await io.stderr("warning: --split random puts the same speakers in training and test; the score is NOT speaker-independent.\n");
    await io.stderr(`${split.protocol}\n`);
    if (frontendConfig.normalization === "speaker") {
      await io.stderr("note: features are normalised per speaker with each speaker's own unlabelled clips, test speakers included.\n");
    }
    const progress = createTrainProgress((t) => void io.stderr(t), io.stderrIsTerminal);
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    Deno.addSignalListener("SIGINT", onSignal);
    let result;
    try {
      result = await runExperiment({
        frontend,
        model,
        split,
        validationSize,
        augment,
        fit: fitOptions,
        onProgress: progress.onProgress,
        onEpoch: progress.onEpoch,
        signal: controller.signal,
      });
    } finally {
      Deno.removeSignalListener("SIGINT", onSignal);
    }
    if (result.fit.cancelled) await io.stderr("interrupted: keeping the best weights so far.\n");
    const meta = result.meta({
      createdAt: new Date().toISOString(),
      dataset: { inputs: p.positionals, files: summary.files, speakers: summary.speakers.length, emotions: summary.emotions, datasets: summary.datasets.map((d) => d.dataset) },
      training: { ...fitOptions, validationSize, augment, backend: backend.backend, adapter: backend.adapter, split: splitKind, testSize, model },
    });
    const files = await saveBundle(result.model, meta);
    await writeBundleDir(out, files);
    if (p.values.zip) await writeBundleZip(`${out.replace(/\/+$/, "")}.zip`, files);
    await io.stdout(renderReport(result.report, result.protocol));
    await io.stdout(`model: ${model} (${result.model.countParams()} parameters), best epoch ${result.fit.bestEpoch} of ${result.fit.history.length}; saved to ${out}${p.values.zip ? ` and ${out.replace(/\/+$/, "")}.zip` : ""}\n`);
    const json = stringFlag(p, "json");
    if (json) {
      await writeFile(json, JSON.stringify(reportJson(result.report, { protocol: result.protocol, speakerIndependent: split.speakerIndependent, model, backend: backend.backend, history: result.fit.history, predictions: result.predictions }), null, 1));
    }
    result.model.dispose();
    void tf;
  },
};
