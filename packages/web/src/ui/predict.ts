/** The Predict section: classifies dropped WAV files with the loaded bundle in the model worker. */
import { type Remote, transfer } from "comlink";
import type { ModelApi } from "../workers/model.worker.ts";
import { renderBars } from "./charts.ts";
import { $, cell } from "./dom.ts";
import { readFile } from "./files.ts";
import type { UiState } from "./state.ts";

export function setupPredict(ui: UiState, api: Remote<ModelApi>) {
  const wavInput = $<HTMLInputElement>("wav-input");
  ui.store.subscribe("meta", () => {
    wavInput.disabled = false;
  });
  wavInput.addEventListener("change", async () => {
    const files = [...(wavInput.files ?? [])];
    if (files.length === 0) return;
    const status = $("predict-status");
    status.textContent = `Predicting ${files.length} file(s)…`;
    const payload = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: await readFile(f) })));
    try {
      const { predictions, errors } = await api.predict(transfer(payload, payload.map((p) => p.bytes.buffer)));
      const body = $("predictions").querySelector("tbody")!;
      body.replaceChildren(
        ...predictions.map((p) => {
          const tr = document.createElement("tr");
          tr.dataset.file = p.name;
          tr.dataset.probabilities = JSON.stringify(p.probabilities);
          const bars = document.createElement("td");
          renderBars(bars, p.probabilities, true);
          tr.append(cell(p.name), cell(p.label), bars);
          return tr;
        }),
        ...errors.map((e) => {
          const tr = document.createElement("tr");
          tr.className = "error";
          tr.append(cell(e.name), cell("—"), cell(e.error));
          return tr;
        }),
      );
      $("predictions").hidden = false;
      status.textContent = `${predictions.length} predicted${errors.length ? `, ${errors.length} could not be read` : ""}.`;
      status.dataset.done = String(predictions.length + errors.length);
    } catch (e) {
      status.textContent = (e as Error).message;
      status.className = "error";
    }
  });
}
