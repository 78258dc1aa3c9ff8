/**
 * The Predict section: classifies dropped audio files with the loaded bundle in the model
 * worker. Where a file's name carries its emotion (RAVDESS, CREMA-D, SAVEE, TESS, EmoDB names,
 * read by core's parseName), the true label is shown beside the prediction (✓/✗) and tallied;
 * every row plays its file in place.
 */
import { type Remote, transfer } from "comlink";
import { parseName } from "@ser/core";
import type { ModelApi } from "../workers/model.worker.ts";
import { renderBars } from "./charts.ts";
import { $, cell } from "./dom.ts";
import { readFile } from "./files.ts";
import type { UiState } from "./state.ts";

export function setupPredict(ui: UiState, api: Remote<ModelApi>) {
  /** Object URLs of the rows' players, released when the next files replace them. */
  const playing: string[] = [];
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
    const fileOf = new Map(files.map((f) => [f.name, f]));
    for (const url of playing.splice(0)) URL.revokeObjectURL(url);
    const labels = ui.store.get("meta")?.labels ?? [];
    /** The emotion a file's name carries, when the model knows that class. */
    const truthOf = (name: string): string | undefined => {
      const info = parseName(name);
      return typeof info === "string" || !labels.includes(info.emotion) ? undefined : info.emotion;
    };
    let named = 0, right = 0;
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
          const truth = truthOf(p.name);
          const truthCell = cell(truth === undefined ? "—" : `${truth === p.label ? "✓" : "✗"} ${truth}`);
          if (truth !== undefined) {
            named++;
            if (truth === p.label) right++;
            tr.dataset.truth = truth;
            truthCell.className = truth === p.label ? "right" : "wrong";
          }
          const play = document.createElement("td");
          const file = fileOf.get(p.name);
          if (file) {
            const audio = document.createElement("audio");
            audio.controls = true;
            audio.preload = "none";
            audio.src = URL.createObjectURL(file);
            playing.push(audio.src);
            audio.setAttribute("aria-label", `play ${p.name}`);
            play.append(audio);
          }
          tr.append(cell(p.name), play, cell(p.label), truthCell, bars);
          return tr;
        }),
        ...errors.map((e) => {
          const tr = document.createElement("tr");
          tr.className = "error";
          tr.append(cell(e.name), cell(""), cell("—"), cell(""), cell(e.error));
          return tr;
        }),
      );
      $("predictions").hidden = false;
      const tally = named > 0 ? ` ${right} of ${named} right where the name carries the emotion (${((100 * right) / named).toFixed(0)} %; chance ${(100 / Math.max(1, labels.length)).toFixed(0)} %).` : "";
      status.textContent = `${predictions.length} predicted${errors.length ? `, ${errors.length} could not be read` : ""}.${tally}`;
      if (named > 0) status.dataset.right = `${right}/${named}`;
      status.dataset.done = String(predictions.length + errors.length);
    } catch (e) {
      status.textContent = (e as Error).message;
      status.className = "error";
    }
  });
}
