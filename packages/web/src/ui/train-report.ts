/** A finished training run's results: on the page (#train-results) and as the downloadable HTML report. */
import { classificationReport, protocolRows, renderHtmlReport } from "@ser/core";
import type { InputFile } from "../workers/data.worker.ts";
import type { TrainerApi } from "../workers/trainer.worker.ts";
import { cell, clipCell, line, table } from "./dom.ts";
import { pct } from "./format.ts";

type TrainResult = Awaited<ReturnType<TrainerApi["train"]>>;
type Prediction = TrainResult["predictions"][number];

/** The test recordings the model got wrong. */
export const misclassified = (r: TrainResult): Prediction[] => r.predictions.filter((q) => q.truth !== q.predicted);

/** The results section's content; `play` shows a misclassified recording. */
export function resultNodes(r: TrainResult, missed: Prediction[], play: (path: string) => void): HTMLElement[] {
  const rep = r.report;
  const pre = document.createElement("pre");
  pre.textContent = classificationReport(rep);
  const cal = r.calibration;
  const calibration = cal
    ? line(`Calibration: temperature ${cal.temperature.toFixed(2)} fitted on ${cal.fittedOn}; on the test speakers the expected calibration error went from ${pct(cal.test.before.ece)} to ${pct(cal.test.after.ece)}. Predictions use the calibrated probabilities.`)
    : line("Calibration: none (no validation speakers to fit a temperature on).");
  calibration.id = "train-calibration";
  return [
    line(`One clip at a time: accuracy ${pct(rep.accuracy)}, UAR ${pct(rep.uar)}, macro-F1 ${pct(rep.macro.f1)} on ${rep.n} recordings of ${r.testSpeakers.length} speakers never heard in training${r.protocol.startsWith("cross-corpus") ? `, from a corpus the model never trained on` : ""}. UAR (unweighted average recall) is the mean of the per-emotion recalls; chance is ${pct(1 / rep.labels.length)}.`),
    protocolTable(r),
    line(r.protocol),
    line(`Features for ${r.ingest.recordings} recordings in ${r.ingest.seconds.toFixed(1)} s on ${r.ingest.workers} worker(s).`),
    pre,
    confusionTable(rep),
    calibration,
    missedList(missed, rep.n, play),
  ];
}

/** Counts with the share of the row; shading follows the share (green diagonal, red errors). */
function confusionTable(rep: TrainResult["report"]): HTMLTableElement {
  const cm = document.createElement("table");
  cm.className = "cm";
  const head = cm.createTHead().insertRow();
  head.insertCell().textContent = "true \\ predicted";
  for (const l of rep.labels) head.insertCell().textContent = l;
  const body = cm.createTBody();
  rep.confusionMatrix.forEach((row, i) => {
    const tr = body.insertRow();
    tr.insertCell().textContent = rep.labels[i]!;
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((v, j) => {
      const td = tr.insertCell();
      const share = total > 0 ? v / total : 0;
      td.textContent = String(v);
      const small = document.createElement("small");
      small.textContent = total > 0 ? pct(share) : "-";
      td.append(small);
      td.style.background = i === j ? `rgba(30,130,60,${(0.1 + 0.8 * share).toFixed(3)})` : `rgba(200,50,40,${(0.8 * share).toFixed(3)})`;
      if (share > 0.55) td.style.color = "#fff";
    });
  });
  return cm;
}

/** The misclassified recordings, folded, each a button that plays it. */
function missedList(missed: Prediction[], n: number, play: (path: string) => void): HTMLDetailsElement {
  const details = document.createElement("details");
  const sum = document.createElement("summary");
  sum.textContent = `Misclassified test recordings (${missed.length} of ${n}): click to listen`;
  const list = table(["file", "true", "predicted", "confidence"], []);
  list.id = "misclassified";
  list.tBodies[0]!.append(...missed.map((q) => {
    const tr = document.createElement("tr");
    tr.append(clipCell(q.path, () => play(q.path)), cell(q.truth), cell(q.predicted), cell(pct(q.confidence)));
    return tr;
  }));
  details.append(sum, list);
  return details;
}

/** The self-contained HTML report of a run of `model` on `inputs` with `seed` (the form's text). */
export function htmlReport(r: TrainResult, missed: Prediction[], model: string, seed: string, inputs: InputFile[]): string {
  return renderHtmlReport({
    title: `ser (web page): ${model} on ${inputs.map((i) => i.path.split("/")[0]).filter((v, i, a) => a.indexOf(v) === i).join(" + ")}`,
    createdAt: r.createdAt,
    protocol: r.protocol,
    speakerIndependent: true,
    report: r.report,
    protocols: protocolRows(r.protocols),
    facts: [
      ["model", `${model} (${r.parameters} parameters)`],
      ["training speakers", r.trainSpeakers.join(", ")],
      ["validation speakers", r.validationSpeakers.join(", ") || "none"],
      ["test speakers", r.testSpeakers.join(", ")],
      ["backend", r.backend],
      ["seed", seed],
    ],
    history: r.history,
    calibration: r.calibration,
    misclassified: missed,
  });
}

/** How the test speakers were met, one clip first (what Predict and Live meet). */
function protocolTable(r: TrainResult): HTMLTableElement {
  const t = table(["how a new speaker is met", "UAR", "accuracy", ""], protocolRows(r.protocols).map((p) => [p.name, pct(p.uar), pct(p.accuracy), p.description]));
  t.id = "train-protocols";
  return t;
}
