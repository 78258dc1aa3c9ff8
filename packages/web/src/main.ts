import { type Remote, transfer, wrap } from "comlink";
import type { ModelApi } from "./workers/model.worker.ts";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const worker = wrap<ModelApi>(new Worker(new URL("./workers/model.worker.ts", import.meta.url), { type: "module" }));

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

start(worker);
