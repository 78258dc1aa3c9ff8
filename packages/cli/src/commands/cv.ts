import { writeFile } from "node:fs/promises";
import { classificationReport, needsWaveforms, openFrontend, protocolRows, renderHtmlReport, SerError } from "@ser/core";
import { crossValidate } from "@ser/core/ml.ts";
import { choiceFlag, intFlag, parse, stringFlag } from "../args.ts";
import { REPORT_FLAG, renderProtocols } from "../report.ts";
import { type Command, helpText } from "../command.ts";
import { UsageError } from "../errors.ts";
import { loadCorpus } from "../io/corpus.ts";
import { corpusInputs } from "./corpus-flags.ts";
import { createTrainProgress } from "../io/progress.ts";
import { startBackend } from "./backend-flag.ts";
import { parseTrainingOptions, TRAINING_FLAGS } from "./training-options.ts";

const pct = (x: number) => (100 * x).toFixed(1);

export const cvCommand: Command = {
  name: "cv",
  summary: "speaker-independent K-fold cross-validation: per-fold scores, mean ± std, summed confusion matrix",
  usage: "ser cv <path…> [--folds K | --by dataset] [training options]",
  flags: {
    folds: { type: "string", value: "K", description: "number of folds; every speaker is tested exactly once (default 4)" },
    by: { type: "string", value: "NAME", description: "speaker (K folds of speakers, default) or dataset (leave one corpus out)" },
    ...TRAINING_FLAGS,
    json: { type: "string", value: "FILE", description: "write per-fold and pooled results as JSON" },
    ...REPORT_FLAG,
    help: { type: "boolean", short: "h", description: "show this help" },
  },
  details: `Speakers are dealt into K folds (genders spread evenly, seeded). Each fold trains a fresh model
on the other folds' speakers (with validation speakers carved from them) and tests on its own.
The pooled report sums the K confusion matrices. --by dataset makes one fold per corpus: train on
all the others, test on it (cross-corpus; labels are those the corpora share after --emotions/--merge).`,
  async run(args, io) {
    const p = parse("cv", args, this.flags);
    if (p.values.help) return io.stdout(helpText(this));
    const by = choiceFlag(p, "by", ["speaker", "dataset"] as const, "speaker");
    if (by === "dataset" && p.values.folds !== undefined) throw new UsageError("--folds does not apply with --by dataset (one fold per corpus).");
    const folds = intFlag(p, "folds", 4, 2, 100);
    const { spec, corpus, shards } = await parseTrainingOptions(p);
    const inputs = shards?.set.header.inputs ?? corpusInputs(p, "cv");
    await startBackend(p, io, { model: spec.model, training: true });
    const frontend = await openFrontend(spec.frontend);
    const { items, summary } = shards ? await shards.load(frontend, spec.views) : await loadCorpus(inputs, { ...corpus, frontend, views: spec.views, keepWaves: needsWaveforms(spec) });
    if (items.length === 0) throw new Error(`no usable recordings in ${inputs.join(", ")}; run 'ser info' on them to see why.`);
    const progress = createTrainProgress((t) => void io.stderr(t), io.stderrIsTerminal);
    let cv;
    try {
      cv = await crossValidate({
        items,
        frontend,
        spec,
        by,
        folds,
        onFoldStart: (i, n, split) => void io.stderr(`fold ${i}/${n}: ${split.protocol}\n`),
        onProgress: progress.onProgress,
        onEpoch: progress.onEpoch,
      });
    } catch (e) {
      // Too few speakers or corpora for the folds asked: a usage error naming the flag.
      if (e instanceof SerError && e.code === "invalid-config") throw new UsageError(`${by === "dataset" ? "--by dataset" : `--folds ${folds}`}: ${e.message}`);
      throw e;
    }
    const rows = cv.folds;
    const pooled = cv.pooled;
    const labels = pooled.labels;
    const o = { model: spec.model, frontend: spec.frontend, seed: spec.seed };
    const lines = [
      `${by === "dataset" ? `leave-one-corpus-out cross-validation over ${rows.length} corpora` : `speaker-independent ${rows.length}-fold cross-validation`}, ${o.model} on ${o.frontend.kind}, seed ${o.seed}${o.frontend.normalization === "speaker" ? "; features normalised per speaker (shrunk toward the training prior); figures one clip at a time unless the protocol says otherwise" : ""}`,
      "",
      "fold  test speakers                          n  accuracy %  UAR %  macro-F1 %  epochs (best)",
      ...rows.map((r) => `${String(r.fold).padStart(4)}  ${(by === "dataset" ? `${r.protocol.replace(/^cross-corpus: /, "")}` : r.testSpeakers.join(",")).padEnd(35)} ${String(r.n).padStart(4)}  ${pct(r.accuracy).padStart(10)}  ${pct(r.uar).padStart(5)}  ${pct(r.macroF1).padStart(10)}  ${r.epochs} (${r.bestEpoch})`),
      `mean ± std${" ".repeat(33)}${(pct(cv.mean.accuracy) + " ± " + pct(cv.std.accuracy)).padStart(12)}  ${pct(cv.mean.uar)} ± ${pct(cv.std.uar)}  ${pct(cv.mean.macroF1)} ± ${pct(cv.std.macroF1)}`,
      "",
      `one clip at a time per corpus, each clip among its corpus's emotions (pooled over the folds that tested it): ${Object.entries(cv.oneClipByCorpus).map(([d, c]) => `${d} UAR ${pct(c.uar)} % (${c.clips} clips, ${c.classes} classes)`).join("; ")}`,
      "",
      "pooled over folds (summed confusion matrix):",
      classificationReport(pooled).trimEnd(),
      "",
      "confusion matrix (rows: true, columns: predicted)",
      ...pooled.confusionMatrix.map((row, i) => `  ${labels[i]!.padStart(10)} ${row.map((v) => String(v).padStart(5)).join("")}`),
      "",
    ];
    await io.stdout(renderProtocols(cv.protocols.mean, cv.protocols.std));
    await io.stdout(lines.join("\n"));
    const json = stringFlag(p, "json");
    if (json) {
      await writeFile(json, JSON.stringify({
        by,
        spec,
        datasets: summary.datasets.map((d) => d.dataset),
        folds: rows.map(({ report: _report, ...r }) => r),
        mean: cv.mean,
        std: cv.std,
        protocols: cv.protocols,
        oneClipByCorpus: cv.oneClipByCorpus,
        pooled: { accuracy: pooled.accuracy, uar: pooled.uar, labels: pooled.labels, confusionMatrix: pooled.confusionMatrix, perClass: pooled.perClass },
      }, null, 1));
    }
    const html = stringFlag(p, "report");
    if (html) {
      await writeFile(html, renderHtmlReport({
        title: `ser cv: ${o.model} on ${summary.datasets.map((d) => d.dataset).join(" + ")}`,
        createdAt: new Date().toISOString(),
        protocol: `${lines[0]}; pooled over folds (summed confusion matrix)`,
        speakerIndependent: true,
        report: pooled,
        protocols: protocolRows(cv.protocols.mean),
        facts: [["model", o.model], ["features", o.frontend.kind], ["folds", String(folds)], ["seed", String(o.seed)],
          ["mean ± std UAR", `${pct(cv.mean.uar)} ± ${pct(cv.std.uar)} %`]],
        folds: rows.map((r) => ({ fold: String(r.fold), testSpeakers: by === "dataset" ? r.protocol : r.testSpeakers.join(", "), accuracy: r.accuracy, uar: r.uar, macroF1: r.macroF1 })),
      }));
    }
  },
};
