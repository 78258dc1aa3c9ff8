/**
 * The built-in model's per-corpus figures (scripts/build-default-model.sh): from `ser train
 * --json`'s per-file predictions of the held-out speakers (each clip alone), UAR per corpus over
 * that corpus's own classes with core's metrics. Prints the lines for models/default.txt and
 * writes models/default.json, what the CLI's note and the page's paragraph quote.
 *   deno run -A scripts/default-model-figures.ts REPORT.json OUT.json
 */
import { readFileSync, writeFileSync } from "node:fs";
import { confusionMatrix, unweightedAverageRecall } from "../packages/core/src/mod.ts";

const [reportPath, outPath] = Deno.args;
if (!reportPath || !outPath) throw new Error("usage: default-model-figures.ts REPORT.json OUT.json");
const report = JSON.parse(readFileSync(reportPath, "utf8")) as { predictions: { speaker: string; truth: string; predicted: string }[] };
const byCorpus = new Map<string, { truth: string[]; predicted: string[] }>();
for (const p of report.predictions) {
  const corpus = p.speaker.split("-")[0]!;
  if (!byCorpus.has(corpus)) byCorpus.set(corpus, { truth: [], predicted: [] });
  byCorpus.get(corpus)!.truth.push(p.truth);
  byCorpus.get(corpus)!.predicted.push(p.predicted);
}
console.log("one clip at a time, per corpus (UAR over the corpus's own classes):");
const oneClipByCorpus: Record<string, { uar: number; clips: number; classes: number }> = {};
for (const corpus of [...byCorpus.keys()].sort()) {
  const { truth, predicted } = byCorpus.get(corpus)!;
  const classes = [...new Set([...truth, ...predicted])].sort();
  const index = (labels: string[]) => labels.map((l) => classes.indexOf(l));
  // Rows of classes the corpus does not have are empty and left out of the average.
  const uar = unweightedAverageRecall(confusionMatrix(index(truth), index(predicted), classes.length));
  const f = { uar: Math.round(uar * 1e4) / 1e4, clips: truth.length, classes: new Set(truth).size };
  oneClipByCorpus[corpus] = f;
  console.log(`  ${corpus.padEnd(8)} UAR ${(100 * uar).toFixed(1)}%  (${f.clips} clips, ${f.classes} classes)`);
}
const testSpeakers = [...new Set(report.predictions.map((p) => p.speaker))].sort();
writeFileSync(outPath, JSON.stringify({ testSpeakers, oneClipByCorpus }, null, 1) + "\n");
