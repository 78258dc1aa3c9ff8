import { proxy, type Remote, transfer, wrap } from "comlink";
import type { ModelApi } from "./workers/model.worker.ts";
import type { DataApi, InputFile } from "./workers/data.worker.ts";
import type { TrainerApi } from "./workers/trainer.worker.ts";
import { classificationReport, type CorpusSummary, describeFiles, describeSpeakers, renderHtmlReport } from "@ser/core";
import type { BundleMeta, EpochLog, TrialResult } from "@ser/core/ml";
import { deleteBundle, listBundles, saveBundle as storeBundle } from "./bundle-store.ts";
import { type Capture, createRing, levelDb, startCapture } from "./capture.ts";
import { encodeWav, type Emotion, ravdessName, trainingDefaults } from "@ser/core";
import { zipSync } from "fflate";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const worker = wrap<ModelApi>(new Worker(new URL("./workers/model.worker.ts", import.meta.url), { type: "module" }));
const dataWorker = wrap<DataApi>(new Worker(new URL("./workers/data.worker.ts", import.meta.url), { type: "module" }));
const trainer = wrap<TrainerApi>(new Worker(new URL("./workers/trainer.worker.ts", import.meta.url), { type: "module" }));
/** The dataset files last read in the Data section: what Train trains on. */
let datasetInputs: InputFile[] = [];

function setupTrain(api: Remote<TrainerApi>) {
  const start = $<HTMLButtonElement>("train-start");
  const stop = $<HTMLButtonElement>("train-stop");
  const status = $("train-status");
  const canvas = $<HTMLCanvasElement>("train-curves");
  const results = $("train-results");
  const download = $<HTMLButtonElement>("train-download");
  const downloadReport = $<HTMLButtonElement>("train-report");
  let bundle: Uint8Array | undefined;
  let reportHtml: string | undefined;
  stop.addEventListener("click", () => void api.cancel());
  // Epochs and augmentation follow the chosen model's defaults (the mlp runs 60 epochs unaugmented).
  $<HTMLSelectElement>("train-model").addEventListener("change", (e) => {
    const d = trainingDefaults((e.target as HTMLSelectElement).value as Parameters<typeof trainingDefaults>[0]);
    $<HTMLInputElement>("train-epochs").value = String(d.epochs);
    $<HTMLInputElement>("train-augment").value = d.augment;
  });
  download.addEventListener("click", () => bundle && saveBytes(bundle, "ser-model.zip"));
  downloadReport.addEventListener("click", () => reportHtml && saveBytes(new TextEncoder().encode(reportHtml), "ser-report.html", "text/html"));
  start.addEventListener("click", async () => {
    start.disabled = true;
    stop.disabled = false;
    download.hidden = true;
    downloadReport.hidden = true;
    results.replaceChildren();
    delete results.dataset.report;
    status.className = "";
    const history: EpochLog[] = [];
    canvas.hidden = false;
    drawCurves(canvas, history);
    try {
      const r = await api.train(
        {
          inputs: datasetInputs,
          model: $<HTMLSelectElement>("train-model").value as "mlp",
          epochs: Number($<HTMLInputElement>("train-epochs").value),
          seed: Number($<HTMLInputElement>("train-seed").value),
          testSize: 0.25,
          testDataset: $<HTMLSelectElement>("train-split").value || undefined,
          features: ($<HTMLSelectElement>("train-features").value || undefined) as "mfcc" | undefined,
          batchSize: Number($<HTMLInputElement>("train-batch").value),
          learningRate: Number($<HTMLInputElement>("train-lr").value),
          augment: $<HTMLInputElement>("train-augment").value.trim() || "none",
          emotions: $<HTMLInputElement>("train-emotions").value,
          nMfcc: Number($<HTMLInputElement>("train-nmfcc").value),
          normalize: $<HTMLSelectElement>("train-normalize").value as "speaker",
          prosody: $<HTMLInputElement>("train-prosody").checked,
          dropout: tunedDropout,
          // ?workers=N in the page's address sets the feature pool's size (benchmarks compare 1 with the default).
          workers: Number(new URLSearchParams(location.search).get("workers")) || undefined,
        },
        proxy((p) => {
          status.textContent = `Epoch ${p.epoch}/${p.epochs}, batch ${p.batch}/${p.batches}: loss ${p.loss.toFixed(3)}, accuracy ${pct(p.accuracy)}, ${p.samplesPerSecond.toFixed(0)} samples/s, about ${Math.ceil(p.etaS)} s left`;
        }),
        proxy((l) => {
          // A retrained model (refit) starts again at epoch 1: draw its curves alone.
          if (history.length > 0 && l.epoch <= history[history.length - 1]!.epoch) history.length = 0;
          history.push(l);
          canvas.dataset.points = String(history.length);
          drawCurves(canvas, history);
        }),
        proxy((s) => {
          status.textContent = s;
        }),
      );
      bundle = r.bundleZip;
      const rep = r.report;
      const cm = document.createElement("table");
      cm.className = "cm";
      const head = cm.createTHead().insertRow();
      head.insertCell().textContent = "true \\ predicted";
      for (const l of rep.labels) head.insertCell().textContent = l;
      const body = cm.createTBody();
      // Counts with the share of the row; shading follows the share (green diagonal, red errors).
      rep.confusionMatrix.forEach((row, i) => {
        const tr = body.insertRow();
        tr.insertCell().textContent = rep.labels[i]!;
        const total = row.reduce((a, b) => a + b, 0);
        row.forEach((v, j) => {
          const td = tr.insertCell();
          const share = total > 0 ? v / total : 0;
          td.textContent = String(v);
          const small = document.createElement("small");
          small.textContent = total > 0 ? pct(share) : "-";
          td.append(small);
          td.style.background = i === j ? `rgba(30,130,60,${(0.1 + 0.8 * share).toFixed(3)})` : `rgba(200,50,40,${(0.8 * share).toFixed(3)})`;
          if (share > 0.55) td.style.color = "#fff";
        });
      });
      const pre = document.createElement("pre");
      pre.textContent = classificationReport(rep);
      const model = $<HTMLSelectElement>("train-model").value;
      const cal = r.calibration;
      const calibration = cal
        ? line(`Calibration: temperature ${cal.temperature.toFixed(2)} fitted on ${cal.fittedOn}; on the test speakers the expected calibration error went from ${pct(cal.test.before.ece)} to ${pct(cal.test.after.ece)}. Predictions use the calibrated probabilities.`)
        : line("Calibration: none (no validation speakers to fit a temperature on).");
      calibration.id = "train-calibration";
      const missed = r.predictions.filter((q) => q.truth !== q.predicted);
      const details = document.createElement("details");
      const sum = document.createElement("summary");
      sum.textContent = `Misclassified test recordings (${missed.length} of ${rep.n}): click to listen`;
      const list = table(["file", "true", "predicted", "confidence"], []);
      list.id = "misclassified";
      list.tBodies[0]!.append(...missed.map((q) => {
        const tr = document.createElement("tr");
        const td = document.createElement("td");
        const play = document.createElement("button");
        play.type = "button";
        play.textContent = q.path.split("/").pop()!;
        play.title = `Play and show ${q.path}`;
        play.addEventListener("click", () => void showClip(dataWorker, q.path).then(() => $("clip").scrollIntoView({ block: "nearest" })));
        td.append(play);
        tr.append(td, cell(q.truth), cell(q.predicted), cell(pct(q.confidence)));
        return tr;
      }));
      details.append(sum, list);
      results.replaceChildren(
        line(`Accuracy ${pct(rep.accuracy)}, UAR ${pct(rep.uar)}, macro-F1 ${pct(rep.macro.f1)} on ${rep.n} recordings of ${r.testSpeakers.length} speakers never heard in training${r.protocol.startsWith("cross-corpus") ? `, from a corpus the model never trained on` : ""}.`),
        line(r.protocol),
        line(`Features for ${r.ingest.recordings} recordings in ${r.ingest.seconds.toFixed(1)} s on ${r.ingest.workers} worker(s).`),
        pre,
        cm,
        calibration,
        details,
      );
      reportHtml = renderHtmlReport({
        title: `ser (web page): ${model} on ${datasetInputs.map((i) => i.path.split("/")[0]).filter((v, i, a) => a.indexOf(v) === i).join(" + ")}`,
        createdAt: r.createdAt,
        protocol: r.protocol,
        speakerIndependent: true,
        report: rep,
        facts: [
          ["model", `${model} (${r.parameters} parameters)`],
          ["training speakers", r.trainSpeakers.join(", ")],
          ["validation speakers", r.validationSpeakers.join(", ") || "none"],
          ["test speakers", r.testSpeakers.join(", ")],
          ["backend", r.backend],
          ["seed", $<HTMLInputElement>("train-seed").value],
        ],
        history: r.history,
        calibration: r.calibration,
        misclassified: missed,
      });
      downloadReport.hidden = false;
      results.dataset.report = JSON.stringify({ accuracy: rep.accuracy, uar: rep.uar, n: rep.n, labels: rep.labels, confusionMatrix: rep.confusionMatrix, testSpeakers: r.testSpeakers });
      status.textContent = `Done: ${r.history.length} epoch(s). The model is loaded below for predictions.`;
      download.hidden = false;
      await loadModel(r.bundleZip.slice(), "trained in this page");
    } catch (e) {
      status.textContent = (e as Error).message;
      status.className = "error";
    } finally {
      start.disabled = datasetInputs.length === 0;
      stop.disabled = true;
    }
  });
}

/** Dropout chosen by the last search's "Use the best" (the form has no field for it). */
let tunedDropout: number | undefined;

function setupTune(api: Remote<TrainerApi>) {
  const start = $<HTMLButtonElement>("tune-start");
  const use = $<HTMLButtonElement>("tune-use");
  const status = $("tune-status");
  const body = $("tune-table").querySelector("tbody")!;
  let best: TrialResult | undefined;
  start.addEventListener("click", async () => {
    start.disabled = true;
    use.disabled = true;
    body.replaceChildren();
    status.className = "";
    const rows = new Map<number, TrialResult>();
    try {
      const results = await api.tune(
        {
          inputs: datasetInputs,
          trials: Number($<HTMLInputElement>("tune-trials").value),
          epochs: Number($<HTMLInputElement>("tune-epochs").value),
          folds: Number($<HTMLInputElement>("tune-folds").value),
          budgetMinutes: Number($<HTMLInputElement>("tune-budget").value),
          seed: Number($<HTMLInputElement>("train-seed").value),
          emotions: $<HTMLInputElement>("train-emotions").value,
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
      start.disabled = datasetInputs.length === 0;
    }
  });
  use.addEventListener("click", () => {
    if (!best) return;
    const c = best.config;
    $<HTMLSelectElement>("train-model").value = c.model;
    $<HTMLSelectElement>("train-features").value = c.model === "mlp" ? "" : c.features;
    $<HTMLInputElement>("train-nmfcc").value = String(c["n-mfcc"]);
    $<HTMLSelectElement>("train-normalize").value = c.normalize;
    $<HTMLInputElement>("train-lr").value = String(c.lr);
    $<HTMLInputElement>("train-batch").value = String(c["batch-size"]);
    $<HTMLInputElement>("train-augment").value = c.augment;
    $<HTMLInputElement>("train-epochs").value = String(best.epochs);
    tunedDropout = c.dropout;
    $("tune-status").textContent = `The form now holds trial ${best.id + 1}'s configuration (dropout ${c.dropout}); press Train.`;
  });
}

function renderTune(body: HTMLTableSectionElement, results: TrialResult[]) {
  body.replaceChildren(...results.map((t, i) => {
    const tr = document.createElement("tr");
    const c = t.config;
    for (const v of [String(i + 1), String(t.id + 1), String(t.epochs), `${pct(t.meanUar)} ± ${pct(t.stdUar)}`, `${c.model}, lr ${c.lr}, batch ${c["batch-size"]}, dropout ${c.dropout}, augment ${c.augment}, ${c["n-mfcc"]} MFCC, normalise ${c.normalize}`]) tr.append(cell(v));
    tr.dataset.uar = String(t.meanUar);
    return tr;
  }));
}

/** Loss (train solid, validation dashed) and validation UAR per epoch. */
function drawCurves(canvas: HTMLCanvasElement, h: EpochLog[]) {
  const g = canvas.getContext("2d")!;
  const { width: w, height: ht } = canvas;
  g.clearRect(0, 0, w, ht);
  if (h.length === 0) return;
  const maxLoss = Math.max(...h.map((e) => Math.max(e.loss, e.valLoss ?? 0)), 1e-6);
  const x = (i: number) => 30 + (i / Math.max(1, h.length - 1)) * (w - 40);
  const series: [string, (e: EpochLog) => number | undefined, number, boolean][] = [
    ["#2b6cb0", (e) => e.loss / maxLoss, 2, false],
    ["#2b6cb0", (e) => (e.valLoss === undefined ? undefined : e.valLoss / maxLoss), 2, true],
    ["#2f855a", (e) => e.valUar, 2, false],
  ];
  for (const [color, f, width, dashed] of series) {
    g.strokeStyle = color;
    g.lineWidth = width;
    g.setLineDash(dashed ? [6, 4] : []);
    g.beginPath();
    h.forEach((e, i) => {
      const v = f(e);
      if (v === undefined) return;
      const y = ht - 10 - v * (ht - 20);
      if (i === 0) g.moveTo(x(i), y);
      else g.lineTo(x(i), y);
    });
    g.stroke();
  }
  g.setLineDash([]);
  g.fillStyle = "#333";
  g.fillText("loss (blue, dashed = validation), validation UAR (green)", 34, 14);
}

function saveBytes(bytes: Uint8Array, name: string, type = "application/zip") {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Set by setupData: reads inputs into the Data section (also used by the recorder). */
let readInputs: (inputs: InputFile[]) => Promise<void> = async () => {};

function setupData(api: Remote<DataApi>, onRead: () => Promise<void>) {
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
      // Cross-corpus needs two datasets at least: offer each as the test set.
      const split = $<HTMLSelectElement>("train-split");
      split.replaceChildren(new Option("unseen speakers (a quarter of them)", ""), ...(summary.datasets.length > 1 ? summary.datasets.map((d) => new Option(`${d.dataset} (train on the others)`, d.dataset)) : []));
      await onRead();
      datasetInputs = summary.files > 0 ? inputs : [];
      $<HTMLButtonElement>("train-start").disabled = datasetInputs.length === 0;
      $<HTMLButtonElement>("tune-start").disabled = datasetInputs.length === 0;
      $("train-status").textContent = datasetInputs.length ? `Ready to train on ${summary.files} recordings from ${summary.speakers.length} speaker${summary.speakers.length === 1 ? "" : "s"}.` : "No usable recordings to train on.";
    } catch (e) {
      out.textContent = (e as Error).message;
      out.className = "error";
    } finally {
      progress.hidden = true;
    }
  };
  readInputs = read;
  const zipInput = $<HTMLInputElement>("zip-input");
  zipInput.addEventListener("change", () => read([...(zipInput.files ?? [])].map((file) => ({ path: file.name, file }))));
  const folderInput = $<HTMLInputElement>("folder-input");
  folderInput.addEventListener("change", () =>
    read([...(folderInput.files ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file })))
  );
}

type Row = Awaited<ReturnType<DataApi["list"]>>[number];

function setupExplore(api: Remote<DataApi>) {
  let rows: Row[] = [];
  const selects = ["dataset", "emotion", "speaker"].map((k) => [k, $<HTMLSelectElement>(`filter-${k}`)] as const);
  const render = () => {
    const want = Object.fromEntries(selects.map(([k, el]) => [k, el.value]));
    const shown = rows.filter((r) => (!want.dataset || r.dataset === want.dataset) && (!want.emotion || r.emotion === want.emotion) && (!want.speaker || r.speaker === want.speaker));
    $("explore-count").textContent = `${shown.length} of ${rows.length} recordings${shown.length > 300 ? " (first 300 listed)" : ""}`;
    $("explore-table").querySelector("tbody")!.replaceChildren(...shown.slice(0, 300).map((r) => {
      const tr = document.createElement("tr");
      const name = document.createElement("td");
      const play = document.createElement("button");
      play.type = "button";
      play.textContent = r.path.split("/").pop()!;
      play.title = `Play and show ${r.path}`;
      play.addEventListener("click", () => void showClip(api, r.path));
      name.append(play);
      tr.append(name, cell(r.emotion), cell(`${r.speaker} (${r.gender})`), cell(r.durationS.toFixed(2)));
      return tr;
    }));
  };
  for (const [, el] of selects) el.addEventListener("change", render);
  return async () => {
    rows = await api.list();
    for (const [k, el] of selects) {
      const values = [...new Set(rows.map((r) => r[k as "dataset"]))].sort();
      el.replaceChildren(new Option("all", ""), ...values.map((v) => new Option(v, v)));
    }
    render();
  };
}

async function showClip(api: Remote<DataApi>, path: string) {
  const clip = await api.clip(path);
  $("clip").hidden = false;
  $("clip-title").textContent = `${path} (${clip.sampleRateHz} Hz, ${(clip.samples.length / clip.sampleRateHz).toFixed(2)} s)`;
  const audio = $<HTMLAudioElement>("clip-audio");
  if (audio.src) URL.revokeObjectURL(audio.src);
  audio.src = URL.createObjectURL(new Blob([clip.wav as BlobPart], { type: "audio/wav" }));
  const wave = $<HTMLCanvasElement>("clip-wave");
  const g = wave.getContext("2d")!;
  g.clearRect(0, 0, wave.width, wave.height);
  g.strokeStyle = "#2b6cb0";
  g.beginPath();
  const step = clip.samples.length / wave.width;
  for (let x = 0; x < wave.width; x++) {
    let lo = 0;
    let hi = 0;
    for (let i = Math.floor(x * step); i < Math.floor((x + 1) * step); i++) {
      lo = Math.min(lo, clip.samples[i]!);
      hi = Math.max(hi, clip.samples[i]!);
    }
    g.moveTo(x + 0.5, (1 - hi) * wave.height / 2);
    g.lineTo(x + 0.5, (1 - lo) * wave.height / 2);
  }
  g.stroke();
  drawImage($<HTMLCanvasElement>("clip-spectrogram"), clip.logMel, clip.frames, 64);
  drawImage($<HTMLCanvasElement>("clip-mfcc"), clip.mfcc, clip.frames, 20, true);
  $("clip").dataset.path = path;
}

/**
 * A [frames × dims] matrix as an image: time left to right, low dims at the bottom. With
 * `perRow` each dim gets its own colour range (MFCC c0 would otherwise drown the rest).
 */
function drawImage(canvas: HTMLCanvasElement, m: Float32Array, frames: number, dims: number, perRow = false) {
  const lo = new Float64Array(dims).fill(Infinity);
  const hi = new Float64Array(dims).fill(-Infinity);
  for (let t = 0; t < frames; t++) {
    for (let d = 0; d < dims; d++) {
      const v = m[t * dims + d]!;
      const k = perRow ? d : 0;
      lo[k] = Math.min(lo[k]!, v);
      hi[k] = Math.max(hi[k]!, v);
    }
  }
  const img = new ImageData(frames, dims);
  for (let t = 0; t < frames; t++) {
    for (let d = 0; d < dims; d++) {
      const k = perRow ? d : 0;
      const v = (m[t * dims + d]! - lo[k]!) / Math.max(hi[k]! - lo[k]!, 1e-9);
      const o = ((dims - 1 - d) * frames + t) * 4;
      img.data[o] = Math.round(255 * Math.min(1, 1.5 * v));
      img.data[o + 1] = Math.round(255 * v * v);
      img.data[o + 2] = Math.round(255 * (1 - v) * 0.6);
      img.data[o + 3] = 255;
    }
  }
  const tmp = document.createElement("canvas");
  tmp.width = frames;
  tmp.height = dims;
  tmp.getContext("2d")!.putImageData(img, 0, 0);
  const g = canvas.getContext("2d")!;
  g.imageSmoothingEnabled = false;
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.drawImage(tmp, 0, 0, canvas.width, canvas.height);
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
  const head = line(`${describeFiles(s)}. ${describeSpeakers(s)}.`);
  const parts: HTMLElement[] = [head];
  if (s.files > 0) {
    parts.push(table(["dataset", "files", "speakers", "male", "female", "unknown", "minutes"], s.datasets.map((d) => [d.dataset, d.files, d.speakers, d.genders.male, d.genders.female, d.genders.unknown, Number((d.durationS / 60).toFixed(1))])));
    parts.push(withBars(table(["emotion", "files"], Object.entries(s.emotions).map(([e, n]) => [e, n])), 1));
    parts.push(withBars(table(["speaker", "gender", "files"], s.speakers.map((sp) => [sp.speaker, sp.gender, sp.files])), 2));
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

/** Adds a bar column drawn from the numbers in column `col` (a chart that is still a table). */
function withBars(t: HTMLTableElement, col: number): HTMLTableElement {
  const rows = [...t.tBodies[0]!.rows];
  const max = Math.max(1, ...rows.map((r) => Number(r.cells[col]!.textContent)));
  const th = document.createElement("th");
  th.scope = "col";
  th.textContent = "share";
  t.tHead!.rows[0]!.append(th);
  for (const r of rows) {
    const td = r.insertCell();
    const bar = document.createElement("div");
    bar.className = "hbar";
    bar.style.width = `${(100 * Number(r.cells[col]!.textContent)) / max}%`;
    bar.setAttribute("aria-hidden", "true");
    td.append(bar);
  }
  return t;
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
  let current: { zip: Uint8Array; meta: BundleMeta } | undefined;
  const describe = (meta: BundleMeta) => {
    const ev = meta.evaluation;
    return `${meta.model.name} on ${meta.frontend.kind}, ${meta.labels.length} emotions${ev ? `, UAR ${pct(ev.uar)} on ${ev.n} test recordings` : ""}`;
  };
  /** Loads zip bytes into the model worker (a copy is kept here for saving). */
  loadModel = async (zip: Uint8Array, source: string) => {
    info.textContent = `Loading ${source}…`;
    info.className = "";
    delete info.dataset.loaded;
    try {
      const copy = zip.slice();
      const meta = await api.loadBundle(transfer(zip, [zip.buffer as ArrayBuffer]));
      current = { zip: copy, meta };
      currentMeta = meta;
      $<HTMLButtonElement>("live-start").disabled = false;
      $("live-status").textContent = `Ready: ${meta.labels.length} emotions, ${meta.frontend.durationS} s windows.`;
      const ev = meta.evaluation;
      info.replaceChildren(
        line(`${source}: ${meta.model.name}, ${meta.model.parameters.toLocaleString()} parameters, ${meta.frontend.kind} features at ${meta.frontend.sampleRateHz} Hz`),
        line(`Emotions: ${meta.labels.join(", ")}`),
        line(ev ? `Test report: accuracy ${pct(ev.accuracy)}, UAR ${pct(ev.uar)} on ${ev.n} recordings. ${meta.protocol}` : "No test report in this bundle."),
      );
      info.dataset.loaded = "true";
      wavInput.disabled = false;
      download.disabled = false;
      $<HTMLButtonElement>("save-local").disabled = false;
    } catch (e) {
      info.textContent = (e as Error).message;
      info.className = "error";
    }
  };
  bundleInput.addEventListener("change", async () => {
    const file = bundleInput.files?.[0];
    if (file) await loadModel(await readFile(file), file.name);
  });
  const saved = $("saved-models");
  const refresh = async () => {
    try {
      const list = await listBundles();
      saved.replaceChildren(...list.map((b) => {
        const li = document.createElement("li");
        const load = document.createElement("button");
        load.type = "button";
        load.textContent = "Load";
        load.addEventListener("click", () => void loadModel(b.zip.slice(), b.name));
        const del = document.createElement("button");
        del.type = "button";
        del.textContent = "Delete";
        del.addEventListener("click", async () => {
          await deleteBundle(b.name);
          await refresh();
        });
        li.append(`${b.name}: ${b.description} (saved ${b.savedAt.slice(0, 16).replace("T", " ")}) `, load, " ", del);
        li.dataset.name = b.name;
        return li;
      }));
      if (list.length === 0) saved.replaceChildren(line("None yet."));
    } catch (e) {
      saved.replaceChildren(line(`Saving is unavailable: ${(e as Error).message}`));
    }
  };
  $<HTMLButtonElement>("save-local").addEventListener("click", async () => {
    if (!current) return;
    const name = `${current.meta.model.name} ${new Date().toISOString().slice(0, 19).replace("T", " ")}`;
    await storeBundle({ name, description: describe(current.meta), savedAt: new Date().toISOString(), zip: current.zip });
    await refresh();
  });
  void refresh();

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

  download.addEventListener("click", async () => saveBytes(await api.exportBundle(), "ser-model.zip"));
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
/** The bundle loaded in the model worker, if any. */
let currentMeta: BundleMeta | undefined;

/** Below this level a window is treated as silence and not classified. */
const SILENCE_DB = -50;

function setupLive(api: Remote<ModelApi>) {
  const startBtn = $<HTMLButtonElement>("live-start");
  const stopBtn = $<HTMLButtonElement>("live-stop");
  const status = $("live-status");
  const meter = $<HTMLMeterElement>("live-level");
  const bars = $("live-bars");
  let capture: Capture | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let busy = false;
  let updates = 0;
  const stop = async () => {
    clearInterval(timer);
    await capture?.stop();
    capture = undefined;
    startBtn.disabled = !currentMeta;
    stopBtn.disabled = true;
  };
  stopBtn.addEventListener("click", async () => {
    await stop();
    status.textContent = "Stopped.";
  });
  startBtn.addEventListener("click", async () => {
    const meta = currentMeta;
    if (!meta) return;
    startBtn.disabled = true;
    try {
      await api.liveReset();
      let ring: ReturnType<typeof createRing> | undefined;
      capture = await startCapture((block) => {
        ring?.push(block);
        const db = levelDb(block);
        meter.value = Math.max(-60, db);
        // The loudest block so far: the meter itself shows only the latest one.
        if (!(db <= Number(meter.dataset.peak ?? -Infinity))) meter.dataset.peak = db.toFixed(1);
      });
      const rate = capture.sampleRateHz;
      ring = createRing(Math.ceil(meta.frontend.durationS * rate));
      stopBtn.disabled = false;
      status.textContent = `Listening at ${rate} Hz…`;
      updates = 0;
      timer = setInterval(async () => {
        if (busy || !ring || ring.total < 0.5 * rate) return;
        const window = ring.latest(Math.ceil(meta.frontend.durationS * rate));
        const db = levelDb(window);
        if (db < SILENCE_DB) {
          status.textContent = `Listening… (silence, ${db.toFixed(0)} dB)`;
          return;
        }
        busy = true;
        try {
          const p = await api.predictLive(transfer(window, [window.buffer]), rate);
          renderBars(bars, p.probabilities);
          bars.dataset.updates = String(++updates);
          bars.dataset.probabilities = JSON.stringify(p.probabilities);
          status.textContent = `${p.label} (${pct(p.confidence)})${p.historyWindows < 3 ? "; still learning your voice" : ""}`;
        } catch (e) {
          status.textContent = (e as Error).message;
          status.className = "error";
          await stop();
        } finally {
          busy = false;
        }
      }, 500);
    } catch (e) {
      status.textContent = `Microphone unavailable: ${(e as Error).message}`;
      status.className = "error";
      await stop();
    }
  });
}

/** One labelled meter per emotion; `sorted` puts the most likely first (live bars keep their order). */
function renderBars(host: HTMLElement, probabilities: Record<string, number>, sorted = false) {
  const entries = Object.entries(probabilities);
  if (sorted) entries.sort((a, b) => b[1] - a[1]);
  host.replaceChildren(...entries.map(([label, v]) => {
    const row = document.createElement("div");
    row.className = "bar";
    const meter = document.createElement("meter");
    meter.min = 0;
    meter.max = 1;
    meter.value = v;
    meter.setAttribute("aria-label", `${label} probability`);
    row.append(span(label), meter, span(pct(v)));
    return row;
  }));
}

interface Recording {
  path: string;
  bytes: Uint8Array;
  emotion: Emotion;
}

function setupRecord() {
  const startBtn = $<HTMLButtonElement>("rec-start");
  const status = $("rec-status");
  const meter = $<HTMLMeterElement>("rec-level");
  const list = $("rec-list");
  const use = $<HTMLButtonElement>("rec-use");
  const download = $<HTMLButtonElement>("rec-download");
  const recordings: Recording[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const render = () => {
    list.replaceChildren(...recordings.map((r, i) => {
      const li = document.createElement("li");
      const audio = document.createElement("audio");
      audio.controls = true;
      audio.setAttribute("aria-label", `recording ${r.path.split("/").pop()}`);
      audio.src = URL.createObjectURL(new Blob([r.bytes as BlobPart], { type: "audio/wav" }));
      const del = document.createElement("button");
      del.type = "button";
      del.textContent = "Delete (re-take)";
      del.addEventListener("click", () => {
        URL.revokeObjectURL(audio.src);
        recordings.splice(i, 1);
        render();
      });
      li.append(`${r.emotion}: ${r.path.split("/").pop()} `, audio, " ", del);
      li.dataset.path = r.path;
      return li;
    }));
    use.disabled = download.disabled = recordings.length === 0;
  };
  startBtn.addEventListener("click", async () => {
    const emotion = $<HTMLSelectElement>("rec-emotion").value as Emotion;
    const actor = Number($<HTMLInputElement>("rec-actor").value);
    if (!(actor >= 25 && actor <= 99)) {
      status.textContent = `Speaker number must be 25–99 (RAVDESS's own actors are 1–24), got ${$<HTMLInputElement>("rec-actor").value}.`;
      status.className = "error";
      return;
    }
    status.className = "";
    startBtn.disabled = true;
    const blocks: Float32Array[] = [];
    let recording = false;
    let capture: Capture | undefined;
    try {
      capture = await startCapture((b) => {
        meter.value = Math.max(-60, levelDb(b));
        if (recording) blocks.push(b);
      });
      for (const n of [3, 2, 1]) {
        status.textContent = `Get ready to sound ${emotion}: ${n}…`;
        await sleep(1000);
      }
      status.textContent = `Recording ${emotion}…`;
      recording = true;
      await sleep(3000);
      recording = false;
      const rate = capture.sampleRateHz;
      const samples = new Float32Array(blocks.reduce((s, b) => s + b.length, 0));
      let o = 0;
      for (const b of blocks) {
        samples.set(b, o);
        o += b.length;
      }
      // Statements alternate 1, 2 and repetitions count up per emotion, as in RAVDESS.
      const k = recordings.filter((r) => r.emotion === emotion && r.path.includes(`/Actor_${actor}/`)).length;
      let name = "";
      for (let rep = Math.floor(k / 2) + 1; ; rep++) {
        name = ravdessName({ emotion, actor, statement: (k % 2) + 1 as 1 | 2, repetition: rep });
        if (!recordings.some((r) => r.path.endsWith(name))) break;
      }
      recordings.push({ path: `recorded/Actor_${actor}/${name}`, bytes: encodeWav(samples, rate), emotion });
      status.textContent = `Kept ${name} (${(samples.length / rate).toFixed(1)} s at ${rate} Hz, level ${levelDb(samples).toFixed(0)} dB).`;
      render();
    } catch (e) {
      status.textContent = `Recording failed: ${(e as Error).message}`;
      status.className = "error";
    } finally {
      await capture?.stop();
      startBtn.disabled = false;
    }
  });
  download.addEventListener("click", () => {
    saveBytes(zipSync(Object.fromEntries(recordings.map((r) => [r.path, r.bytes])), { level: 0 }), "ser-recordings.zip");
  });
  use.addEventListener("click", () => {
    const own = recordings.map((r) => ({ path: r.path, file: new File([r.bytes as BlobPart], r.path.split("/").pop()!, { type: "audio/wav" }) }));
    // Recordings join whatever was read before; reading again keeps one corpus.
    const others = datasetInputs.filter((i) => !i.path.startsWith("recorded/"));
    void readInputs([...others, ...own]);
  });
}
/** Set by start(): loads bundle bytes into the model worker (also used after training). */
let loadModel: (zip: Uint8Array, source: string) => Promise<void> = async () => {};
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

setupData(dataWorker, setupExplore(dataWorker));
setupTrain(trainer);
setupTune(trainer);
void trainer.init();
start(worker);
setupLive(worker);
setupRecord();
