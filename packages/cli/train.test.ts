/**
 * train → evaluate → predict, end to end through the real CLI on real RAVDESS recordings
 * (a small slice, a small model, few epochs: this checks the plumbing and the honesty of the
 * protocol, not accuracy; the accuracy benchmark is `pnpm bench:accuracy`).
 */
import assert from "node:assert/strict";
import { ser } from "./test-helpers.ts";
import { join } from "node:path";
import { RAVDESS, REPO_ROOT, sortedNames } from "../core/test/helpers.ts";
import { existsSync } from "node:fs";


/** Actors 01–04, four emotions, copied into train/ and (actor 04) test/ folders. */
async function slice(): Promise<{ dir: string; all: string; heldOut: string }> {
  const dir = await Deno.makeTempDir({ prefix: "ser-train-" });
  const all = join(dir, "all");
  const heldOut = join(dir, "actor04");
  for (const actor of ["01", "02", "03", "04"]) {
    for (const e of Deno.readDirSync(join(RAVDESS, `Actor_${actor}`))) {
      const emotion = e.name.split("-")[2];
      if (!["01", "03", "04", "05"].includes(emotion!)) continue;
      for (const target of actor === "04" ? [all, heldOut] : [all]) {
        await Deno.mkdir(join(target, `Actor_${actor}`), { recursive: true });
        await Deno.copyFile(join(RAVDESS, `Actor_${actor}`, e.name), join(target, `Actor_${actor}`, e.name));
      }
    }
  }
  return { dir, all, heldOut };
}

Deno.test("ser train → evaluate → predict on real RAVDESS speakers, with a speaker-independent report and a portable bundle", async () => {
  const { dir, all, heldOut } = await slice();
  const model = join(dir, "model");
  const reportPath = join(dir, "report.json");
  const t = await ser("train", all, "--out", model, "--model", "mlp", "--epochs", "3", "--test-actors", "04", "--validation-size", "0", "--augment", "noise,gain", "--zip", "--json", reportPath, "--seed", "7");
  assert.equal(t.code, 0, t.stderr);
  // These machines' only WebGPU adapter is Mesa's llvmpipe, on which the mlp trains ~8x faster on WebAssembly.
  assert.match(t.stderr, /backend: wasm: the WebGPU adapter is a CPU \(.*llvmpipe.*\), on which the mlp runs faster on WebAssembly/);
  assert.match(t.stdout, /protocol: speaker-independent split: held-out speakers ravdess-04/);
  assert.match(t.stdout, /precision\s+recall\s+f1-score\s+support/);
  const report = JSON.parse(Deno.readTextFileSync(reportPath));
  const testFiles = [...Deno.readDirSync(join(heldOut, "Actor_04"))].length;
  assert.equal(report.n, testFiles);
  assert.equal(report.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0), testFiles);
  assert.deepEqual(report.labels, ["neutral", "happy", "sad", "angry"]);
  assert.equal(report.speakerIndependent, true);
  for (const f of ["model.json", "weights.bin", "ser.json"]) assert.ok(Deno.statSync(join(model, f)).size > 0, f);
  const meta = JSON.parse(Deno.readTextFileSync(join(model, "ser.json")));
  assert.deepEqual(meta.dataset.testSpeakers, ["ravdess-04"]);
  assert.ok(!meta.dataset.trainSpeakers.includes("ravdess-04"));
  assert.equal(meta.seed, 7);

  // evaluate on the held-out actor reproduces the training report exactly (same model, same inputs).
  const evalPath = join(dir, "eval.json");
  const e = await ser("evaluate", "--model", model, heldOut, "--json", evalPath);
  assert.equal(e.code, 0, e.stderr);
  const ev = JSON.parse(Deno.readTextFileSync(evalPath));
  for (const key of ["accuracy", "uar", "macro", "weighted", "perClass", "labels", "confusionMatrix", "n"]) assert.ok(key in ev, key);
  assert.deepEqual(ev.confusionMatrix, report.confusionMatrix);
  assert.equal(ev.uar, report.uar);
  assert.match(e.stdout, /speakers the model never heard/);

  // evaluating on training speakers is allowed but labelled.
  const leaky = await ser("evaluate", "--model", model, join(all, "Actor_01"));
  assert.equal(leaky.code, 0, leaky.stderr);
  assert.match(leaky.stderr, /were in the model's training data; the score is not speaker-independent/);

  // predict with the zipped bundle.
  const wav = join(heldOut, "Actor_04", sortedNames(join(heldOut, "Actor_04"))[0]!);
  const p = await ser("predict", "--model", `${model}.zip`, wav, "--json");
  assert.equal(p.code, 0, p.stderr);
  const [pred] = JSON.parse(p.stdout);
  assert.ok(report.labels.includes(pred.label));
  const sum = Object.values(pred.probabilities as Record<string, number>).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-4);

  // The same clip as FLAC, AIFF-C, MP3 and Ogg Opus (Debian's sox and opusenc): the lossless
  // ones predict the WAV's probabilities exactly, the lossy ones its label.
  const enc = (out: string, cmd = "sox", ...args: string[]) => {
    const r = new Deno.Command(cmd, { args: [...args, wav, out], stderr: "piped" }).outputSync();
    assert.ok(r.success, new TextDecoder().decode(r.stderr));
    return out;
  };
  const encoded = [enc(join(dir, "clip.flac")), enc(join(dir, "clip.aifc")), enc(join(dir, "clip.mp3")), enc(join(dir, "clip.opus"), "opusenc", "--quiet")];
  const q = await ser("predict", "--model", model, wav, ...encoded, "--json");
  assert.equal(q.code, 0, q.stderr);
  const rows = JSON.parse(q.stdout) as { file: string; label: string; probabilities: Record<string, number> }[];
  const row = (f: string) => rows.find((r) => r.file === f)!;
  const w = row(wav), flac = row(encoded[0]!), aifc = row(encoded[1]!), mp3 = row(encoded[2]!), opus = row(encoded[3]!);
  assert.deepEqual(flac.probabilities, w.probabilities);
  assert.deepEqual(aifc.probabilities, w.probabilities);
  for (const lossy of [mp3, opus]) assert.equal(lossy.label, w.label, `${lossy.file}: ${JSON.stringify(lossy.probabilities)} vs ${JSON.stringify(w.probabilities)}`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ser train / evaluate / predict usage and bundle errors are clear", async () => {
  const dir = await Deno.makeTempDir();
  const cases: [string[], number, RegExp][] = [
    [["train", RAVDESS], 2, /train needs --out DIR/],
    [["train", RAVDESS, "--out", dir, "--model", "mlp", "--features", "mfcc"], 2, /--model mlp cannot take --features mfcc/],
    [["train", RAVDESS, "--out", dir, "--model", "resnet"], 2, /--model must be one of mlp, cnn1d, crnn, cnn2d, transformer, got 'resnet'/],
    [["train", RAVDESS, "--out", dir, "--augment", "reverb"], 2, /--augment: unknown augmentation 'reverb'/],
    [["evaluate", RAVDESS], 2, /evaluate needs --model DIR/],
    [["predict", "--model", join(dir, "nope"), "x.wav"], 1, /cannot read model '.*nope': no such folder or zip/],
  ];
  for (const [args, code, pattern] of cases) {
    const r = await ser(...args);
    assert.equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
  }
  Deno.writeTextFileSync(join(dir, "ser.json"), "{broken");
  const broken = await ser("predict", "--model", dir, "x.wav");
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /ser\.json is not valid JSON/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ser cv tests every speaker once and pools the confusion matrices", async () => {
  const { dir, all } = await slice();
  const json = join(dir, "cv.json");
  const r = await ser("cv", all, "--folds", "2", "--model", "mlp", "--epochs", "2", "--validation-size", "0", "--augment", "none", "--json", json);
  assert.equal(r.code, 0, r.stderr);
  const cv = JSON.parse(Deno.readTextFileSync(json));
  assert.equal(cv.folds.length, 2);
  const tested = cv.folds.flatMap((f: { testSpeakers: string[] }) => f.testSpeakers).sort();
  assert.deepEqual(tested, ["ravdess-01", "ravdess-02", "ravdess-03", "ravdess-04"]);
  const total = cv.folds.reduce((s: number, f: { n: number }) => s + f.n, 0);
  let files = 0;
  for (const a of ["01", "02", "03", "04"]) files += [...Deno.readDirSync(join(all, `Actor_${a}`))].length;
  assert.equal(total, files);
  assert.equal(cv.pooled.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0), files);
  assert.match(r.stdout, /mean ± std/);
  const bad = await ser("cv", all, "--folds", "9");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--folds 9: 9 folds need at least 9 speakers; the data has 4/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ser train --split random is labelled as not speaker-independent everywhere", async () => {
  const { dir, all } = await slice();
  const json = join(dir, "r.json");
  const r = await ser("train", all, "--out", join(dir, "m"), "--split", "random", "--epochs", "1", "--validation-size", "0", "--augment", "none", "--json", json);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /the score is NOT speaker-independent/);
  assert.match(r.stdout, /protocol: random clip-level split .* NOT speaker-independent/);
  assert.equal(JSON.parse(Deno.readTextFileSync(json)).speakerIndependent, false);
  const meta = JSON.parse(Deno.readTextFileSync(join(dir, "m", "ser.json")));
  assert.match(meta.protocol, /NOT speaker-independent/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ser train calibrates on validation speakers; predict gives confidence, entropy, abstention and MC-dropout uncertainty", async () => {
  const { dir, all, heldOut } = await slice();
  const model = join(dir, "model");
  const t = await ser("train", all, "--out", model, "--model", "mlp", "--epochs", "2", "--test-actors", "04", "--validation-size", "0.34", "--augment", "none", "--seed", "3");
  assert.equal(t.code, 0, t.stderr);
  const meta = JSON.parse(Deno.readTextFileSync(join(model, "ser.json")));
  assert.equal(meta.dataset.validationSpeakers.length, 1);
  const [valSpeaker] = meta.dataset.validationSpeakers;
  // The mlp refits: the first model (without the validation speaker) gives the temperature, the
  // saved one learned from every training speaker, the validation speaker included.
  assert.match(t.stdout, new RegExp(`calibration: temperature \\d+\\.\\d\\d fitted on validation speakers ${valSpeaker} \\(\\d+ clips\\), predicted by the first model; on the test set ECE`));
  assert.match(t.stderr, /first model: \d+ training speakers, 1 for validation[^]*final model: retrained on all \d+ training speakers for 2 epochs/);
  assert.ok(meta.dataset.trainSpeakers.includes(valSpeaker), "the final model trained on the validation speaker too");
  assert.match(meta.protocol, /then the model was retrained on all \d+ training speakers for 2 epochs/);
  assert.ok(meta.calibration.temperature > 0.05 && meta.calibration.temperature < 20);
  assert.equal(meta.calibration.test.before.bins.length, 15);
  // How a new speaker is met leads the report, one clip first; the bundle keeps all three and its prior.
  assert.match(t.stdout, /how a new speaker is met:\n  one clip +UAR +[\d.]+%[^\n]*\n  enrolled +UAR[^\n]*\n  skewed enrolment +UAR/);
  assert.deepEqual(Object.keys(meta.protocols), ["one-clip", "enrolled", "skewed"]);
  assert.equal(meta.evaluation.uar, meta.protocols["one-clip"].uar);
  assert.equal(meta.speakerNormalization.kappa, 8);
  assert.equal(meta.speakerNormalization.prior.mean.length, meta.scaler.dims);

  const wavs = [...Deno.readDirSync(join(heldOut, "Actor_04"))].map((e) => join(heldOut, "Actor_04", e.name)).sort().slice(0, 3);
  const p = await ser("predict", "--model", model, ...wavs, "--json", "--mc-passes", "8", "--abstain-below", "1");
  assert.equal(p.code, 0, p.stderr);
  const preds = JSON.parse(p.stdout);
  assert.equal(preds.length, 3);
  for (const r of preds) {
    const probs = Object.values(r.probabilities as Record<string, number>);
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-4);
    assert.ok(Math.abs(r.confidence - Math.max(...probs)) < 1e-6);
    assert.equal(r.probabilities[r.label], r.confidence);
    assert.ok(r.entropy > 0 && r.entropy <= Math.log(4) + 1e-6, `entropy ${r.entropy}`);
    assert.equal(r.calibrated, true);
    assert.equal(r.abstained, true, "a confidence below 1 abstains at --abstain-below 1");
    assert.equal(r.mcDropout.passes, 8);
    // Grouped by the speaker the RAVDESS names carry: three clips of actor 04 together.
    assert.equal(r.speaker, "ravdess-04");
    assert.deepEqual(r.normalization, { kind: "speaker", clips: 3, weight: 3 / 11 });
    assert.ok(r.mcDropout.mutualInformation >= 0 && r.mcDropout.mutualInformation <= r.mcDropout.predictiveEntropy + 1e-9);
  }
  const text = await ser("predict", "--model", model, wavs[0]!, "--abstain-below", "1");
  assert.match(text.stdout, /abstain \(best guess \w+, confidence [\d.]+% < 100%\)/);
  const bad = await ser("predict", "--model", model, wavs[0]!, "--mc-passes", "1");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--mc-passes must be 0 \(off\) or at least 2, got 1/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("cross-corpus: train --split dataset, cv --by dataset and evaluate say which corpora trained and which tested; --report writes HTML", async () => {
  const { generatedDatasets } = await import("../core/test/make-datasets.ts");
  const gen = await generatedDatasets();
  const { dir } = await slice();
  const ravdess = join(dir, "all");
  await Deno.remove(join(ravdess, "Actor_04"), { recursive: true });
  const emotions = ["--emotions", "angry,happy,sad,neutral"];
  const model = join(dir, "model");
  const html = join(dir, "train.html");
  const t = await ser("train", ravdess, gen.cremaD, "--out", model, "--split", "dataset", "--test-dataset", "crema-d", ...emotions, "--model", "mlp", "--epochs", "2", "--augment", "none", "--report", html);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /protocol: cross-corpus: trained on ravdess, tested on crema-d/);
  assert.match(t.stdout, /test recordings: 4\n/, `every CREMA-D clip of the four emotions is a test clip:\n${t.stdout.slice(0, 1500)}\n${t.stderr.slice(0, 1500)}`);
  const page = Deno.readTextFileSync(html);
  assert.match(page, /cross-corpus: trained on ravdess, tested on crema-d/);
  assert.match(page, /<h2>Calibration<\/h2><p>Temperature scaling, T = [\d.]+, fitted on validation speakers ravdess-0\d/);
  assert.ok(!/<script/i.test(page));

  const e = await ser("evaluate", "--model", model, gen.cremaD, "--report", join(dir, "eval.html"));
  assert.equal(e.code, 0, e.stderr);
  assert.match(e.stdout, /tested on crema-d, model trained on ravdess \(cross-corpus\)/);
  assert.match(e.stdout, /calibration: temperature [\d.]+ fitted on validation speakers/);
  assert.match(Deno.readTextFileSync(join(dir, "eval.html")), /model trained on ravdess \(cross-corpus\)/);

  const cv = await ser("cv", ravdess, gen.cremaD, "--by", "dataset", ...emotions, "--model", "mlp", "--epochs", "1", "--augment", "none", "--validation-size", "0", "--report", join(dir, "cv.html"));
  assert.equal(cv.code, 0, cv.stderr);
  assert.match(cv.stdout, /leave-one-corpus-out cross-validation over 2 corpora/);
  assert.match(cv.stdout, /trained on ravdess, tested on crema-d/);
  assert.match(cv.stdout, /trained on crema-d, tested on ravdess/);
  assert.match(Deno.readTextFileSync(join(dir, "cv.html")), /<h2>Folds<\/h2>/);

  const bad = await ser("train", ravdess, "--out", model, "--split", "dataset", "--test-dataset", "tess");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--test-dataset: 'tess' is not among the corpora read \(ravdess\)/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ser tune: leaderboard on speaker folds, best config replayed by train --config", async () => {
  const { dir, all } = await slice();
  const best = join(dir, "best.json");
  const t = await ser("tune", all, "--trials", "3", "--epochs", "2", "--folds", "2", "--out", best, "--json", join(dir, "trials.json"));
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /successive halving: 3 configurations scored on 2 speaker folds \(4 speakers\)/);
  assert.match(t.stdout, /it is not a test score/);
  const rows = t.stdout.split("\n").filter((l) => /^\s+\d+\s+\d+\s+\d+\s+[\d.]+ ± [\d.]+\s+mlp lr/.test(l));
  assert.equal(rows.length, 3);
  const trials = JSON.parse(Deno.readTextFileSync(join(dir, "trials.json"))).trials;
  // Ranked: the trial kept for the longer rung first, and within a rung by mean UAR.
  assert.equal(trials[0].epochs, 2);
  for (const tr of trials) assert.equal(tr.foldUar.length, 2);
  const cfg = JSON.parse(Deno.readTextFileSync(best));
  assert.deepEqual(cfg.spec, trials[0].input);
  assert.equal(cfg.score.meanUar, trials[0].meanUar);

  // train --config takes the tuned values; a flag on the command line wins over the file.
  const model = join(dir, "model");
  const r = await ser("train", all, "--out", model, "--config", best, "--epochs", "1", "--test-actors", "04");
  assert.equal(r.code, 0, r.stderr);
  const meta = JSON.parse(Deno.readTextFileSync(join(model, "ser.json")));
  assert.equal(meta.training.version, 2);
  assert.equal(meta.training.spec.fit.epochs, 1);
  // Everything but the overridden epochs is the spec the trial was scored with (its L2 penalty included).
  const scored = trials[0].spec;
  assert.deepEqual({ ...meta.training.spec, fit: { ...meta.training.spec.fit, epochs: scored.fit.epochs } }, scored);
  assert.equal(meta.training.spec.fit.l2, 0.03);
  assert.deepEqual(meta.frontend, scored.frontend);

  Deno.writeTextFileSync(join(dir, "bad.json"), JSON.stringify({ flags: { "learning-rate": 0.1 } }));
  const bad = await ser("train", all, "--out", model, "--config", join(dir, "bad.json"));
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /sets 'learning-rate', which is not a training flag/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ser train --resume after Ctrl-C ends with the same model as an uninterrupted run", async () => {
  const { dir, all } = await slice();
  const args = (out: string) => ["train", all, "--out", out, "--model", "mlp", "--features", "stats", "--epochs", "6", "--test-actors", "04", "--validation-size", "0.34", "--augment", "noise,gain", "--patience", "0", "--seed", "5"];
  const straight = await ser(...args(join(dir, "straight")));
  assert.equal(straight.code, 0, straight.stderr);
  assert.ok(!existsSync(join(dir, "straight.checkpoint")), "a finished run removes its checkpoint");

  // Interrupt once epoch 2 has been logged (SIGINT, as Ctrl-C sends): in the first model's fit,
  // and in the retraining on all training speakers (the mlp refits by default).
  for (const [name, when] of [["resumed", /epoch\s+2\s/], ["resumed-refit", /final model[^]*epoch\s+2\s/]] as const) {
    const out = join(dir, name);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(REPO_ROOT, "packages/cli/main.ts"), ...args(out)],
      cwd: REPO_ROOT,
      stdout: "null",
      stderr: "piped",
      env: { XDG_RUNTIME_DIR: Deno.env.get("XDG_RUNTIME_DIR") ?? "/tmp" },
    }).spawn();
    let stderr = "";
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) {
      stderr += decoder.decode(chunk);
      if (when.test(stderr)) break;
    }
    child.kill("SIGINT");
    const status = await child.status;
    assert.equal(status.code, 0, stderr);
    assert.ok(existsSync(join(`${out}.checkpoint`, "checkpoint.json")), `${name}: the interrupted run leaves its checkpoint`);

    const resumed = await ser(...args(out), "--resume");
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`resuming after epoch [2-5] from .*${name}\\.checkpoint`));
    if (name === "resumed-refit") assert.doesNotMatch(resumed.stderr, /first model/, "the first model is not trained again");
    assert.deepEqual(Deno.readFileSync(join(out, "weights.bin")), Deno.readFileSync(join(dir, "straight", "weights.bin")), `${name}: same weights, bit for bit`);
    const a = JSON.parse(Deno.readTextFileSync(join(out, "ser.json")));
    const b = JSON.parse(Deno.readTextFileSync(join(dir, "straight", "ser.json")));
    assert.deepEqual(a.evaluation.confusionMatrix, b.evaluation.confusionMatrix);
    assert.deepEqual(a.training.history.map((h: { loss: number }) => h.loss), b.training.history.map((h: { loss: number }) => h.loss));
    assert.deepEqual(a.calibration, b.calibration, `${name}: the same temperature`);
  }

  const other = await ser(...args(join(dir, "straight")).map((x) => (x === "5" ? "6" : x)), "--resume");
  assert.equal(other.code, 2);
  assert.match(other.stderr, /--resume: there is no checkpoint at .*straight\.checkpoint/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("feature cache: a second ser train reads every clip's features from --cache DIR and trains the same model bit for bit, pooled or not; the default cache is on, --cache off reads none", async () => {
  const { dir, all } = await slice();
  const cache = join(dir, "cache");
  const run = (out: string, ...more: string[]) => ser("train", all, "--out", join(dir, out), "--epochs", "2", "--test-actors", "04", "--seed", "3", ...more);
  const a = await run("a", "--cache", cache);
  assert.equal(a.code, 0, a.stderr);
  assert.doesNotMatch(a.stderr, /from the cache/);
  const b = await run("b", "--cache", cache);
  assert.equal(b.code, 0, b.stderr);
  const n = /read (\d+) recordings/.exec(b.stderr)![1];
  assert.match(b.stderr, new RegExp(`features of ${n} from the cache \\(${cache.replace(/[/\\]/g, ".")}\\)`));
  assert.deepEqual(Deno.readFileSync(join(dir, "b", "weights.bin")), Deno.readFileSync(join(dir, "a", "weights.bin")));
  // In this thread (--workers 1) the same entries are read, and the same model comes out.
  const c = await run("c", "--cache", cache, "--workers", "1");
  assert.match(c.stderr, new RegExp(`features of ${n} from the cache`));
  assert.deepEqual(Deno.readFileSync(join(dir, "c", "weights.bin")), Deno.readFileSync(join(dir, "a", "weights.bin")));
  // The default cache is on: a run fills it, the next reads it; --cache off then reads nothing from it.
  await run("d");
  assert.match((await run("e")).stderr, new RegExp(`features of ${n} from the cache`));
  const off = await run("f", "--cache", "off");
  assert.equal(off.code, 0, off.stderr);
  assert.doesNotMatch(off.stderr, /from the cache/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("without XDG_RUNTIME_DIR (cron, containers, ssh) training prints no Vulkan runtime-dir errors and still finds the WebGPU adapter", async () => {
  const { dir, all } = await slice();
  const env = Deno.env.toObject();
  delete env.XDG_RUNTIME_DIR;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(REPO_ROOT, "packages/cli/main.ts"), "train", all, "--out", join(dir, "m"), "--epochs", "1", "--test-actors", "04", "--validation-size", "0", "--cache", "off"],
    cwd: REPO_ROOT, clearEnv: true, env, stdout: "piped", stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.doesNotMatch(stderr, /XDG_RUNTIME_DIR is invalid/);
  assert.match(stderr, /^backend: wasm: the WebGPU adapter is a CPU \(.*llvmpipe/m);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("train --split none trains on every speaker; evaluate and predict --emotions choose among those emotions only", async () => {
  const { dir, all, heldOut } = await slice();
  const model = join(dir, "model");
  const refused = await ser("train", all, "--out", model, "--split", "none", "--json", join(dir, "r.json"));
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--json and --report write the test report; with --split none there is no test/);
  const t = await ser("train", all, "--out", model, "--split", "none", "--model", "mlp", "--epochs", "2", "--validation-size", "0", "--weighting", "class");
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /every one of the 4 speakers trains the model; no test speakers/);
  const meta = JSON.parse(Deno.readTextFileSync(join(model, "ser.json")));
  assert.deepEqual(meta.dataset.testSpeakers, []);
  assert.equal(meta.dataset.trainSpeakers.length, 4);
  assert.equal(meta.evaluation, undefined);
  assert.equal(meta.training.spec.weighting, "class");
  assert.equal(meta.training.split.kind, "none");

  // evaluate --emotions: only those recordings, and every clip chooses among them.
  const json = join(dir, "eval.json");
  const e = await ser("evaluate", "--model", model, heldOut, "--emotions", "angry,sad", "--json", json);
  assert.equal(e.code, 0, e.stderr);
  assert.match(e.stdout, /every clip chose among sad, angry/);
  const rep = JSON.parse(Deno.readTextFileSync(json));
  const cols = (label: string) => rep.confusionMatrix.map((row: number[]) => row[rep.labels.indexOf(label)]);
  assert.equal(rep.n, 16, "actor 04's angry and sad clips");
  for (const other of ["neutral", "happy"]) assert.ok(cols(other).every((v: number) => v === 0), `${other} is never predicted`);
  const bad = await ser("evaluate", "--model", model, heldOut, "--emotions", "angry,boredom");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--emotions: 'boredom' is not among the model's emotions \(neutral, happy, sad, angry\)/);

  // predict --emotions: probabilities over those only, summing to 1.
  const clip = join(heldOut, "Actor_04", sortedNames(join(heldOut, "Actor_04"))[0]!);
  const p = await ser("predict", "--model", model, clip, "--emotions", "happy,neutral", "--json");
  assert.equal(p.code, 0, p.stderr);
  const [row] = JSON.parse(p.stdout);
  assert.deepEqual(Object.keys(row.probabilities).sort(), ["happy", "neutral"]);
  assert.ok(["happy", "neutral"].includes(row.label));
  assert.ok(Math.abs(Object.values(row.probabilities as Record<string, number>).reduce((a, b) => a + b, 0) - 1) < 1e-5);
  const badP = await ser("predict", "--model", model, clip, "--emotions", "surprised");
  assert.equal(badP.code, 2);
  assert.match(badP.stderr, /--emotions: 'surprised' is not among the model's emotions/);
  await Deno.remove(dir, { recursive: true });
});
