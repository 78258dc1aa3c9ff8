import type { BundleCalibration, ReliabilityBin } from "../metrics/calibration.ts";
import { classificationReport, type EvaluationReport } from "../metrics/metrics.ts";

/** One epoch of training history, as fit() logs it (only the fields the charts use). */
export interface ReportEpoch {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valUar?: number;
}

export interface HtmlReportInput {
  title: string;
  /** ISO time the run finished. */
  createdAt: string;
  /** The split protocol sentence every number depends on. */
  protocol: string;
  speakerIndependent: boolean;
  report: EvaluationReport;
  /** Key facts shown as a table: model, features, backend, corpora used for what… */
  facts?: [string, string][];
  history?: readonly ReportEpoch[];
  calibration?: BundleCalibration;
  /** How the test speakers were met (one clip first), each with its UAR and accuracy. */
  protocols?: { name: string; description: string; uar: number; accuracy: number }[];
  /** Cross-validation: one row per fold. */
  folds?: { fold: string; testSpeakers: string; accuracy: number; uar: number; macroF1: number }[];
  /** Misclassified test clips (the first 200 are listed). */
  misclassified?: { path: string; truth: string; predicted: string; confidence: number }[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * A self-contained HTML report (no scripts, no external resources, inline CSS and SVG) that
 * reads offline and can be mailed or archived next to the model. Pure string building, so the
 * CLI and the page produce the same document from the same data.
 */
export function renderHtmlReport(r: HtmlReportInput): string {
  const e = r.report;
  const sections: string[] = [];
  sections.push(`<p class="protocol"><strong>Protocol.</strong> ${esc(r.protocol)}</p>`);
  if (!r.speakerIndependent) {
    sections.push(`<p class="warn">Not speaker-independent: test speakers were also heard in training, so these numbers overstate what the model does on new voices.</p>`);
  }
  const headline: [string, string][] = [
    ["test recordings", String(e.n)],
    ["accuracy", pct(e.accuracy)],
    ["UAR (balanced accuracy)", pct(e.uar)],
    ["macro F1", pct(e.macro.f1)],
    ["weighted F1", pct(e.weighted.f1)],
  ];
  if (e.top2Accuracy !== undefined) headline.push(["top-2 accuracy", pct(e.top2Accuracy)]);
  sections.push(`<h2>Results</h2>${table(["figure", "value"], headline)}`);
  if (r.protocols?.length) {
    sections.push(`<h2>How a new speaker is met</h2>${table(["protocol", "UAR", "accuracy", ""], r.protocols.map((p) => [p.name, pct(p.uar), pct(p.accuracy), p.description]))}`);
  }
  if (r.facts?.length) sections.push(`<h2>Run</h2>${table(["", ""], r.facts)}`);
  sections.push(`<h2>Classification report</h2><pre>${esc(classificationReport(e))}</pre>`);
  sections.push(`<h2>Confusion matrix</h2><p class="note">Rows: true emotion; columns: predicted. Cells show counts and the share of the row; shading follows the share.</p>${confusion(e)}`);
  if (r.folds?.length) {
    sections.push(`<h2>Folds</h2>${table(["fold", "test speakers", "accuracy", "UAR", "macro F1"], r.folds.map((f) => [f.fold, f.testSpeakers, pct(f.accuracy), pct(f.uar), pct(f.macroF1)]))}`);
  }
  if (r.history?.length) sections.push(`<h2>Training curves</h2>${curves(r.history)}`);
  if (r.calibration) sections.push(`<h2>Calibration</h2>${calibration(r.calibration)}`);
  else sections.push(`<h2>Calibration</h2><p class="note">No temperature was fitted (no validation speakers); probabilities are as trained.</p>`);
  if (r.misclassified?.length) {
    const rows = r.misclassified.slice(0, 200).map((m) => [m.path, m.truth, m.predicted, pct(m.confidence)]);
    sections.push(`<h2>Misclassified clips</h2><p class="note">${r.misclassified.length} of ${e.n}${r.misclassified.length > 200 ? "; the first 200 are listed" : ""}.</p>${table(["file", "true", "predicted", "confidence"], rows)}`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(r.title)}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#1d1d1f}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0;display:block;overflow-x:auto;max-width:100%}td,th{padding:.25em .6em;border:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}pre{background:#f6f6f6;padding:.8em;overflow:auto}
.note{color:#555}.warn{background:#fff3cd;padding:.6em;border:1px solid #e0c060}.protocol{background:#eef4ff;padding:.6em}
.cm td{min-width:3.2em;text-align:center}.cm small{display:block;color:inherit;opacity:.8}
svg text{font:12px system-ui,sans-serif}
</style></head><body>
<h1>${esc(r.title)}</h1>
<p class="note">Generated ${esc(r.createdAt)} by ser (speech emotion recognition toolkit).</p>
${sections.join("\n")}
</body></html>
`;
}

function table(head: string[], rows: string[][]): string {
  const h = head.some((x) => x) ? `<tr>${head.map((x) => `<th>${esc(x)}</th>`).join("")}</tr>` : "";
  return `<table>${h}${rows.map((row) => `<tr>${row.map((x) => `<td>${esc(x)}</td>`).join("")}</tr>`).join("")}</table>`;
}

function confusion(e: EvaluationReport): string {
  const head = `<tr><th></th>${e.labels.map((l) => `<th>${esc(l)}</th>`).join("")}<th>total</th></tr>`;
  const rows = e.confusionMatrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const cells = row.map((v, j) => {
      const share = total > 0 ? v / total : 0;
      const bg = i === j ? `rgba(30,130,60,${(0.1 + 0.8 * share).toFixed(3)})` : `rgba(200,50,40,${(0.8 * share).toFixed(3)})`;
      const fg = share > 0.55 ? "#fff" : "#1d1d1f";
      return `<td style="background:${bg};color:${fg}">${v}<small>${total > 0 ? pct(share) : "-"}</small></td>`;
    }).join("");
    return `<tr><th>${esc(e.labels[i]!)}</th>${cells}<td>${total}</td></tr>`;
  });
  return `<table class="cm">${head}${rows.join("")}</table>`;
}

/** Line chart of up to four series over epochs, as inline SVG. */
function lineChart(title: string, epochs: number[], allSeries: { name: string; color: string; values: (number | undefined)[] }[], yMax?: number): string {
  const W = 440, H = 220, L = 44, R = 10, T = 24, B = 30;
  // Only series with values are drawn, and the legend names only what is drawn (a retrained
  // model's fit has no validation curves).
  const series = allSeries.filter((s) => s.values.some((v) => v !== undefined && Number.isFinite(v)));
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined && Number.isFinite(v)));
  if (all.length === 0) return "";
  const top = yMax ?? Math.max(...all) * 1.05;
  const x = (i: number) => L + ((W - L - R) * (epochs.length === 1 ? 0.5 : i / (epochs.length - 1)));
  const y = (v: number) => T + (H - T - B) * (1 - Math.min(v, top) / top);
  const paths = series.map((s) => {
    const pts = s.values.map((v, i) => (v === undefined || !Number.isFinite(v) ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter((p) => p !== null);
    return pts.length ? `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(" ")}"/>` : "";
  }).join("");
  const ticks = [0, 0.5, 1].map((f) => `<text x="${L - 4}" y="${y(top * f) + 4}" text-anchor="end">${(top * f).toFixed(top < 2 ? 2 : 1)}</text><line x1="${L}" x2="${W - R}" y1="${y(top * f)}" y2="${y(top * f)}" stroke="#eee"/>`).join("");
  const legend = series.map((s, i) => `<text x="${L + 8 + i * 110}" y="14" fill="${s.color}">■ ${esc(s.name)}</text>`).join("");
  return `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" style="max-width:100%;height:auto" role="img" aria-label="${esc(title)}">${ticks}${legend}${paths}<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle">epoch 1–${epochs.length}</text></svg>`;
}

function curves(h: readonly ReportEpoch[]): string {
  const epochs = h.map((e) => e.epoch);
  const loss = lineChart("loss", epochs, [
    { name: "train loss", color: "#1f77b4", values: h.map((e) => e.loss) },
    { name: "validation loss", color: "#ff7f0e", values: h.map((e) => e.valLoss) },
  ]);
  const acc = lineChart("accuracy", epochs, [
    { name: "train accuracy", color: "#1f77b4", values: h.map((e) => e.accuracy) },
    { name: "validation UAR", color: "#2ca02c", values: h.map((e) => e.valUar) },
  ], 1);
  return `<div>${loss}${acc}</div>`;
}

function reliability(bins: readonly ReliabilityBin[], label: string): string {
  const S = 220, P = 30;
  const w = (S - 2 * P) / bins.length;
  const bars = bins.map((b, i) => b.count === 0 ? "" : `<rect x="${(P + i * w + 1).toFixed(1)}" y="${(S - P - (S - 2 * P) * b.accuracy).toFixed(1)}" width="${(w - 2).toFixed(1)}" height="${((S - 2 * P) * b.accuracy).toFixed(1)}" fill="#4c78a8"><title>${pct(b.lower)}–${pct(b.upper)}: ${b.count} clips, accuracy ${pct(b.accuracy)}, confidence ${pct(b.confidence)}</title></rect>`).join("");
  return `<svg width="${S}" height="${S}" viewBox="0 0 ${S} ${S}" role="img" aria-label="reliability diagram ${esc(label)}"><rect x="${P}" y="${P}" width="${S - 2 * P}" height="${S - 2 * P}" fill="none" stroke="#ccc"/>${bars}<line x1="${P}" y1="${S - P}" x2="${S - P}" y2="${P}" stroke="#999" stroke-dasharray="4 3"/><text x="${S / 2}" y="18" text-anchor="middle">${esc(label)}</text><text x="${S / 2}" y="${S - 8}" text-anchor="middle">confidence</text></svg>`;
}

function calibration(c: BundleCalibration): string {
  if (!c.test) return `<p>Temperature scaling, T = ${c.temperature.toFixed(3)}, fitted on ${esc(c.fittedOn)} (Guo et al. 2017); no test speakers to measure it on.</p>`;
  const b = c.test.before, a = c.test.after;
  const t = table(["on the test set", "before", "after"], [
    ["expected calibration error", pct(b.ece), pct(a.ece)],
    ["maximum calibration error", pct(b.mce), pct(a.mce)],
    ["negative log-likelihood", b.nll.toFixed(3), a.nll.toFixed(3)],
    ["Brier score", b.brier.toFixed(3), a.brier.toFixed(3)],
  ]);
  const diagrams = b.bins && a.bins ? `<div>${reliability(b.bins, "before")}${reliability(a.bins, `after (T = ${c.temperature.toFixed(2)})`)}</div><p class="note">Bars: accuracy per confidence bin (15 bins); dashed line: perfect calibration.</p>` : "";
  return `<p>Temperature scaling, T = ${c.temperature.toFixed(3)}, fitted on ${esc(c.fittedOn)} (Guo et al. 2017). It changes confidences, never the predicted class.</p>${t}${diagrams}`;
}
