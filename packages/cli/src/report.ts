import { classificationReport, type EvaluationReport, MEETING_PROTOCOLS, type MeetingProtocol, protocolRows } from "@ser/core";
import type { BundleCalibration } from "@ser/core/ml.ts";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The evaluation as text: headline figures, sklearn's classification report, the confusion matrix. */
export function renderReport(r: EvaluationReport, protocol: string): string {
  const w = Math.max(...r.labels.map((l) => l.length), 6);
  const cw = Math.max(5, ...r.confusionMatrix.flat().map((v) => String(v).length + 1));
  const head = " ".repeat(w + 2) + r.labels.map((l) => l.slice(0, cw - 1).padStart(cw)).join("");
  const rows = r.confusionMatrix.map((row, i) => `  ${r.labels[i]!.padStart(w)}${row.map((v) => String(v).padStart(cw)).join("")}`);
  return [
    `protocol: ${protocol}`,
    `test recordings: ${r.n}`,
    `accuracy ${pct(r.accuracy)}   UAR ${pct(r.uar)}   macro F1 ${pct(r.macro.f1)}${r.top2Accuracy !== undefined ? `   top-2 accuracy ${pct(r.top2Accuracy)}` : ""}`,
    "",
    classificationReport(r).trimEnd(),
    "",
    "confusion matrix (rows: true, columns: predicted)",
    head,
    ...rows,
    "",
  ].join("\n");
}

/** JSON keys promised by the README: accuracy, uar, macro, weighted, perClass, labels, confusionMatrix, n. */
export function reportJson(r: EvaluationReport, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    accuracy: r.accuracy,
    uar: r.uar,
    top2Accuracy: r.top2Accuracy,
    macro: { precision: r.macro.precision, recall: r.macro.recall, f1: r.macro.f1 },
    weighted: { precision: r.weighted.precision, recall: r.weighted.recall, f1: r.weighted.f1 },
    perClass: r.perClass,
    labels: r.labels,
    confusionMatrix: r.confusionMatrix,
    n: r.n,
    ...extra,
  };
}

/** One line on temperature scaling: what it was fitted on and what it did to the test set. */
export function renderCalibration(c: BundleCalibration | undefined): string {
  if (!c) return "calibration: none (no validation speakers to fit a temperature on; probabilities are as trained)\n";
  if (!c.test) return `calibration: temperature ${c.temperature.toFixed(2)} fitted on ${c.fittedOn} (no test speakers to measure it on)\n`;
  const b = c.test.before, a = c.test.after;
  return `calibration: temperature ${c.temperature.toFixed(2)} fitted on ${c.fittedOn}; on the test set ECE ${pct(b.ece)} -> ${pct(a.ece)}, NLL ${b.nll.toFixed(3)} -> ${a.nll.toFixed(3)}\n`;
}

/** --report FILE.html: where to write the self-contained HTML report. */
export const REPORT_FLAG = {
  report: { type: "string" as const, value: "FILE.html", description: "write a self-contained HTML report (metrics, confusion matrix, curves, calibration)" },
};

/** Test predictions that missed, with the (calibrated, where a temperature was fitted) probability of the wrong answer. */
export function misclassifiedOf<T extends { truth: string; predicted: string }>(predictions: readonly T[]): T[] {
  return predictions.filter((q) => q.truth !== q.predicted);
}

/**
 * How a new speaker is met, one line each, one clip first (what `predict` on a file and the live
 * page meet). `spread` (per-fold std) is shown when given.
 */
export function renderProtocols(p: Record<MeetingProtocol, { accuracy: number; uar: number }>, spread?: Record<MeetingProtocol, { uar: number }>): string {
  const same = MEETING_PROTOCOLS.every((k) => p[k].uar === p["one-clip"].uar && p[k].accuracy === p["one-clip"].accuracy);
  if (same) return `how a new speaker is met: no per-speaker normalisation, so one clip, enrolled and skewed enrolment score the same (UAR ${pct(p["one-clip"].uar)})\n`;
  const lines = protocolRows(p).map((r, i) => `  ${r.name.padEnd(17)} UAR ${pct(r.uar).padStart(6)}${spread ? ` ± ${pct(spread[MEETING_PROTOCOLS[i]!].uar)}` : ""}   accuracy ${pct(r.accuracy).padStart(6)}   (${r.description})`);
  return ["how a new speaker is met:", ...lines, ""].join("\n");
}
