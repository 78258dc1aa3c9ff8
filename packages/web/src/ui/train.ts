/** The Train section: trains on the read dataset in the trainer worker, draws its curves, reports. */
import { proxy, type Remote } from "comlink";
import type { EpochLog } from "@ser/core/ml";
import type { RunProgressView } from "@ser/core";
import type { DataApi } from "../workers/data.worker.ts";
import type { TrainerApi } from "../workers/trainer.worker.ts";
import { $ } from "./dom.ts";
import { saveBytes } from "./files.ts";
import { pct } from "./format.ts";
import { bindJobStart, type UiState } from "./state.ts";
import { applyTrial, formModel, formSeed, offerTestSets, setupTrainForm, trainOptions } from "./train-form.ts";
import { renderRunProgress } from "./run-progress-view.ts";
import { htmlReport, misclassified, releaseResults, resultNodes } from "./train-report.ts";
import { reportBackend } from "./backend.ts";
import { createTrainingChart, type TrainingChart } from "./training-chart.ts";

export function setupTrain(ui: UiState, api: Remote<TrainerApi>, data: Remote<DataApi>) {
  const start = $<HTMLButtonElement>("train-start");
  const stop = $<HTMLButtonElement>("train-stop");
  const status = $("train-status");
  const curves = $("train-curves");
  let chart: TrainingChart | undefined;
  const results = $("train-results");
  const empty = $("results-empty");
  const runProgress = $("train-progress");
  const download = $<HTMLButtonElement>("train-download");
  const downloadReport = $<HTMLButtonElement>("train-report");
  let bundle: Uint8Array | undefined;
  let reportHtml: string | undefined;
  setupTrainForm();
  ui.store.subscribe("summary", (summary) => summary && offerTestSets(summary));
  const canStart = bindJobStart(ui, start);
  ui.store.subscribe("datasetInputs", (inputs) => {
    const summary = ui.store.get("summary");
    status.textContent = inputs.length && summary ? `Ready to train on ${summary.files} recordings from ${summary.speakers.length} speaker${summary.speakers.length === 1 ? "" : "s"}.` : "No usable recordings to train on.";
  });
  ui.store.subscribe("tuned", (trial) => trial && applyTrial(trial));
  stop.addEventListener("click", () => void api.cancel());
  download.addEventListener("click", () => bundle && saveBytes(bundle, "ser-model.zip"));
  downloadReport.addEventListener("click", () => reportHtml && saveBytes(new TextEncoder().encode(reportHtml), "ser-report.html", "text/html"));
  start.addEventListener("click", async () => {
    if (!canStart()) return;
    void ui.store.set("job", "train");
    stop.disabled = false;
    download.hidden = true;
    downloadReport.hidden = true;
    // A new run: nothing of the last one stays on screen (its players' object URLs are released).
    releaseResults(results);
    results.replaceChildren();
    delete results.dataset.report;
    empty.hidden = false;
    runProgress.replaceChildren();
    runProgress.hidden = true;
    status.className = "";
    // The status follows the run from the first moment (the features phase sends no status of its own).
    status.textContent = `Computing features of ${ui.store.get("summary")?.audioEntries ?? "the"} recordings…`;
    // On a phone the progress would sit below the fold: bring the status into view.
    status.scrollIntoView({ block: "nearest" });
    const first: EpochLog[] = [];
    const refit: EpochLog[] = [];
    curves.hidden = false;
    chart?.destroy();
    chart = createTrainingChart(curves);
    try {
      const r = await api.train(
        { ...trainOptions(ui.store.get("datasetInputs"), ui.store.get("tuned")?.config.dropout), labelling: ui.store.get("labelling"), expectedRecordings: ui.store.get("summary")?.audioEntries },
        // The time left is the run progress's (whole run), not this fit's.
        proxy((p) => {
          status.textContent = `Epoch ${p.epoch}/${p.epochs}, batch ${p.batch}/${p.batches}: loss ${p.loss.toFixed(3)}, accuracy ${pct(p.accuracy)}, ${p.samplesPerSecond.toFixed(0)} samples/s`;
        }),
        proxy((l, fit) => {
          // The retrained model's curve (it starts again at epoch 1) joins the first model's.
          (fit === "refit" ? refit : first).push(l);
          chart!.update(first, refit);
        }),
        proxy((s) => {
          status.textContent = s;
        }),
        proxy((v: RunProgressView) => renderRunProgress(runProgress, v)),
      );
      bundle = r.bundleZip;
      const rep = r.report;
      const missed = misclassified(r);
      // A misclassified clip plays where it is listed (the data worker still holds the corpus).
      results.replaceChildren(...resultNodes(r, missed, (path) => data.audio(path)));
      reportBackend("Training", r.backend.split(" ")[0]!, r.backend.match(/\((.*)\)$/)?.[1]);
      empty.hidden = true;
      reportHtml = htmlReport(r, missed, formModel(), formSeed(), ui.store.get("datasetInputs"));
      downloadReport.hidden = false;
      results.dataset.report = JSON.stringify({ accuracy: rep.accuracy, uar: rep.uar, n: rep.n, labels: rep.labels, confusionMatrix: rep.confusionMatrix, testSpeakers: r.testSpeakers });
      status.textContent = r.stopped
        ? `Stopped after ${r.history.length} epoch(s): the model keeps the best weights so far. Its results are in step 3; it is loaded in step 5 for predictions.`
        : `Done: ${r.history.length} epoch(s). Results are in step 3; the model is loaded in step 5 for predictions.`;
      download.hidden = false;
      await ui.actions.loadModel(r.bundleZip.slice(), "trained in this page");
      void ui.store.set("step", "results");
    } catch (e) {
      status.textContent = (e as Error).message;
      status.className = "error";
    } finally {
      stop.disabled = true;
      void ui.store.set("job", undefined);
    }
  });
}
