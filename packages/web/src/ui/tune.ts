/** The search (step 4): successive halving over speaker folds in the trainer worker, a live leaderboard. */
import { proxy, type Remote } from "comlink";
import type { TrialResult } from "@ser/core/ml";
import type { TrainerApi } from "../workers/trainer.worker.ts";
import { $, cell } from "./dom.ts";
import { pct } from "./format.ts";
import { bindJobStart, type UiState } from "./state.ts";
import { formEmotions, formSeed } from "./train-form.ts";

export function setupTune(ui: UiState, api: Remote<TrainerApi>) {
  const start = $<HTMLButtonElement>("tune-start");
  const use = $<HTMLButtonElement>("tune-use");
  const status = $("tune-status");
  const body = $("tune-table").querySelector("tbody")!;
  let best: TrialResult | undefined;
  const stop = $<HTMLButtonElement>("tune-stop");
  const canStart = bindJobStart(ui, start);
  stop.addEventListener("click", () => void api.cancel());
  start.addEventListener("click", async () => {
    if (!canStart()) return;
    void ui.store.set("job", "search");
    stop.disabled = false;
    use.disabled = true;
    body.replaceChildren();
    status.className = "";
    const rows = new Map<number, TrialResult>();
    try {
      const results = await api.tune(
        {
          inputs: ui.store.get("datasetInputs"),
          trials: Number($<HTMLInputElement>("tune-trials").value),
          epochs: Number($<HTMLInputElement>("tune-epochs").value),
          folds: Number($<HTMLInputElement>("tune-folds").value),
          budgetMinutes: Number($<HTMLInputElement>("tune-budget").value),
          seed: Number(formSeed()),
          emotions: formEmotions(),
          labelling: ui.store.get("labelling"),
        },
        proxy((t: TrialResult, done: number, planned: number) => {
          rows.set(t.id, t);
          renderTune(body, [...rows.values()].sort((a, b) => b.rung - a.rung || b.meanUar - a.meanUar || a.id - b.id));
          status.textContent = `${done} of about ${planned} training runs done.`;
          body.dataset.runs = String(done);
        }),
        proxy((s: string) => {
          status.textContent = s;
        }),
      );
      best = results[0];
      renderTune(body, results);
      status.textContent = best ? `Done. Best: UAR ${pct(best.meanUar)} on validation folds (not a test score).` : "No trial finished within the budget.";
      use.disabled = !best;
    } catch (e) {
      status.textContent = (e as Error).message;
      status.className = "error";
    } finally {
      stop.disabled = true;
      void ui.store.set("job", undefined);
    }
  });
  use.addEventListener("click", () => {
    if (!best) return;
    // The Train form takes the configuration; Train keeps the dropout, which has no field.
    void ui.store.set("tuned", best);
    status.textContent = `The form now holds trial ${best.id + 1}'s configuration (dropout ${best.config.dropout}); press Train.`;
    void ui.store.set("step", "train");
  });
}

/** The leaderboard: one row per trial, best first. */
function renderTune(body: HTMLTableSectionElement, results: TrialResult[]) {
  body.replaceChildren(...results.map((t, i) => {
    const tr = document.createElement("tr");
    const c = t.config;
    for (const v of [String(i + 1), String(t.id + 1), String(t.epochs), `${pct(t.meanUar)} ± ${pct(t.stdUar)}`, `${c.model}, lr ${c.learningRate}, batch ${c.batchSize}, dropout ${c.dropout}, augment ${c.augment}, ${c.nMfcc} MFCC, normalise ${c.normalize}, views ${t.spec.views.join(",") || "none"}`]) tr.append(cell(v));
    tr.dataset.uar = String(t.meanUar);
    return tr;
  }));
}
