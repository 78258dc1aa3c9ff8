/** The Train section's form: what a training run asks the trainer for. */
import { type CorpusSummary, modelDefaults, type ModelName, resolveTrainingSpec, SPLIT_DEFAULTS } from "@ser/core";
import type { TrialResult } from "@ser/core/ml";
import type { InputFile } from "../workers/data.worker.ts";
import type { TrainerApi } from "../workers/trainer.worker.ts";
import { $ } from "./dom.ts";

type TrainOptions = Parameters<TrainerApi["train"]>[0];

/** Epochs and augmentation follow the chosen model's defaults (the mlp runs 60 epochs unaugmented). */
export function setupTrainForm() {
  // The form starts from core's defaults (resolveTrainingSpec's), not from values in the HTML.
  const d = resolveTrainingSpec({});
  $<HTMLSelectElement>("train-model").value = d.model;
  $<HTMLInputElement>("train-epochs").value = String(d.fit.epochs);
  $<HTMLInputElement>("train-seed").value = String(d.seed);
  $<HTMLInputElement>("train-nmfcc").value = String(d.frontend.nMfcc);
  $<HTMLSelectElement>("train-normalize").value = d.frontend.normalization;
  $<HTMLSelectElement>("train-weighting").value = d.weighting;
  $<HTMLInputElement>("train-batch").value = String(d.fit.batchSize);
  $<HTMLInputElement>("train-lr").value = String(d.fit.learningRate);
  $<HTMLInputElement>("train-augment").value = d.augment.enabled.join(",") || "none";
  $<HTMLSelectElement>("train-model").addEventListener("change", (e) => {
    const d = modelDefaults((e.target as HTMLSelectElement).value as ModelName);
    $<HTMLInputElement>("train-epochs").value = String(d.epochs);
    $<HTMLInputElement>("train-augment").value = d.augment;
  });
}

/** The form as a training request on `inputs` (`dropout` has no field: a search chooses it). */
export function trainOptions(inputs: InputFile[], dropout: number | undefined): TrainOptions {
  return {
    inputs,
    model: $<HTMLSelectElement>("train-model").value as "mlp",
    epochs: Number($<HTMLInputElement>("train-epochs").value),
    seed: Number($<HTMLInputElement>("train-seed").value),
    testSize: SPLIT_DEFAULTS.testSize,
    testDataset: $<HTMLSelectElement>("train-split").value || undefined,
    features: ($<HTMLSelectElement>("train-features").value || undefined) as "mfcc" | undefined,
    batchSize: Number($<HTMLInputElement>("train-batch").value),
    learningRate: Number($<HTMLInputElement>("train-lr").value),
    augment: $<HTMLInputElement>("train-augment").value.trim() || "none",
    emotions: $<HTMLInputElement>("train-emotions").value,
    nMfcc: Number($<HTMLInputElement>("train-nmfcc").value),
    normalize: $<HTMLSelectElement>("train-normalize").value as "speaker",
    weighting: $<HTMLSelectElement>("train-weighting").value as "corpus",
    prosody: $<HTMLInputElement>("train-prosody").checked,
    dropout,
    // ?workers=N in the page's address sets the feature pool's size (benchmarks compare 1 with the default).
    workers: Number(new URLSearchParams(location.search).get("workers")) || undefined,
  };
}

/** The chosen model's name, as the form shows it now. */
export const formModel = () => $<HTMLSelectElement>("train-model").value;
/** The seed field's text (the search seeds its folds with it too). */
export const formSeed = () => $<HTMLInputElement>("train-seed").value;
/** The emotions field's text: comma-separated, empty for all (the search keeps the same ones). */
export const formEmotions = () => $<HTMLInputElement>("train-emotions").value;

/** Cross-corpus needs two datasets at least: offer each as the test set. */
export function offerTestSets(summary: CorpusSummary) {
  const split = $<HTMLSelectElement>("train-split");
  split.replaceChildren(new Option("unseen speakers (a quarter of them)", ""), ...(summary.datasets.length > 1 ? summary.datasets.map((d) => new Option(`${d.dataset} (train on the others)`, d.dataset)) : []));
}

/** Puts a search trial's configuration in the form (all but its dropout, which has no field). */
export function applyTrial(t: TrialResult) {
  const c = t.config;
  $<HTMLSelectElement>("train-model").value = c.model;
  $<HTMLSelectElement>("train-features").value = c.model === "mlp" ? "" : c.features;
  $<HTMLInputElement>("train-nmfcc").value = String(c.nMfcc);
  $<HTMLSelectElement>("train-normalize").value = c.normalize;
  $<HTMLInputElement>("train-lr").value = String(c.learningRate);
  $<HTMLInputElement>("train-batch").value = String(c.batchSize);
  $<HTMLInputElement>("train-augment").value = c.augment;
  $<HTMLInputElement>("train-epochs").value = String(t.epochs);
  // Most of a trial's settings live under "More settings": show them.
  $<HTMLDetailsElement>("train-more").open = true;
}
