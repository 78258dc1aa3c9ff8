/**
 * The training curves, drawn by uPlot (MIT, https://github.com/leeoniya/uPlot): epochs on the x
 * axis, cross-entropy on the left axis, validation UAR on the right. With refit the page shows
 * both fits: the first model (training and validation loss, validation UAR: these chose the
 * epochs) and the model retrained on all training speakers (training loss only: it has no
 * validation speakers left). The loss is the data's cross-entropy without the L2 penalty
 * (core's fit reports it so), so training and validation loss compare directly.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { EpochLog } from "@ser/core/ml";

export interface TrainingChart {
  /** Redraws from the epochs so far: the first fit's, then (with refit) the retrained model's. */
  update(first: readonly EpochLog[], refit: readonly EpochLog[]): void;
  destroy(): void;
}

const BLUE = "#2b6cb0";
const GREEN = "#2f855a";
const ORANGE = "#c05621";
/** Validation loss: its own colour (a dash alone did not tell the two loss swatches apart). */
const PURPLE = "#6b46c1";

export function createTrainingChart(host: HTMLElement): TrainingChart {
  const width = () => Math.max(280, Math.min(720, host.clientWidth || 640));
  const series: uPlot.Series[] = [
    { label: "epoch" },
    { label: "training loss", stroke: BLUE, width: 2, scale: "loss", value: (_u, v) => (v == null ? "–" : v.toFixed(3)) },
    { label: "validation loss", stroke: PURPLE, dash: [6, 4], width: 2, scale: "loss", value: (_u, v) => (v == null ? "–" : v.toFixed(3)) },
    { label: "validation UAR", stroke: GREEN, width: 2, scale: "uar", value: (_u, v) => (v == null ? "–" : `${(100 * v).toFixed(1)} %`) },
    { label: "retrained: training loss", stroke: ORANGE, width: 2, scale: "loss", value: (_u, v) => (v == null ? "–" : v.toFixed(3)) },
  ];
  const opts: uPlot.Options = {
    width: width(),
    height: 220,
    series,
    scales: { x: { time: false }, uar: { range: [0, 1] } },
    axes: [
      { label: "epoch", incrs: [1, 2, 5, 10, 20, 50, 100] },
      { label: "loss", scale: "loss", size: 56 },
      { label: "validation UAR", scale: "uar", side: 1, values: (_u, ticks) => ticks.map((t) => `${Math.round(100 * t)} %`), grid: { show: false }, size: 56 },
    ],
    legend: { live: true },
  };
  host.replaceChildren();
  const plot = new uPlot(opts, [[], [], [], [], []], host);
  const caption = document.createElement("figcaption");
  caption.textContent = "Loss is the cross-entropy on the clips, without the L2 penalty, so training and validation compare directly. The first model's validation speakers chose the epochs; the retrained model learns from every training speaker and has none left to validate on.";
  host.append(caption);
  // The chart follows its box: the window's width, and the step being shown again after it was
  // hidden (a hidden box measures 0 and is left alone).
  const observer = new ResizeObserver(() => {
    if (host.clientWidth > 0 && plot.width !== width()) plot.setSize({ width: width(), height: 220 });
  });
  observer.observe(host);
  return {
    update(first, refit) {
      const epochs = Math.max(first.length, refit.length);
      const x = Array.from({ length: epochs }, (_, i) => i + 1);
      const at = (h: readonly EpochLog[], f: (e: EpochLog) => number | undefined) => x.map((_, i) => (i < h.length ? f(h[i]!) ?? null : null));
      plot.setData([x, at(first, (e) => e.loss), at(first, (e) => e.valLoss), at(first, (e) => e.valUar), at(refit, (e) => e.loss)]);
      // Only the series that have points are listed, so the legend promises nothing it does not draw.
      const drawn = [first.length > 0, first.some((e) => e.valLoss !== undefined), first.some((e) => e.valUar !== undefined), refit.length > 0];
      drawn.forEach((show, i) => plot.setSeries(i + 1, { show }));
      plot.root.querySelectorAll<HTMLElement>(".u-legend .u-series").forEach((row, i) => {
        if (i > 0) row.hidden = !drawn[i - 1];
      });
      host.dataset.points = String(first.length + refit.length);
      host.dataset.series = JSON.stringify(series.slice(1).filter((_, i) => drawn[i]).map((s) => s.label));
    },
    destroy() {
      observer.disconnect();
      plot.destroy();
      host.replaceChildren();
    },
  };
}
