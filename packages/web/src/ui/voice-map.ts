/**
 * The map of the voices (Data step): the trainer worker computes every recording's features and
 * their PCA (core's voiceMap); this view draws the points on a canvas, coloured by emotion,
 * speaker or corpus, with a legend, and plays the recording nearest a click.
 */
import { type Remote } from "comlink";
import { proxy } from "comlink";
import type { DataApi } from "../workers/data.worker.ts";
import type { TrainerApi } from "../workers/trainer.worker.ts";
import { $ } from "./dom.ts";
import { pct } from "./format.ts";
import type { UiState } from "./state.ts";

/** Tableau 20: distinct colours for up to 20 groups; more repeat. */
const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
  "#a0cbe8", "#ffbe7d", "#ff9d9a", "#86bcb6", "#8cd17d", "#f1ce63", "#d4a6c8", "#fabfd2", "#d7b5a6", "#79706e"];

type MapData = Awaited<ReturnType<TrainerApi["map"]>>;

export function setupVoiceMap(ui: UiState, trainer: Remote<TrainerApi>, data: Remote<DataApi>) {
  const draw = $<HTMLButtonElement>("map-draw");
  const status = $("map-status");
  const canvas = $<HTMLCanvasElement>("map-canvas");
  const colourBy = $<HTMLSelectElement>("map-colour");
  let map: MapData | undefined;
  let screen: Float32Array = new Float32Array(0);
  ui.store.subscribe("datasetInputs", (inputs) => {
    draw.disabled = inputs.length === 0 || ui.store.get("job") !== undefined;
  });
  ui.store.subscribe("job", (job) => {
    draw.disabled = job !== undefined || ui.store.get("datasetInputs").length === 0;
  });
  const render = () => {
    if (!map) return;
    const key = colourBy.value as "emotion" | "speaker" | "dataset";
    const groups = [...new Set(map.items.map((it) => it[key]))].sort();
    const colour = new Map(groups.map((g, i) => [g, PALETTE[i % PALETTE.length]!]));
    const ctx = canvas.getContext("2d")!;
    const { width, height } = canvas;
    const n = map.items.length;
    let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, map.points[2 * i]!), maxX = Math.max(maxX, map.points[2 * i]!);
      minY = Math.min(minY, map.points[2 * i + 1]!), maxY = Math.max(maxY, map.points[2 * i + 1]!);
    }
    const pad = 12;
    screen = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      screen[2 * i] = pad + ((map.points[2 * i]! - minX) / (maxX - minX || 1)) * (width - 2 * pad);
      screen[2 * i + 1] = height - pad - ((map.points[2 * i + 1]! - minY) / (maxY - minY || 1)) * (height - 2 * pad);
    }
    ctx.clearRect(0, 0, width, height);
    ctx.globalAlpha = 0.75;
    for (let i = 0; i < n; i++) {
      ctx.fillStyle = colour.get(map.items[i]![key])!;
      ctx.beginPath();
      ctx.arc(screen[2 * i]!, screen[2 * i + 1]!, 3, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    canvas.dataset.points = String(n);
    // Where the first point is drawn (canvas pixels): a test clicks it.
    canvas.dataset.first = `${screen[0]!.toFixed(1)},${screen[1]!.toFixed(1)}`;
    canvas.dataset.groups = String(groups.length);
    $("map-legend").replaceChildren(...groups.slice(0, 40).map((g) => {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colour.get(g)!;
      swatch.setAttribute("aria-hidden", "true");
      li.append(swatch, ` ${g} (${map!.items.filter((it) => it[key] === g).length})`);
      return li;
    }));
  };
  colourBy.addEventListener("change", render);
  draw.addEventListener("click", async () => {
    draw.disabled = true;
    status.className = "";
    const t0 = performance.now();
    try {
      map = await trainer.map(ui.store.get("datasetInputs"), ui.store.get("labelling"), proxy((s: string) => void (status.textContent = s)));
      canvas.hidden = false;
      const t1 = performance.now();
      render();
      const drawMs = performance.now() - t1;
      canvas.dataset.drawMs = drawMs.toFixed(1);
      status.textContent = `${map.items.length} recordings, ${map.features} features; the axes explain ${pct(map.explained[0]!)} and ${pct(map.explained[1]!)} of the variance (${((performance.now() - t0) / 1000).toFixed(1)} s).`;
    } catch (e) {
      status.textContent = (e as Error).message;
      status.className = "error";
    } finally {
      draw.disabled = ui.store.get("job") !== undefined || ui.store.get("datasetInputs").length === 0;
    }
  });
  canvas.addEventListener("click", async (e) => {
    if (!map) return;
    const r = canvas.getBoundingClientRect();
    const x = ((e.clientX - r.left) * canvas.width) / r.width, y = ((e.clientY - r.top) * canvas.height) / r.height;
    let best = -1, bestD = 12 * 12;
    for (let i = 0; i < map.items.length; i++) {
      const d = (screen[2 * i]! - x) ** 2 + (screen[2 * i + 1]! - y) ** 2;
      if (d < bestD) [best, bestD] = [i, d];
    }
    if (best < 0) return;
    const it = map.items[best]!;
    const playing = $("map-playing");
    const audio = document.createElement("audio");
    audio.controls = true;
    audio.autoplay = true;
    audio.src = URL.createObjectURL(new Blob([await data.audio(it.path) as BlobPart]));
    const old = playing.querySelector("audio");
    if (old) URL.revokeObjectURL(old.src);
    playing.replaceChildren(`${it.emotion}, ${it.speaker} (${it.dataset}): ${it.path.split("/").pop()} `, audio);
    playing.dataset.path = it.path;
  });
}
