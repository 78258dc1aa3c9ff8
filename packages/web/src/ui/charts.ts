/** Drawings the views share: waveforms and matrices on canvases, bars from meters and divs. */
import { span } from "./dom.ts";
import { pct } from "./format.ts";

/**
 * Samples in [-1, 1] as a waveform: each pixel column spans its samples' minimum to maximum,
 * scaled so the loudest sample reaches the edge (speech recorded at −20 dBFS would otherwise be a
 * thin line); returns that peak in dBFS for the caption.
 */
export function drawWave(wave: HTMLCanvasElement, samples: Float32Array): number {
  const g = wave.getContext("2d")!;
  g.clearRect(0, 0, wave.width, wave.height);
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]!));
  const scale = peak > 0 ? 1 / peak : 1;
  g.strokeStyle = "#2b6cb0";
  g.beginPath();
  const step = samples.length / wave.width;
  for (let x = 0; x < wave.width; x++) {
    let lo = 0;
    let hi = 0;
    for (let i = Math.floor(x * step); i < Math.floor((x + 1) * step); i++) {
      lo = Math.min(lo, samples[i]!);
      hi = Math.max(hi, samples[i]!);
    }
    g.moveTo(x + 0.5, (1 - hi * scale) * wave.height / 2);
    g.lineTo(x + 0.5, (1 - lo * scale) * wave.height / 2);
  }
  g.stroke();
  return peak > 0 ? 20 * Math.log10(peak) : -Infinity;
}

/**
 * A [frames × dims] matrix as an image: time left to right, low dims at the bottom. With
 * `perRow` each dim gets its own colour range (MFCC c0 would otherwise drown the rest).
 */
export function drawImage(canvas: HTMLCanvasElement, m: Float32Array, frames: number, dims: number, perRow = false) {
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

/** One labelled meter per emotion; `sorted` puts the most likely first (live bars keep their order). */
export function renderBars(host: HTMLElement, probabilities: Record<string, number>, sorted = false, shown?: string) {
  const entries = Object.entries(probabilities);
  if (sorted) entries.sort((a, b) => b[1] - a[1]);
  host.replaceChildren(...entries.map(([label, v]) => {
    const row = document.createElement("div");
    // The label shown above the bars (live) is marked, so the two can be read together.
    row.className = label === shown ? "bar shown" : "bar";
    row.dataset.label = label;
    const meter = document.createElement("meter");
    meter.min = 0;
    meter.max = 1;
    meter.value = v;
    meter.setAttribute("aria-label", `${label} probability`);
    row.append(span(label), meter, span(pct(v)));
    return row;
  }));
}

/** Adds a bar column drawn from the numbers in column `col` (a chart that is still a table). */
export function withBars(t: HTMLTableElement, col: number): HTMLTableElement {
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
