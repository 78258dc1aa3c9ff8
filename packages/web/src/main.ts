import { proxy, type Remote, transfer, wrap } from "comlink";
import type { ModelApi } from "./workers/model.worker.ts";
import type { DataApi, InputFile } from "./workers/data.worker.ts";
import type { CorpusSummary } from "@ser/core";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const worker = wrap<ModelApi>(new Worker(new URL("./workers/model.worker.ts", import.meta.url), { type: "module" }));
const dataWorker = wrap<DataApi>(new Worker(new URL("./workers/data.worker.ts", import.meta.url), { type: "module" }));

function setupData(api: Remote<DataApi>) {
  const out = $("data-summary");
  const progress = $<HTMLProgressElement>("data-progress");
  const read = async (inputs: InputFile[]) => {
    if (inputs.length === 0) return;
    out.textContent = `Reading ${inputs.length} file(s)…`;
    out.className = "";
    delete out.dataset.files;
    progress.hidden = false;
    progress.value = 0;
    try {
      const summary = await api.summarize(inputs, proxy((done: number, total: number) => {
        progress.value = done / total;
      }));
      renderSummary(out, summary);
    } catch (e) {
      out.textContent = (e as Error).message;
      out.className = "error";
    } finally {
      progress.hidden = true;
    }
  };
  const zipInput = $<HTMLInputElement>("zip-input");
  zipInput.addEventListener("change", () => read([...(zipInput.files ?? [])].map((file) => ({ path: file.name, file }))));
  const folderInput = $<HTMLInputElement>("folder-input");
  folderInput.addEventListener("change", () =>
    read([...(folderInput.files ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file })))
  );
}

function table(head: string[], rows: (string | number)[][]): HTMLTableElement {
  const t = document.createElement("table");
  const tr = t.createTHead().insertRow();
  for (const h of head) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    tr.append(th);
  }
  const body = t.createTBody();
  for (const r of rows) {
    const row = body.insertRow();
    for (const c of r) {
      const td = row.insertCell();
      td.textContent = String(c);
      if (typeof c === "number") td.className = "num";
    }
  }
  return t;
}

function renderSummary(out: HTMLElement, s: CorpusSummary) {
  const others = s.entries - s.wavEntries;
  const head = line(`${s.wavEntries} WAV files: ${s.files} usable, ${s.wavEntries - s.files} skipped${s.duplicates ? ` (${s.duplicates} duplicate${s.duplicates > 1 ? "s" : ""})` : ""}${others ? `; ${others} other file(s) skipped` : ""}. ${s.speakers.length} speakers: ${s.genders.male} male, ${s.genders.female} female${s.genders.unknown ? `, ${s.genders.unknown} unknown` : ""}.`);
  const parts: HTMLElement[] = [head];
  if (s.files > 0) {
    parts.push(table(["dataset", "files", "speakers", "male", "female", "unknown", "minutes"], s.datasets.map((d) => [d.dataset, d.files, d.speakers, d.genders.male, d.genders.female, d.genders.unknown, Number((d.durationS / 60).toFixed(1))])));
    parts.push(table(["emotion", "files"], Object.entries(s.emotions).map(([e, n]) => [e, n])));
    parts.push(table(["speaker", "gender", "files"], s.speakers.map((sp) => [sp.speaker, sp.gender, sp.files])));
  }
  if (s.skipped.length > 0) {
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = `Skipped files (${s.skipped.length})`;
    details.append(summary, table(["file", "reason"], s.skipped.map((k) => [k.path, k.reason])));
    details.id = "skipped";
    parts.push(details);
  }
  out.replaceChildren(...parts);
  out.dataset.files = String(s.files);
  out.dataset.summary = JSON.stringify({ wavEntries: s.wavEntries, files: s.files, duplicates: s.duplicates, speakers: s.speakers.length, genders: s.genders, emotions: s.emotions, skipped: s.skipped });
}

async function readFile(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

function start(api: Remote<ModelApi>) {
  const backend = $("backend");
  // Controls work at once; the worker queues their calls until its backend is up.
  api.init().then((info) => {
    backend.textContent = info.backend === "webgpu"
      ? `Backend: WebGPU (${info.adapter ?? "adapter"})`
      : `Backend: ${info.backend}. ${info.warning ?? ""}`;
    backend.dataset.backend = info.backend;
    if (info.warning) backend.className = "warning";
  }, (e: Error) => {
    backend.textContent = `Could not start TensorFlow.js: ${e.message}`;
    backend.className = "error";
  });

  const bundleInput = $<HTMLInputElement>("bundle-input");
  const wavInput = $<HTMLInputElement>("wav-input");
  const info = $("model-info");
  const download = $<HTMLButtonElement>("download");
  bundleInput.addEventListener("change", async () => {
    const file = bundleInput.files?.[0];
    if (!file) return;
    info.textContent = `Loading ${file.name}…`;
    info.className = "";
    try {
      const bytes = await readFile(file);
      const meta = await api.loadBundle(transfer(bytes, [bytes.buffer]));
      const ev = meta.evaluation;
      info.replaceChildren(
        line(`${meta.model.name}, ${meta.model.parameters.toLocaleString()} parameters, ${meta.frontend.kind} features at ${meta.frontend.sampleRateHz} Hz`),
        line(`Emotions: ${meta.labels.join(", ")}`),
        line(ev ? `Test report: accuracy ${pct(ev.accuracy)}, UAR ${pct(ev.uar)} on ${ev.n} recordings. ${meta.protocol}` : "No test report in this bundle."),
      );
      info.dataset.loaded = "true";
      wavInput.disabled = false;
      download.disabled = false;
    } catch (e) {
      info.textContent = (e as Error).message;
      info.className = "error";
    }
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
          for (const [label, v] of Object.entries(p.probabilities).sort((a, b) => b[1] - a[1])) {
            const row = document.createElement("div");
            row.className = "bar";
            const meter = document.createElement("meter");
            meter.min = 0;
            meter.max = 1;
            meter.value = v;
            meter.setAttribute("aria-label", `${label} probability`);
            row.append(span(label), meter, span(pct(v)));
            bars.append(row);
          }
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

  download.addEventListener("click", async () => {
    const zip = await api.exportBundle();
    const url = URL.createObjectURL(new Blob([zip as BlobPart], { type: "application/zip" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "ser-model.zip";
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
function line(text: string) {
  const p = document.createElement("p");
  p.textContent = text;
  return p;
}
function cell(text: string) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}
function span(text: string) {
  const s = document.createElement("span");
  s.textContent = text;
  return s;
}

setupData(dataWorker);
start(worker);
