/** The Data section: reads dropped zips or folders in the data worker and summarises the corpus. */
import { proxy, type Remote } from "comlink";
import { type CorpusSummary, describeFiles, describeSpeakers, type LabellingField, LabellingError, type LabellingInput, looksLikeManifest, resolveLabelling } from "@ser/core";
import type { DataApi, InputFile } from "../workers/data.worker.ts";
import { withBars } from "./charts.ts";
import { $, line, scrollBox, table } from "./dom.ts";
import type { UiState } from "./state.ts";

/** The labelling fields as the page names them. */
const LABELLING_LABELS: Record<LabellingField, string> = { dataset: "Layout", emotions: "Emotions", merge: "Merge", speakerPattern: "Speaker pattern", manifest: "Manifest" };

export function setupData(ui: UiState, api: Remote<DataApi>) {
  const out = $("data-summary");
  const progress = $<HTMLProgressElement>("data-progress");
  /** Your own labels: the layout and speaker pattern chosen, and a CSV manifest among the inputs. */
  const labellingOf = async (inputs: InputFile[]): Promise<LabellingInput> => {
    // A CSV is a manifest when its header names path, emotion and speaker (CREMA-D's
    // VideoDemographics.csv and other tables dropped along are left to the ingestor).
    let manifest: LabellingInput["manifest"];
    for (const i of inputs.filter((i) => /\.csv$/i.test(i.path))) {
      const text = await i.file.text();
      if (looksLikeManifest(text)) {
        manifest = { text, source: i.path };
        break;
      }
    }
    const pattern = $<HTMLInputElement>("label-speaker").value.trim();
    return {
      dataset: $<HTMLSelectElement>("label-layout").value,
      ...(pattern ? { speakerPattern: pattern } : {}),
      ...(manifest ? { manifest } : {}),
    };
  };
  let lastInputs: InputFile[] = [];
  /** The latest read: an older one still in the worker when another starts shows nothing when it ends. */
  let generation = 0;
  /** Reads still in the worker (the summary's data-pending), stale ones included. */
  let pending = 0;
  const read = async (inputs: InputFile[]) => {
    if (inputs.length === 0) return;
    const mine = ++generation;
    out.dataset.pending = String(++pending);
    lastInputs = inputs;
    out.textContent = `Reading ${inputs.length} file(s)…`;
    out.className = "";
    delete out.dataset.files;
    progress.hidden = false;
    progress.value = 0;
    try {
      const labelling = await labellingOf(inputs);
      // Core resolves (and refuses) the labelling; the worker reads with it.
      try {
        resolveLabelling(labelling);
      } catch (e) {
        if (e instanceof LabellingError) throw new Error(`${LABELLING_LABELS[e.field]}: ${e.message}`);
        throw e;
      }
      const summary = await api.summarize(inputs, labelling, proxy((done: number, total: number) => {
        if (mine === generation) progress.value = done / total;
      }));
      if (mine !== generation) return;
      renderSummary(out, summary);
      // Explore lists the recordings before the inputs count as read; a newer read starting
      // meanwhile owns what follows.
      await ui.store.set("summary", summary);
      if (mine !== generation) return;
      await ui.store.set("labelling", labelling);
      if (mine !== generation) return;
      await ui.store.set("datasetInputs", summary.files > 0 ? inputs : []);
    } catch (e) {
      if (mine !== generation) return;
      out.textContent = (e as Error).message;
      out.className = "error";
    } finally {
      if (mine === generation) progress.hidden = true;
      out.dataset.pending = String(--pending);
    }
  };
  ui.actions.readInputs = read;
  // Changing how labels are read reads the same inputs again.
  for (const id of ["label-layout", "label-speaker"]) $(id).addEventListener("change", () => void read(lastInputs));
  const zipInput = $<HTMLInputElement>("zip-input");
  zipInput.addEventListener("change", () => read([...(zipInput.files ?? [])].map((file) => ({ path: file.name, file }))));
  const folderInput = $<HTMLInputElement>("folder-input");
  folderInput.addEventListener("change", () =>
    read([...(folderInput.files ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file })))
  );
  // Dropped anywhere on the Data step: zips, folders (walked) and audio files, read as one input.
  const panel = $("panel-data");
  let depth = 0;
  panel.addEventListener("dragenter", (e) => {
    e.preventDefault();
    if (depth++ === 0) panel.classList.add("dragging");
  });
  panel.addEventListener("dragleave", () => {
    if (--depth === 0) panel.classList.remove("dragging");
  });
  panel.addEventListener("dragover", (e) => e.preventDefault());
  panel.addEventListener("drop", async (e) => {
    e.preventDefault();
    depth = 0;
    panel.classList.remove("dragging");
    const items = [...(e.dataTransfer?.items ?? [])];
    const entries = items.map((i) => i.webkitGetAsEntry?.()).filter((x): x is FileSystemEntry => !!x);
    const inputs = entries.length > 0 ? (await Promise.all(entries.map((en) => walk(en, "")))).flat() : [...(e.dataTransfer?.files ?? [])].map((file) => ({ path: file.name, file }));
    await read(inputs);
  });
}

/** A dropped file or folder as inputs, folders walked (their paths kept: labels and speakers live in them). */
async function walk(entry: FileSystemEntry, prefix: string): Promise<InputFile[]> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ path, file }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries returns the folder in batches (100 in Chromium) until an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  return (await Promise.all(children.map((c) => walk(c, path)))).flat();
}

function renderSummary(out: HTMLElement, s: CorpusSummary) {
  const head = line(`${describeFiles(s)}. ${describeSpeakers(s)}.`);
  const parts: HTMLElement[] = [head];
  if (s.files > 0) {
    parts.push(scrollBox(table(["dataset", "files", "speakers", "male", "female", "unknown", "minutes"], s.datasets.map((d) => [d.dataset, d.files, d.speakers, d.genders.male, d.genders.female, d.genders.unknown, Number((d.durationS / 60).toFixed(1))]))));
    parts.push(withBars(table(["emotion", "files"], Object.entries(s.emotions).map(([e, n]) => [e, n ?? 0])), 1));
    parts.push(withBars(table(["speaker", "gender", "files"], s.speakers.map((sp) => [sp.speaker, sp.gender, sp.files])), 2));
  }
  if (s.skipped.length > 0) {
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = `Skipped files (${s.skipped.length})`;
    details.append(summary, scrollBox(table(["file", "reason"], s.skipped.map((k) => [k.path, k.reason]))));
    details.id = "skipped";
    parts.push(details);
  }
  out.replaceChildren(...parts);
  out.dataset.files = String(s.files);
  out.dataset.summary = JSON.stringify({ audioEntries: s.audioEntries, files: s.files, duplicates: s.duplicates, speakers: s.speakers.length, genders: s.genders, emotions: s.emotions, skipped: s.skipped });
}
