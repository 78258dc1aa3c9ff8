/** A finished training run's results: on the page (#train-results) and as the downloadable HTML report. */
import { classificationReport, protocolRows, renderHtmlReport, speakerScores } from "@ser/core";
import type { InputFile } from "../workers/data.worker.ts";
import type { TrainerApi } from "../workers/trainer.worker.ts";
import { cell, clipCell, line, scrollBox, table } from "./dom.ts";
import { pct } from "./format.ts";

type TrainResult = Awaited<ReturnType<TrainerApi["train"]>>;
type Prediction = TrainResult["predictions"][number];

/** The test recordings the model got wrong. */
export const misclassified = (r: TrainResult): Prediction[] => r.predictions.filter((q) => q.truth !== q.predicted);

/** The results section's content; `audioOf` fetches a misclassified recording's bytes to play in place. */
export function resultNodes(r: TrainResult, missed: Prediction[], audioOf: (path: string) => Promise<Uint8Array>): HTMLElement[] {
  const rep = r.report;
  const pre = document.createElement("pre");
  pre.textContent = classificationReport(rep);
  const cal = r.calibration;
  const helped = cal?.test ? cal.test.after.ece <= cal.test.before.ece : false;
  const calibration = cal
    ? line(`Calibration: temperature ${cal.temperature.toFixed(2)} fitted on ${cal.fittedOn}${cal.test ? `; on the test speakers the expected calibration error went from ${pct(cal.test.before.ece)} to ${pct(cal.test.after.ece)}` : ""}. ${helped ? "It helped: the confidences shown are closer to how often the model is right." : "It did not help this time: the temperature that fitted the validation speakers made the test speakers' confidences a little worse. The labels are the same either way; the confidences shown are the calibrated ones."}`)
    : line("Calibration: none (no validation speakers to fit a temperature on).");
  calibration.id = "train-calibration";
  // Chance of UAR: each emotion the test recordings have (one none carries does not count), a
  // guess among what each clip chose from (its corpus's emotions when narrowed), averaged.
  const byTruth = new Map<string, number[]>();
  for (const p of r.predictions) byTruth.set(p.truth, [...(byTruth.get(p.truth) ?? []), 1 / p.choices]);
  const present = byTruth.size;
  const chance = [...byTruth.values()].reduce((s, xs) => s + xs.reduce((a, b) => a + b, 0) / xs.length, 0) / Math.max(1, present);
  const narrowed = r.predictions.some((p) => p.choices < rep.labels.length);
  const voices = `${r.testSpeakers.length} voice${r.testSpeakers.length === 1 ? "" : "s"}`;
  const plain = line(`On ${voices} it never heard${r.protocol.startsWith("cross-corpus") ? `, from a corpus it never trained on` : ""}, one recording at a time, it named the right emotion ${pct(rep.uar)} of the time (each of the ${present} emotions counted equally${narrowed ? "; each recording chose among its corpus's emotions" : ""}); guessing would be right ${pct(chance)} of the time.`);
  plain.id = "train-plain";
  plain.className = "plain";
  // The details, folded: protocols, per speaker, the report, the matrix, calibration.
  const details = document.createElement("details");
  details.id = "train-details";
  const summary = document.createElement("summary");
  summary.textContent = "Details: how a new speaker is met, per speaker, the full report, confusion matrix and calibration";
  details.append(
    summary,
    line(`One clip at a time: accuracy ${pct(rep.accuracy)}, UAR ${pct(rep.uar)}, macro-F1 ${pct(rep.macro.f1)} on ${rep.n} recordings of ${r.testSpeakers.length} speaker${r.testSpeakers.length === 1 ? "" : "s"} never heard in training${r.protocol.startsWith("cross-corpus") ? `, from a corpus the model never trained on` : ""}. UAR (unweighted average recall) is the mean of the per-emotion recalls; chance is ${pct(chance)}.`),
    scrollBox(protocolTable(r)),
    speakerTable(r),
    line(r.protocol),
    line(`Features for ${r.ingest.recordings} recordings in ${r.ingest.seconds.toFixed(1)} s on ${r.ingest.workers} worker(s).`),
    pre,
    scrollBox(confusionTable(rep)),
    calibration,
  );
  return [plain, missedList(missed, rep.n, audioOf), details];
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

/** The misclassified recordings, folded, each a button that plays it in its row. */
function missedList(missed: Prediction[], n: number, audioOf: (path: string) => Promise<Uint8Array>): HTMLDetailsElement {
  const details = document.createElement("details");
  const sum = document.createElement("summary");
  sum.textContent = `Misclassified test recordings (${missed.length} of ${n}): click to listen`;
  const list = table(["file", "true", "predicted", "confidence", "listen"], []);
  list.id = "misclassified";
  list.tBodies[0]!.append(...missed.map((q) => {
    const tr = document.createElement("tr");
    const player = document.createElement("td");
    // One player per row, made on the first click (a second click while it loads waits for it).
    let ready: Promise<HTMLAudioElement> | undefined;
    tr.append(clipCell(q.path, async () => {
      ready ??= audioOf(q.path).then((bytes) => {
        const audio = document.createElement("audio");
        audio.controls = true;
        audio.setAttribute("aria-label", `recording ${q.path}`);
        audio.src = URL.createObjectURL(new Blob([bytes as BlobPart]));
        player.replaceChildren(audio);
        return audio;
      });
      try {
        void (await ready).play().catch(() => {});
      } catch (e) {
        ready = undefined;
        player.textContent = (e as Error).message;
        player.className = "error";
      }
    }), cell(q.truth), cell(q.predicted), cell(pct(q.confidence)), player);
    return tr;
  }));
  details.append(sum, scrollBox(list));
  return details;
}

/** Releases the object URLs of the players in a results panel about to be replaced. */
export function releaseResults(root: HTMLElement) {
  for (const audio of root.querySelectorAll("audio")) if (audio.src.startsWith("blob:")) URL.revokeObjectURL(audio.src);
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

/** One row per test speaker: clips, UAR as a bar against the chance line, accuracy. */
function speakerTable(r: TrainResult): HTMLElement {
  const scores = speakerScores(r.predictions, r.report.labels);
  const chance = 1 / r.report.labels.length;
  const t = table(["test speaker", "clips", "UAR (one clip at a time)", "", "accuracy"], scores.map((s) => [s.speaker, s.n, pct(s.uar), "", pct(s.accuracy)]));
  t.id = "train-speakers";
  [...t.tBodies[0]!.rows].forEach((row, i) => {
    const bar = document.createElement("div");
    bar.className = "uar-bar";
    bar.setAttribute("aria-hidden", "true");
    const fill = document.createElement("div");
    fill.style.width = `${(100 * scores[i]!.uar).toFixed(1)}%`;
    const mark = document.createElement("div");
    mark.className = "chance";
    mark.style.left = `${(100 * chance).toFixed(1)}%`;
    bar.append(fill, mark);
    row.cells[3]!.append(bar);
  });
  const uars = scores.map((s) => s.uar);
  const caption = t.createCaption();
  caption.textContent = scores.length > 1
    ? `Per test speaker: from ${pct(Math.min(...uars))} to ${pct(Math.max(...uars))} (the line marks chance, ${pct(chance)}). With only ${scores.length} test speakers the overall figure could move by that much on other voices.`
    : `One test speaker (the line marks chance, ${pct(chance)}): a figure from one voice.`;
  return scrollBox(t);
}
