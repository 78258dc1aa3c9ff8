/**
 * Speaker-independent accuracy, as users meet it: actor-independent K-fold cross-validation on
 * the shared RAVDESS subset (or any folder), every fold scored one clip at a time, enrolled and
 * with skewed enrolment, and one clip at a time through −20 dB, +10 dB and a telephone channel.
 *   pnpm bench:accuracy [-- --models mlp --features stats|byol-s|byol-s+stats --folds 4
 *                          --normalize speaker|none --enrolment random|all --level-db -20|off
 *                          --epochs N --l2 X --seed S --channels --calibrate --label NAME]
 * Every default is resolveTrainingSpec's (the same as `ser train`). Per-fold results go to
 * bench/results/accuracy-<label>.json (committed, so each README row can be re-checked).
 * Note: the folds here are also the speakers the figures are reported on; settings chosen by
 * comparing these rows are chosen on them (see the README's note on selection).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type FrontendKind, type ModelName, openFrontend, resolveTrainingSpec, TRAIN_DEFAULTS, type TrainingSpecInput } from "@ser/core";
import { CHANNELS, crossValidate, MEETING_PROTOCOLS, scoreChannels, selectBackend } from "@ser/core/ml.ts";
import { loadCorpus } from "../packages/cli/src/io/corpus.ts";
import { defaultWorkerCount } from "../packages/cli/src/io/feature-pool.ts";

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args, // pnpm passes a literal "--" through
  options: {
    dir: { type: "string" },
    models: { type: "string", default: "mlp" },
    features: { type: "string" },
    folds: { type: "string", default: "4" },
    epochs: { type: "string" },
    augment: { type: "string" },
    views: { type: "string" },
    backend: { type: "string", default: "auto" },
    seed: { type: "string", default: String(TRAIN_DEFAULTS.seed) },
    "n-mfcc": { type: "string" },
    duration: { type: "string" },
    normalize: { type: "string" },
    enrolment: { type: "string" },
    "level-db": { type: "string" },
    "validation-size": { type: "string" },
    patience: { type: "string" },
    refit: { type: "string" },
    l2: { type: "string" },
    prosody: { type: "string" },
    dropout: { type: "string" },
    calibrate: { type: "boolean" },
    channels: { type: "boolean" },
    label: { type: "string" },
  },
});
const dir = values.dir ?? join(import.meta.dirname!, "..", "..", "shared", "datasets", "ravdess");
const backend = await selectBackend(values.backend as "auto");
if (backend.warning) console.error(`warning: ${backend.warning}`);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const pm = (xs: number[]) => `${(100 * mean(xs)).toFixed(1)} ± ${(100 * std(xs)).toFixed(1)}`;
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const onoff = (v: string | undefined) => {
  if (v !== undefined && v !== "on" && v !== "off") throw new Error(`expected on or off, got '${v}'.`);
  return v === undefined ? undefined : v === "on";
};

const rows: string[][] = [];
const results: Record<string, unknown>[] = [];
for (const model of values.models!.split(",") as ModelName[]) {
  // argv → spec input; every default is resolveTrainingSpec's.
  const input: TrainingSpecInput = Object.fromEntries(Object.entries({
    model,
    features: values.features as FrontendKind | undefined,
    epochs: num(values.epochs),
    patience: num(values.patience),
    augment: values.augment,
    views: values.views,
    l2: num(values.l2),
    refit: onoff(values.refit),
    nMfcc: num(values["n-mfcc"]),
    durationS: num(values.duration),
    normalize: values.normalize as TrainingSpecInput["normalize"],
    enrolment: values.enrolment as TrainingSpecInput["enrolment"],
    levelDb: values["level-db"] === undefined ? undefined : values["level-db"] === "off" ? null : Number(values["level-db"]),
    validationSize: num(values["validation-size"]),
    prosody: onoff(values.prosody),
    dropout: num(values.dropout),
    seed: Number(values.seed),
  }).filter(([, v]) => v !== undefined));
  const spec = resolveTrainingSpec(input);
  const frontend = await openFrontend(spec.frontend);
  const t0 = performance.now();
  const { items } = await loadCorpus([dir], { dataset: "auto", labels: {}, frontend, workers: defaultWorkerCount(), views: spec.views, keepWaves: true }); // the channel tests re-hear the waveforms
  const featureSeconds = (performance.now() - t0) / 1000;
  console.error(`${model} on ${spec.frontend.kind}: features for ${items.length} clips in ${featureSeconds.toFixed(1)} s`);
  const foldRecords: Record<string, unknown>[] = [];
  const channelUar: Record<string, number[]> = Object.fromEntries(CHANNELS.map((c) => [c, []]));
  const cv = await crossValidate({
    items,
    frontend,
    spec,
    folds: Number(values.folds),
    calibrate: Boolean(values.calibrate),
    onFoldEnd: async (f, r, split) => {
      // Each fold's own model re-hears its test clips through the channels (one clip at a time).
      const channels = values.channels
        ? await scoreChannels(r.model, frontend, r.normalizer, r.scaler, r.labels, split.test.items.filter((i) => r.labels.classes.includes(i.emotion)), spec.seed)
        : undefined;
      if (channels) for (const c of CHANNELS) channelUar[c]!.push(channels[c].uar);
      foldRecords.push({
        fold: f.fold, testSpeakers: f.testSpeakers, n: f.n, protocols: f.protocols, epochs: f.epochs, secondsPerEpoch: f.secondsPerEpoch,
        ...(channels ? { channels: Object.fromEntries(CHANNELS.map((c) => [c, { accuracy: channels[c].accuracy, uar: channels[c].uar }])) } : {}),
        ...(r.calibration ? { calibration: { temperature: r.calibration.temperature, eceBefore: r.calibration.test.before.ece, eceAfter: r.calibration.test.after.ece } } : {}),
      });
      console.error(`fold ${f.fold}: one clip ${(100 * f.protocols["one-clip"].uar).toFixed(1)}, enrolled ${(100 * f.protocols.enrolled.uar).toFixed(1)}, skewed ${(100 * f.protocols.skewed.uar).toFixed(1)}${channels ? `, -20 dB ${(100 * channels["gain-20db"].uar).toFixed(1)}, telephone ${(100 * channels.telephone.uar).toFixed(1)}` : ""} % UAR; test ${f.testSpeakers.join(",")}`);
    },
  });
  const pu = (k: (typeof MEETING_PROTOCOLS)[number]) => pm(cv.folds.map((f) => f.protocols[k].uar));
  rows.push([model, spec.frontend.kind, `${spec.frontend.normalization}${spec.frontend.normalization === "speaker" ? `/${spec.enrolment}` : ""}`, String(spec.frontend.levelDb ?? "off"), pu("one-clip"), pu("enrolled"), pu("skewed"), ...(values.channels ? CHANNELS.map((c) => pm(channelUar[c]!)) : []), mean(cv.folds.map((f) => f.secondsPerEpoch)).toFixed(1)]);
  results.push({ model, spec, featureSeconds, folds: foldRecords, mean: cv.protocols.mean, std: cv.protocols.std });
}
const header = ["model", "features", "normalise", "level dB", "one clip UAR %", "enrolled UAR %", "skewed UAR %", ...(values.channels ? CHANNELS.map((c) => `${c} UAR %`) : []), "s/epoch"];
console.log(`${dir}: actor-independent ${values.folds}-fold CV, fold seed ${values.seed}; backend ${backend.backend}${backend.adapter ? ` (${backend.adapter})` : ""}`);
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
for (const r of [header, ...rows]) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join("  "));
const label = values.label ?? `${values.models}-${values.features ?? "default"}`;
const outDir = join(import.meta.dirname!, "results");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, `accuracy-${label}.json`), JSON.stringify({ command: `pnpm bench:accuracy -- ${Deno.args.filter((a) => a !== "--").join(" ")}`, dir, backend: backend.backend, createdAt: new Date().toISOString(), results }, null, 1) + "\n");
