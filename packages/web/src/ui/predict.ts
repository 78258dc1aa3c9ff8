/**
 * The Predict section: classifies dropped audio files with the loaded bundle in the model
 * worker, grouped by speaker as `ser predict` groups them (core's predictGrouped; or all one
 * speaker's when the user says so), among the emotions the user keeps checked. Where a file's
 * name carries its emotion (RAVDESS, CREMA-D, SAVEE, TESS, EmoDB, nEMO names, read by core's
 * parseName), the true label is shown beside the prediction (✓/✗) and tallied against the chance
 * of the choice; each row says which statistics normalised it and plays its file in place.
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
  const boxes = $("predict-emotion-boxes");
  ui.store.subscribe("meta", () => {
    wavInput.disabled = false;
    // One checkbox per emotion of the model, all kept: unchecking narrows the choice.
    const labels = ui.store.get("meta")?.labels ?? [];
    boxes.replaceChildren(...labels.map((l) => {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = l;
      box.addEventListener("change", () => void ui.store.set("emotions", chosen()));
      label.append(box, ` ${l}`);
      return label;
    }));
    $("predict-emotions").hidden = labels.length === 0;
    void ui.store.set("emotions", [...labels]);
  });
  const chosen = () => [...boxes.querySelectorAll<HTMLInputElement>("input:checked")].map((b) => b.value);
  wavInput.addEventListener("change", async () => {
    const files = [...(wavInput.files ?? [])];
    if (files.length === 0) return;
    const status = $("predict-status");
    status.textContent = `Predicting ${files.length} file(s)…`;
    const payload = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: await readFile(f) })));
    const fileOf = new Map(files.map((f) => [f.name, f]));
    for (const url of playing.splice(0)) URL.revokeObjectURL(url);
    const emotions = chosen();
    if (emotions.length === 0) {
      status.textContent = "Keep at least one emotion checked to choose among.";
      status.className = "error";
      return;
    }
    status.className = "";
    /** The emotion a file's name carries, when it is among those chosen. */
    const truthOf = (name: string): string | undefined => {
      const info = parseName(name);
      return typeof info === "string" || !emotions.includes(info.emotion) ? undefined : info.emotion;
    };
    let named = 0, right = 0;
    const truths = new Set<string>();
    try {
      const oneSpeaker = $<HTMLInputElement>("one-speaker").checked;
      const { predictions, errors } = await api.predict(transfer(payload, payload.map((p) => p.bytes.buffer)), { oneSpeaker, emotions });
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
            truths.add(truth);
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
          // Which statistics normalised the row: the clip alone, or its speaker group's clips.
          tr.dataset.group = p.speaker;
          tr.dataset.groupClips = String(p.groupClips);
          const norm = p.normalization?.kind === "speaker" || p.normalization?.kind === "training-average"
            ? (p.groupClips === 1 ? "this clip alone" : `${p.speakerFrom === "given" ? "these files" : p.speaker}: ${p.groupClips} clips`)
            : "each clip by itself (the model does not normalise per speaker)";
          tr.append(cell(p.label), truthCell, cell(p.name), play, cell(norm), bars);
          return tr;
        }),
        ...errors.map((e) => {
          const tr = document.createElement("tr");
          tr.className = "error";
          tr.append(cell("—"), cell(""), cell(e.name), cell(""), cell(""), cell(e.error));
          return tr;
        }),
      );
      $("predictions").hidden = false;
      // Chance over the emotions the named files have among those chosen (one guess in K).
      const tally = named > 0 ? ` ${right} of ${named} right where the name carries the emotion (${((100 * right) / named).toFixed(0)} %; chance ${(100 / truths.size).toFixed(0)} % for their ${truths.size} emotion${truths.size === 1 ? "" : "s"}).` : "";
      const groups = new Set(predictions.map((p) => p.speaker)).size;
      const alone = predictions.filter((p) => p.groupClips === 1).length;
      status.textContent = `${predictions.length} predicted${errors.length ? `, ${errors.length} could not be read` : ""}, among ${emotions.length} emotions; ${groups} speaker group${groups === 1 ? "" : "s"}${alone ? ` (${alone} file${alone === 1 ? "" : "s"} heard alone)` : ""}.${tally}`;
      if (named > 0) status.dataset.right = `${right}/${named}`;
      status.dataset.done = String(predictions.length + errors.length);
    } catch (e) {
      status.textContent = (e as Error).message;
      status.className = "error";
    }
  });
}
