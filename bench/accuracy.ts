/**
 * Accuracy as users meet it, on every shared corpus at once (RAVDESS, EmoDB, nEMO, or the
 * folders given with --dir): leave one corpus out (train on the others, test on it: a voice,
 * room and language the model never heard) and speaker-independent K-fold cross-validation over
 * all of them, each scored one clip at a time (each clip choosing among its corpus's emotions),
 * enrolled and with skewed enrolment, with per-corpus one-clip UAR; optionally one clip through
 * −20 dB, +10 dB and a telephone channel.
 *   pnpm bench:accuracy [-- --by both|speaker|dataset --dir A --dir B … --models mlp
 *                          --features byol-s|byol-s+conv|… --weighting corpus|class|clip --folds 4
 *                          --normalize speaker|none --enrolment random|all --level-db -20|off
 *                          --epochs N --l2 X --seed S --channels --calibrate --label NAME]
 * Every default is resolveTrainingSpec's (the same as `ser train`). Per-fold results go to
 * bench/results/accuracy-<label>.json (committed, so each figure can be re-checked).
 * Note: the folds here are also the speakers the figures are reported on; settings chosen by
 * comparing these rows are chosen on them (docs/accuracy.md's note on selection).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type FrontendKind, type ModelName, openFrontend, resolveTrainingSpec, TRAIN_DEFAULTS, type TrainingSpecInput } from "@ser/core";
import { CHANNELS, crossValidate, MEETING_PROTOCOLS, scoreChannels, selectBackend } from "@ser/core/ml.ts";
import { loadCorpus, defaultCacheDir, defaultWorkerCount } from "@ser/cli/io";

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args, // pnpm passes a literal "--" through
  options: {
    dir: { type: "string", multiple: true },
    by: { type: "string", default: "both" },
    weighting: { type: "string" },
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
const shared = join(import.meta.dirname!, "..", "..", "shared", "datasets");
const dirs = values.dir?.length ? values.dir : ["ravdess", "emodb", "nemo"].map((d) => join(shared, d));
const dir = dirs.join(" + ");
const bys = values.by === "both" ? ["dataset", "speaker"] as const : [values.by as "speaker" | "dataset"];
if (!bys.every((b) => b === "speaker" || b === "dataset")) throw new Error(`--by must be both, speaker or dataset, got '${values.by}'.`);
// As `ser train` chooses: the mlp on WebAssembly where the WebGPU adapter is a CPU.
const backend = await selectBackend(values.backend as "auto", { model: values.models!.split(",")[0] as ModelName, training: true });
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
    weighting: values.weighting as TrainingSpecInput["weighting"],
    seed: Number(values.seed),
  }).filter(([, v]) => v !== undefined));
  const spec = resolveTrainingSpec(input);
  const frontend = await openFrontend(spec.frontend);
  const t0 = performance.now();
  // The channel tests re-hear the waveforms; otherwise features come from the cache `ser train` fills.
  const { items } = await loadCorpus(dirs, { dataset: "auto", labels: {}, frontend, workers: defaultWorkerCount(), views: spec.views, keepWaves: Boolean(values.channels), ...(values.channels ? {} : { cacheDir: defaultCacheDir() }) });
  const featureSeconds = (performance.now() - t0) / 1000;
  console.error(`${model} on ${spec.frontend.kind}: features for ${items.length} clips in ${featureSeconds.toFixed(1)} s`);
  for (const by of bys) {
  const foldRecords: Record<string, unknown>[] = [];
  const channelUar: Record<string, number[]> = Object.fromEntries(CHANNELS.map((c) => [c, []]));
  const cv = await crossValidate({
    items,
    frontend,
    spec,
    by,
    folds: Number(values.folds),
    calibrate: Boolean(values.calibrate),
    onFoldEnd: async (f, r, split) => {
      // Each fold's own model re-hears its test clips through the channels (one clip at a time).
      const channels = values.channels
        ? await scoreChannels(r.model, frontend, r.normalizer, r.scaler, r.labels, split.test.items.filter((i) => r.labels.classes.includes(i.emotion)), spec.seed)
        : undefined;
      if (channels) for (const c of CHANNELS) channelUar[c]!.push(channels[c].uar);
      foldRecords.push({
        fold: f.fold, ...(by === "dataset" ? { testCorpus: split.test.items[0]?.dataset, trainCorpora: [...new Set(split.train.items.map((i) => i.dataset))].sort() } : {}), testSpeakers: f.testSpeakers, n: f.n, protocols: f.protocols, epochs: f.epochs, secondsPerEpoch: f.secondsPerEpoch,
        ...(channels ? { channels: Object.fromEntries(CHANNELS.map((c) => [c, { accuracy: channels[c].accuracy, uar: channels[c].uar }])) } : {}),
        ...(r.calibration ? { calibration: { temperature: r.calibration.temperature, eceBefore: r.calibration.test?.before.ece, eceAfter: r.calibration.test?.after.ece } } : {}),
      });
      console.error(`fold ${f.fold}: one clip ${(100 * f.protocols["one-clip"].uar).toFixed(1)}, enrolled ${(100 * f.protocols.enrolled.uar).toFixed(1)}, skewed ${(100 * f.protocols.skewed.uar).toFixed(1)}${channels ? `, -20 dB ${(100 * channels["gain-20db"].uar).toFixed(1)}, telephone ${(100 * channels.telephone.uar).toFixed(1)}` : ""} % UAR; test ${f.testSpeakers.join(",")}`);
    },
  });
  const pu = (k: (typeof MEETING_PROTOCOLS)[number]) => pm(cv.folds.map((f) => f.protocols[k].uar));
  const corpusUar = cv.oneClipByCorpus;
  const corpusText = Object.entries(corpusUar).map(([d, c]) => `${d} ${(100 * c.uar).toFixed(1)}`).join(", ");
  rows.push([by === "dataset" ? "corpus out" : `${values.folds}-fold spk`, model, spec.frontend.kind, spec.weighting, `${spec.frontend.normalization}${spec.frontend.normalization === "speaker" ? `/${spec.enrolment}` : ""}`, String(spec.frontend.levelDb ?? "off"), pu("one-clip"), corpusText, pu("enrolled"), pu("skewed"), ...(values.channels ? CHANNELS.map((c) => pm(channelUar[c]!)) : []), mean(cv.folds.map((f) => f.secondsPerEpoch)).toFixed(1)]);
  results.push({ by, model, spec, featureSeconds, folds: foldRecords, oneClipByCorpus: corpusUar, mean: cv.protocols.mean, std: cv.protocols.std });
  }
}
const header = ["folds", "model", "features", "weighting", "normalise", "level dB", "one clip UAR % (fold mean)", "one clip UAR % per corpus", "enrolled UAR %", "skewed UAR %", ...(values.channels ? CHANNELS.map((c) => `${c} UAR %`) : []), "s/epoch"];
console.log(`${dir}: ${bys.map((b) => (b === "dataset" ? "leave one corpus out" : `speaker-independent ${values.folds}-fold CV`)).join(" and ")}, fold seed ${values.seed}; one clip at a time, each clip among its corpus's emotions; backend ${backend.backend}${backend.adapter ? ` (${backend.adapter})` : ""}`);
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
for (const r of [header, ...rows]) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join("  "));
const label = values.label ?? `${values.models}-${values.features ?? "default"}`;
const outDir = join(import.meta.dirname!, "results");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, `accuracy-${label}.json`), JSON.stringify({ command: `pnpm bench:accuracy -- ${Deno.args.filter((a) => a !== "--").join(" ")}`, dir: dirs.map((d) => d.replace(shared, "../shared/datasets")), backend: backend.backend, createdAt: new Date().toISOString(), results }, null, 1) + "\n");
