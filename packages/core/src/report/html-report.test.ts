import assert from "node:assert/strict";
import { calibrationSummary } from "../metrics/calibration.ts";
import { classificationReport, evaluate } from "../metrics/metrics.ts";
import { renderHtmlReport } from "./html-report.ts";

const labels = ["neutral", "happy", "sad"] as const;
const yTrue = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2];
const yPred = [0, 1, 0, 1, 1, 2, 2, 2, 0, 2];

Deno.test("HTML report: self-contained, escaped, with the same numbers as the text report", () => {
  const report = evaluate(yTrue, yPred, [...labels]);
  const probs = yPred.flatMap((p) => labels.map((_, c) => (c === p ? 0.8 : 0.1)));
  const s = calibrationSummary(probs, yTrue, 3);
  const html = renderHtmlReport({
    title: "RAVDESS <test> run",
    createdAt: "2026-11-24T00:00:00Z",
    protocol: "speaker-independent split: held-out speakers ravdess-04",
    speakerIndependent: true,
    report,
    facts: [["model", "mlp"]],
    history: [1, 2, 3].map((epoch) => ({ epoch, loss: 2 / epoch, accuracy: 0.2 * epoch, valLoss: 2.2 / epoch, valUar: 0.15 * epoch })),
    calibration: { temperature: 1.5, fittedOn: "validation speakers ravdess-02 (40 clips)", test: { before: s, after: s } },
    misclassified: [{ path: "Actor_04/<script>alert(1)</script>.wav", truth: "neutral", predicted: "happy", confidence: 0.8 }],
  });
  assert.ok(html.startsWith("<!doctype html>"));
  // Nothing executes and nothing is fetched: no scripts, no external URLs, a CSP that forbids both.
  assert.ok(!/<script/i.test(html), "no script element (the path is escaped)");
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;.wav"));
  assert.ok(!/https?:\/\//.test(html) && !/\bsrc=/.test(html));
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.ok(html.includes("<title>RAVDESS &lt;test&gt; run</title>"));
  // The classification report is sklearn's text, verbatim (HTML-escaped only).
  assert.ok(html.includes(classificationReport(report).replace(/&/g, "&amp;")));
  // Confusion matrix: k x k shaded cells whose counts sum to n.
  const cells = [...html.matchAll(/<td style="background:[^"]+">(\d+)<small>/g)].map((m) => Number(m[1]));
  assert.equal(cells.length, 9);
  assert.equal(cells.reduce((a, b) => a + b, 0), yTrue.length);
  assert.deepEqual(cells, report.confusionMatrix.flat());
  assert.ok(html.includes(`UAR (balanced accuracy)</td><td>${(100 * report.uar).toFixed(1)}%`));
  assert.equal((html.match(/<svg /g) ?? []).length, 4, "two training curves and two reliability diagrams");
  assert.ok(!html.includes("Not speaker-independent"));
});

Deno.test("HTML report: every curve the legend names is drawn (a retrained model's history has no validation), and nothing is wider than a phone", () => {
  const html = renderHtmlReport({
    title: "refit",
    createdAt: "2026-12-06T00:00:00Z",
    protocol: "speaker-independent split",
    speakerIndependent: true,
    report: evaluate(yTrue, yPred, [...labels]),
    facts: [],
    history: [1, 2, 3].map((epoch) => ({ epoch, loss: 2 / epoch, accuracy: 0.2 * epoch })),
  });
  const legend = [...html.matchAll(/■ ([^<]+)</g)].map((m) => m[1]);
  const lines = (html.match(/<polyline /g) ?? []).length;
  assert.equal(legend.length, lines, `legend ${legend.join(", ")} for ${lines} lines`);
  assert.ok(!legend.some((l) => /validation/.test(l!)), legend.join(", "));
  assert.ok([...html.matchAll(/<svg [^>]*>/g)].every((m) => m[0].includes("max-width:100%")));
  assert.match(html, /table\{[^}]*overflow-x:auto/);
});

Deno.test("HTML report: a leaky protocol is flagged, and missing sections say why", () => {
  const html = renderHtmlReport({
    title: "random split",
    createdAt: "2026-11-24T00:00:00Z",
    protocol: "random split of clips (NOT speaker-independent)",
    speakerIndependent: false,
    report: evaluate(yTrue, yPred, [...labels]),
  });
  assert.match(html, /Not speaker-independent: test speakers were also heard in training/);
  assert.match(html, /No temperature was fitted \(no validation speakers\)/);
  assert.equal((html.match(/<svg /g) ?? []).length, 0);
});
