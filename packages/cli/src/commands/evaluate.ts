import { writeFile } from "node:fs/promises";
import { applyTemperature, type BundleCalibration, calibrationSummary, classMask, openFrontend, scoringChoice, labelEncoderFromClasses, protocolRows, renderHtmlReport } from "@ser/core";
import { argmaxRows, loadBundle, type ModelName, normalizerOf, readBundleMeta, scoreProtocols } from "@ser/core/ml.ts";
import { parse, stringFlag } from "../args.ts";
import { type Command, helpText } from "../command.ts";
import { UsageError } from "../errors.ts";
import { readBundle } from "../io/bundle-io.ts";
import { loadCorpus } from "../io/corpus.ts";
import { misclassifiedOf, renderCalibration, renderProtocols, renderReport, REPORT_FLAG, reportJson } from "../report.ts";
import { BACKEND_FLAG, startBackend } from "./backend-flag.ts";
import { CORPUS_FLAGS, corpusOptions, WORKER_FLAGS, workerCount, corpusInputs, cacheDir } from "./corpus-flags.ts";
import { openShardFeatures } from "./features-dir-flag.ts";

export const evaluateCommand: Command = {
  name: "evaluate",
  summary: "score a trained model on labelled recordings (ideally of speakers it never heard)",
  usage: "ser evaluate --model DIR|ZIP <path…> [options]",
  flags: {
    model: { type: "string", value: "DIR", short: "m", description: "model bundle folder or zip (required)" },
    ...CORPUS_FLAGS,
    ...WORKER_FLAGS,
    features: { type: "string", value: "DIR", description: "score on feature shards ('ser features <corpus…> --out DIR', with the model's front end) instead of recordings" },
    json: { type: "string", value: "FILE", description: "write the report as JSON" },
    ...REPORT_FLAG,
    ...BACKEND_FLAG,
    help: { type: "boolean", short: "h", description: "show this help" },
  },
  details: `Recordings whose emotion is not among the model's labels are skipped. Each clip chooses among
its corpus's emotions (those the model knows; probabilities renormalised over them), as
cross-corpus results are reported; --emotions keeps only those emotions and makes every clip
choose among them. The front end (sample rate,
clip length, features) and the scaler come from the bundle, so inputs are processed exactly as in
training. JSON keys: accuracy, uar, top2Accuracy, macro {precision, recall, f1}, weighted {…},
perClass, labels, confusionMatrix, n.`,
  async run(args, io) {
    const p = parse("evaluate", args, this.flags);
    if (p.values.help) return io.stdout(helpText(this));
    const modelPath = stringFlag(p, "model");
    if (!modelPath) throw new UsageError("evaluate needs --model DIR (a bundle written by 'ser train').");
    const shardDir = stringFlag(p, "features");
    const shards = shardDir === undefined ? undefined : await openShardFeatures(p, shardDir);
    const inputs = shards?.set.header.inputs ?? corpusInputs(p, "evaluate", "at least one folder or zip of labelled recordings");
    const { dataset, labels: policy, manifest, speakerPattern } = corpusOptions(p);
    const bundleFiles = await readBundle(modelPath);
    await startBackend(p, io, { model: readBundleMeta(bundleFiles).model.name as ModelName });
    const { model, meta } = await loadBundle(bundleFiles);
    const frontend = await openFrontend(meta.frontend);
    const labels = labelEncoderFromClasses(meta.labels);
    // Narrowing: --emotions for every clip, else each clip among its corpus's emotions.
    try {
      if (policy.keep) classMask(meta.labels, policy.keep);
    } catch (e) {
      throw new UsageError(`--emotions: ${(e as Error).message}`);
    }
    // The model's classes, narrowed further by --emotions when given.
    const labelling = { ...policy, keep: policy.keep ? meta.labels.filter((l) => policy.keep!.includes(l)) : meta.labels };
    const { items, summary } = shards ? await shards.load(frontend, [], labelling) : await loadCorpus(inputs, {
      dataset,
      manifest,
      speakerPattern,
      labels: labelling,
      frontend,
      workers: workerCount(p),
      cacheDir: cacheDir(p),
      keepWaves: false, // scoring reads features only
    });
    if (items.length === 0) throw new Error(`no usable recordings with the model's emotions (${meta.labels.join(", ")}) in ${inputs.join(", ")}.`);
    const choice = scoringChoice(items, items, meta.labels, policy.keep);
    // Every way of meeting these speakers; one clip at a time is the headline.
    const protocols = await scoreProtocols(model, frontend, normalizerOf(meta), meta.scaler, labels, items, meta.seed, choice.maskOf);
    const { probs, y } = protocols["one-clip"];
    const data = { y };
    const pred = argmaxRows(probs, meta.labels.length);
    const report = protocols["one-clip"].report;
    const trained = new Set([...(meta.dataset.trainSpeakers as string[] ?? []), ...(meta.dataset.validationSpeakers as string[] ?? [])]);
    const seen = summary.speakers.map((s) => s.speaker).filter((s) => trained.has(s));
    const testCorpora = summary.datasets.map((d) => d.dataset);
    const trainCorpora = (meta.dataset.trainDatasets as string[] | undefined) ?? (meta.dataset.datasets as string[] | undefined) ?? [];
    const corpora = `; tested on ${testCorpora.join(", ")}${trainCorpora.length ? `, model trained on ${trainCorpora.join(", ")}` : ""}${trainCorpora.length && testCorpora.every((d) => !trainCorpora.includes(d)) ? " (cross-corpus)" : ""}`;
    const protocol = (seen.length === 0
      ? `evaluation on ${summary.speakers.length} speakers the model never heard in training`
      : `evaluation on ${summary.speakers.length} speakers, ${seen.length} of them heard in training (${seen.join(", ")}): NOT speaker-independent`) + corpora + choice.text;
    if (seen.length > 0) await io.stderr(`warning: ${seen.length} of these speakers were in the model's training data; the score is not speaker-independent.\n`);
    const byProtocol = { "one-clip": protocols["one-clip"].report, enrolled: protocols.enrolled.report, skewed: protocols.skewed.report };
    await io.stdout(renderProtocols(byProtocol));
    await io.stdout(renderReport(report, `${protocol}; ${meta.frontend.normalization === "speaker" ? "one clip at a time (no statistics of the speaker)" : "each clip by itself"}`));
    // The bundle's temperature (fitted on its validation speakers), measured on this data.
    const k = meta.labels.length;
    const calibrated = meta.calibration ? applyTemperature(probs, k, meta.calibration.temperature) : probs;
    let calibration: BundleCalibration | undefined;
    if (meta.calibration) {
      calibration = {
        temperature: meta.calibration.temperature,
        fittedOn: meta.calibration.fittedOn,
        test: { before: calibrationSummary(probs, data.y, k), after: calibrationSummary(calibrated, data.y, k) },
      };
      await io.stdout(renderCalibration(calibration));
    }
    const json = stringFlag(p, "json");
    if (json) await writeFile(json, JSON.stringify(reportJson(report, { protocols: byProtocol, protocol, speakerIndependent: seen.length === 0, calibration, skipped: summary.skipped }), null, 1));
    const html = stringFlag(p, "report");
    if (html) {
      const predictions = items.map((it, i) => ({ path: it.path, truth: it.emotion, predicted: meta.labels[pred[i]!]!, confidence: Math.max(...calibrated.subarray(i * k, (i + 1) * k)) }));
      await writeFile(html, renderHtmlReport({
        title: `ser evaluate: ${meta.model.name} on ${testCorpora.join(" + ")}`,
        createdAt: new Date().toISOString(),
        protocol,
        speakerIndependent: seen.length === 0,
        report,
        protocols: protocolRows(byProtocol),
        facts: [["model", `${meta.model.name}, trained ${meta.createdAt}`], ["inputs", inputs.join(", ")], ["skipped files", String(summary.skipped.length)]],
        calibration,
        misclassified: misclassifiedOf(predictions),
      }));
    }
    model.dispose();
  },
};
