/**
 * One experiment, three translations: the CLI's flags, the page's Train form and a tune trial
 * must resolve to the same TrainingSpec (core's resolveTrainingSpec owns every default), and a
 * conflict is reported with each caller's own names for the fields.
 */
import assert from "node:assert/strict";
import { resolveTrainingSpec, SpecError, trialSpecInput } from "@ser/core/ml.ts";
import { parse } from "./src/args.ts";
import { resolveFlags, trainingSpecInput, TRAINING_FLAGS } from "./src/commands/training-options.ts";
import { trainFormToSpecInput } from "../web/src/train-request.ts";

const fromFlags = (...args: string[]) => resolveFlags(trainingSpecInput(parse("train", args, TRAINING_FLAGS)));

Deno.test("the same experiment from CLI flags, the page's form and a tune trial gives one spec", () => {
  const cli = fromFlags("--model", "mlp", "--features", "stats", "--n-mfcc", "20", "--normalize", "speaker", "--lr", "0.002", "--batch-size", "16", "--dropout", "0.25", "--augment", "none", "--epochs", "12", "--patience", "0", "--seed", "7", "--weighting", "class");
  const page = resolveTrainingSpec(trainFormToSpecInput({ model: "mlp", features: "stats", nMfcc: 20, normalize: "speaker", learningRate: 0.002, batchSize: 16, dropout: 0.25, augment: "none", epochs: 12, seed: 7, prosody: true, weighting: "class" }));
  const trial = resolveTrainingSpec(trialSpecInput({ model: "mlp", features: "stats", nMfcc: 20, normalize: "speaker", learningRate: 0.002, batchSize: 16, dropout: 0.25, augment: "none" }, 12, 7));
  assert.deepEqual(cli, page);
  assert.equal(cli.weighting, "class");
  assert.deepEqual({ ...cli, weighting: "corpus" }, trial);
  // The mlp's own defaults come along in every translation: the L2 penalty tune once dropped.
  assert.equal(trial.fit.l2, 0.03);
  assert.equal(trial.refit, true);
});

Deno.test("defaults: no input at all is the README's default run", () => {
  const d = fromFlags();
  assert.deepEqual(d, resolveTrainingSpec({}));
  assert.deepEqual(d, resolveTrainingSpec(trainFormToSpecInput({ model: "mlp" })));
  assert.equal(d.model, "mlp");
  assert.equal(d.frontend.kind, "byol-s");
  assert.equal(d.frontend.prosody, false);
  assert.equal(d.frontend.levelDb, -20);
  assert.equal(d.enrolment, "random");
  assert.equal(d.fit.epochs, 60);
  assert.equal(resolveTrainingSpec({ model: "cnn1d" }).fit.patience, 10);
});

Deno.test("conflicts name each caller's fields", () => {
  assert.throws(() => fromFlags("--model", "cnn1d", "--prosody", "on"), /--prosody adds pitch and level statistics to the stats features; --features mfcc has none/);
  assert.throws(() => fromFlags("--normalize", "utterance"), /--normalize utterance needs feature sequences; --features byol-s is pooled/);
  assert.throws(() => fromFlags("--epochs", "0"), /--epochs must be an integer from 1 to 10000, got 0/);
  try {
    resolveTrainingSpec({ model: "cnn2d", features: "stats" });
    assert.fail("expected a conflict");
  } catch (e) {
    assert.ok(e instanceof SpecError);
    assert.deepEqual(e.fields, ["model", "features"]);
    assert.match(e.format((f) => (f === "model" ? "Model" : "Features")), /^Model cnn2d cannot take Features stats/);
  }
  assert.throws(() => resolveTrainingSpec({ learningRate: 5 }), /learningRate must be a number from 0.000001 to 1, got 5/);
});
