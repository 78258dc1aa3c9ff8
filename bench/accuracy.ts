/**
 * Speaker-independent accuracy: actor-independent K-fold cross-validation on the shared RAVDESS
 * subset for each model, with the same defaults as `ser train`.
 *   pnpm bench:accuracy [-- --models mlp,cnn1d,crnn,cnn2d,transformer --folds 4 --epochs N
 *                          --patience N --augment LIST --refit on|off --l2 X --prosody on|off --calibrate
 *                          --normalize speaker|utterance|none --backend auto]
 * Epochs, patience, augmentation, refit and L2 penalty default to each model's (MODEL_TRAINING).
 * Prints accuracy, UAR and macro-F1 (mean ± std over folds), seconds per epoch and samples/s;
 * with --calibrate also the fitted temperatures and the test folds' ECE and NLL before -> after.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  createFrontend,
  DEFAULT_AUGMENT,
  DEFAULT_FRONTEND,
  parseAugmentList,
  speakerKFold,
} from "@ser/core";
import { MODEL_FEATURES, type ModelName, runExperiment, selectBackend, TRAIN_DEFAULTS, trainingDefaults } from "@ser/core/ml.ts";
import { loadCorpus } from "../packages/cli/src/io/corpus.ts";
import { defaultWorkerCount } from "../packages/cli/src/io/feature-pool.ts";

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args, // pnpm passes a literal "--" through
  options: {
    dir: { type: "string" },
    models: { type: "string", default: "mlp" },
    folds: { type: "string", default: "4" },
    epochs: { type: "string" },
    augment: { type: "string" },
    backend: { type: "string", default: "auto" },
    seed: { type: "string", default: String(TRAIN_DEFAULTS.seed) },
    "n-mfcc": { type: "string" },
    "hop-length": { type: "string" },
    duration: { type: "string" },
    normalize: { type: "string", default: TRAIN_DEFAULTS.normalize },
    "validation-size": { type: "string", default: String(TRAIN_DEFAULTS.validationSize) },
    patience: { type: "string" },
    refit: { type: "string" },
    l2: { type: "string" },
    prosody: { type: "string", default: "on" },
    calibrate: { type: "boolean" },
    dropout: { type: "string", default: "0.3" },
  },
});
const dir = values.dir ?? join(import.meta.dirname!, "..", "..", "shared", "datasets", "ravdess");
const backend = await selectBackend(values.backend as "auto");
if (backend.warning) console.error(`warning: ${backend.warning}`);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const pm = (xs: number[]) => `${(100 * mean(xs)).toFixed(1)} ± ${(100 * std(xs)).toFixed(1)}`;

const rows: string[][] = [];
/** With --calibrate: per fold, the test set's ECE and NLL before and after the fitted temperature. */
const eces: [number, number][] = [], nlls: [number, number][] = [], temps: number[] = [];
const settings: string[] = [];
for (const model of values.models!.split(",") as ModelName[]) {
  const d = trainingDefaults(model);
  const epochs = Number(values.epochs ?? d.epochs);
  const patience = Number(values.patience ?? d.patience);
  const augment = values.augment ?? d.augment;
  const l2 = Number(values.l2 ?? d.l2);
  const refit = (values.refit ?? (d.refit ? "on" : "off")) === "on";
  const frontend = createFrontend({
    ...DEFAULT_FRONTEND,
    kind: MODEL_FEATURES[model],
    ...(values["n-mfcc"] ? { nMfcc: Number(values["n-mfcc"]) } : {}),
    ...(values["hop-length"] ? { hopLength: Number(values["hop-length"]) } : {}),
    ...(values.duration ? { durationS: Number(values.duration) } : {}),
    normalization: values.normalize as "none",
    prosody: MODEL_FEATURES[model] === "stats" && values.prosody === "on",
  });
  settings.push(`${model}: epochs ${epochs}, patience ${patience}, augment ${augment}, refit ${refit ? "on" : "off"}, l2 ${l2}${MODEL_FEATURES[model] === "stats" ? `, prosody ${values.prosody}` : ""}`);
  const { items } = await loadCorpus([dir], { dataset: "auto", labels: {}, frontend, workers: defaultWorkerCount() });
  const folds = speakerKFold(items, { folds: Number(values.folds), seed: Number(values.seed) });
  const acc: number[] = [], uar: number[] = [], f1: number[] = [], secs: number[] = [], sps: number[] = [];
  for (const [i, split] of folds.entries()) {
    const r = await runExperiment({
      frontend,
      model,
      split,
      validationSize: Number(values["validation-size"]),
      refit,
      calibrate: Boolean(values.calibrate),
      dropout: Number(values.dropout),
      augment: { ...DEFAULT_AUGMENT, enabled: parseAugmentList(augment) },
      fit: { epochs, batchSize: TRAIN_DEFAULTS.batchSize, learningRate: TRAIN_DEFAULTS.lr, schedule: "cosine", patience, classWeights: false, l2, seed: Number(values.seed) + i },
    });
    if (r.calibration) {
      const t = r.calibration.test;
      eces.push([t.before.ece, t.after.ece]);
      nlls.push([t.before.nll, t.after.nll]);
      temps.push(r.calibration.temperature);
    }
    acc.push(r.report.accuracy);
    uar.push(r.report.uar);
    f1.push(r.report.macro.f1);
    secs.push(mean(r.fit.history.map((h) => h.seconds)));
    sps.push(mean(r.fit.history.map((h) => h.samplesPerSecond)));
    console.error(`${model} fold ${i + 1}/${folds.length}: UAR ${(100 * r.report.uar).toFixed(1)}%, ${r.fit.history.length} epochs (best ${r.fit.bestEpoch}); test ${split.test.speakers.join(",")}`);
    r.model.dispose();
  }
  rows.push([model, frontend.shape.join("×"), pm(acc), pm(uar), pm(f1), mean(secs).toFixed(1), mean(sps).toFixed(0)]);
}
const header = ["model", "input", "accuracy %", "UAR %", "macro-F1 %", "s/epoch", "samples/s"];
console.log(`RAVDESS subset (${dir}), actor-independent ${values.folds}-fold CV, seed ${values.seed}, validation ${values["validation-size"]}, dropout ${values.dropout}, normalize ${values.normalize}; ${settings.join("; ")}; backend ${backend.backend}${backend.adapter ? ` (${backend.adapter})` : ""}`);
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
for (const r of [header, ...rows]) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join("  "));
if (temps.length > 0) {
  const fmt = (xs: [number, number][], pct: boolean) => {
    const f = (v: number) => (pct ? `${(100 * v).toFixed(1)}%` : v.toFixed(3));
    return `${xs.map(([b, a]) => `${f(b)} -> ${f(a)}`).join(", ")} (mean ${f(mean(xs.map((x) => x[0])))} -> ${f(mean(xs.map((x) => x[1])))})`;
  };
  console.log(`calibration on the test folds: temperature ${temps.map((t) => t.toFixed(2)).join(", ")}; ECE ${fmt(eces, true)}; NLL ${fmt(nlls, false)}`);
}
