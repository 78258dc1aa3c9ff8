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
import { openFrontend, type ModelName, resolveTrainingSpec, TRAIN_DEFAULTS, type TrainingSpecInput } from "@ser/core";
import { crossValidate, selectBackend } from "@ser/core/ml.ts";
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
    duration: { type: "string" },
    normalize: { type: "string" },
    "validation-size": { type: "string" },
    patience: { type: "string" },
    refit: { type: "string" },
    l2: { type: "string" },
    prosody: { type: "string" },
    calibrate: { type: "boolean" },
    dropout: { type: "string" },
  },
});
const dir = values.dir ?? join(import.meta.dirname!, "..", "..", "shared", "datasets", "ravdess");
const backend = await selectBackend(values.backend as "auto");
if (backend.warning) console.error(`warning: ${backend.warning}`);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pm = (m: number, s: number) => `${(100 * m).toFixed(1)} ± ${(100 * s).toFixed(1)}`;
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const onoff = (v: string | undefined) => (v === undefined ? undefined : v === "on");

const rows: string[][] = [];
/** With --calibrate: per fold, the test set's ECE and NLL before and after the fitted temperature. */
const eces: [number, number][] = [], nlls: [number, number][] = [], temps: number[] = [];
const settings: string[] = [];
for (const model of values.models!.split(",") as ModelName[]) {
  // argv → spec input; every default is resolveTrainingSpec's.
  const input: TrainingSpecInput = Object.fromEntries(Object.entries({
    model,
    epochs: num(values.epochs),
    patience: num(values.patience),
    augment: values.augment,
    l2: num(values.l2),
    refit: onoff(values.refit),
    nMfcc: num(values["n-mfcc"]),
    durationS: num(values.duration),
    normalize: values.normalize as TrainingSpecInput["normalize"],
    validationSize: num(values["validation-size"]),
    prosody: onoff(values.prosody),
    dropout: num(values.dropout),
    seed: Number(values.seed),
  }).filter(([, v]) => v !== undefined));
  const spec = resolveTrainingSpec(input);
  const frontend = await openFrontend(spec.frontend);
  settings.push(`${model}: epochs ${spec.fit.epochs}, patience ${spec.fit.patience}, augment ${spec.augment.enabled.join(",") || "none"}, refit ${spec.refit ? "on" : "off"}, l2 ${spec.fit.l2}, normalize ${spec.frontend.normalization}, validation ${spec.validationSize}, dropout ${spec.dropout}${spec.frontend.kind === "stats" ? `, prosody ${spec.frontend.prosody ? "on" : "off"}` : ""}`);
  const { items } = await loadCorpus([dir], { dataset: "auto", labels: {}, frontend, workers: defaultWorkerCount() });
  const cv = await crossValidate({
    items,
    frontend,
    spec,
    folds: Number(values.folds),
    calibrate: Boolean(values.calibrate),
    onFoldEnd: (f, r) => {
      if (r.calibration) {
        const t = r.calibration.test;
        eces.push([t.before.ece, t.after.ece]);
        nlls.push([t.before.nll, t.after.nll]);
        temps.push(r.calibration.temperature);
      }
      console.error(`${model} fold ${f.fold}: UAR ${(100 * f.uar).toFixed(1)}%, ${f.epochs} epochs (best ${f.bestEpoch}); test ${f.testSpeakers.join(",")}`);
    },
  });
  rows.push([model, frontend.shape.join("×"), pm(cv.mean.accuracy, cv.std.accuracy), pm(cv.mean.uar, cv.std.uar), pm(cv.mean.macroF1, cv.std.macroF1), mean(cv.folds.map((f) => f.secondsPerEpoch)).toFixed(1), mean(cv.folds.map((f) => f.samplesPerSecond)).toFixed(0)]);
}
const header = ["model", "input", "accuracy %", "UAR %", "macro-F1 %", "s/epoch", "samples/s"];
console.log(`RAVDESS subset (${dir}), actor-independent ${values.folds}-fold CV, seed ${values.seed}; ${settings.join("; ")}; backend ${backend.backend}${backend.adapter ? ` (${backend.adapter})` : ""}`);
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
for (const r of [header, ...rows]) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join("  "));
if (temps.length > 0) {
  const fmt = (xs: [number, number][], pct: boolean) => {
    const f = (v: number) => (pct ? `${(100 * v).toFixed(1)}%` : v.toFixed(3));
    return `${xs.map(([b, a]) => `${f(b)} -> ${f(a)}`).join(", ")} (mean ${f(mean(xs.map((x) => x[0])))} -> ${f(mean(xs.map((x) => x[1])))})`;
  };
  console.log(`calibration on the test folds: temperature ${temps.map((t) => t.toFixed(2)).join(", ")}; ECE ${fmt(eces, true)}; NLL ${fmt(nlls, false)}`);
}
