/** The Live section: classifies the microphone's latest clip-length every LIVE_HOP_S with the loaded bundle. */
import { type Remote, transfer } from "comlink";
import { type Capture, createRing, startCapture } from "../capture.ts";
import type { ModelApi } from "../workers/model.worker.ts";
import { renderBars } from "./charts.ts";
import { $ } from "./dom.ts";
import { pct } from "./format.ts";
import type { UiState } from "./state.ts";
import { describeNotSure, formatLevelDb, LEVEL_FRAME_S, liveWindows, NOT_SURE, rmsDb, SILENCE_DB } from "@ser/core";
import { LIVE_HOP_S } from "../live-cadence.ts";
/** Seconds of labels the timeline keeps. */
const TIMELINE_S = 30;
const TIMELINE_UPDATES = Math.round(TIMELINE_S / LIVE_HOP_S);
/** Seconds, as the hint and status say them ("3 s", "0.5 s"). */
const seconds = (s: number) => `${Number(s.toFixed(1))} s`;
/** One colour per emotion (Tableau 10), so the timeline reads at a glance; other labels take the last. */
const COLOURS: Record<string, string> = {
  neutral: "#79706e", calm: "#76b7b2", happy: "#edc948", sad: "#4e79a7", angry: "#e15759",
  fearful: "#b07aa1", disgust: "#59a14f", surprised: "#f28e2b", boredom: "#9c755f",
};

export function setupLive(ui: UiState, api: Remote<ModelApi>) {
  const startBtn = $<HTMLButtonElement>("live-start");
  const stopBtn = $<HTMLButtonElement>("live-stop");
  const status = $("live-status");
  const meter = $<HTMLMeterElement>("live-level");
  const bars = $("live-bars");
  const big = $("live-label");
  const detail = $("live-confidence");
  const timeline = $("live-timeline");
  // What the hint promises is derived from the constants that do it.
  const windows = liveWindows(LIVE_HOP_S);
  $("live-hint").textContent = `The label is the average of the last ${seconds(windows.smoothWindows * LIVE_HOP_S)}; a new one shows once it has led for ${seconds(windows.holdUpdates * LIVE_HOP_S)}. "Not sure" when even the average is under an eighth of the way from chance to certainty (${describeNotSure(4)} emotions, ${describeNotSure(9)}), or while a new emotion leads but has not yet led for ${seconds(windows.holdUpdates * LIVE_HOP_S)}; "silence" when even the loudest ${LEVEL_FRAME_S * 1000} ms is below ${String(SILENCE_DB).replace("-", "−")} dB. The first seconds are normalised with what other speakers sound like on average; your own voice counts more the longer you talk.`;
  $("live-intro").textContent = `Speak into the microphone: the loaded model listens to the last clip-length of audio every ${seconds(LIVE_HOP_S)}. Audio stays in this page.`;
  $("live-timeline-title").textContent = `Last ${seconds(TIMELINE_S)}`;
  timeline.setAttribute("aria-label", `labels of the last ${TIMELINE_S} seconds, newest last`);
  // As many slots as the timeline keeps (the stylesheet divides the width by --n).
  timeline.style.setProperty("--n", String(TIMELINE_UPDATES));
  timeline.dataset.capacity = String(TIMELINE_UPDATES);
  /** Shows one update: the big label (a live region, so it is rewritten only when it changes), its confidence and a step on the timeline. */
  const show = (state: "emotion" | "not-sure" | "silence", label: string, confidence?: number, guess?: string) => {
    if (big.dataset.label !== label || big.dataset.state !== state) {
      big.dataset.state = state;
      big.dataset.label = label;
      big.textContent = label;
    }
    detail.textContent = confidence === undefined ? "" : guess ? `best guess ${guess}, ${pct(confidence)}` : pct(confidence);
    const step = document.createElement("li");
    step.dataset.state = state;
    step.dataset.label = label;
    step.title = confidence === undefined ? label : `${guess ? `not sure (${guess})` : label} ${pct(confidence)}`;
    if (state === "emotion") {
      step.style.setProperty("--c", COLOURS[label] ?? "#bab0ac");
      step.style.setProperty("--o", String(0.35 + 0.65 * Math.min(1, confidence ?? 1)));
    }
    timeline.append(step);
    while (timeline.children.length > TIMELINE_UPDATES) timeline.firstElementChild!.remove();
  };
  /** The timeline's colours, named: every emotion of the model, then "not sure" and "silence". */
  const legend = (labels: readonly string[]) => {
    const host = $("live-legend");
    host.replaceChildren(...[...labels.map((l) => [l, COLOURS[l] ?? "#bab0ac"]), ["not sure", "#d0d4da"], ["silence", "#f1f3f5"]].map(([l, c]) => {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = c!;
      swatch.setAttribute("aria-hidden", "true");
      li.append(swatch, ` ${l}`);
      return li;
    }));
  };
  let capture: Capture | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let busy = false;
  let updates = 0;
  ui.store.subscribe("meta", (meta) => {
    if (!meta) return;
    startBtn.disabled = false;
    legend(meta.labels);
    status.textContent = `Ready: ${meta.labels.length} emotions, ${meta.frontend.durationS} s windows.`;
  });
  const stop = async () => {
    clearInterval(timer);
    await capture?.stop();
    capture = undefined;
    startBtn.disabled = !ui.store.get("meta");
    stopBtn.disabled = true;
  };
  stopBtn.addEventListener("click", async () => {
    await stop();
    status.textContent = "Stopped.";
  });
  startBtn.addEventListener("click", async () => {
    const meta = ui.store.get("meta");
    if (!meta) return;
    startBtn.disabled = true;
    try {
      // The emotions chosen in Predict narrow the live answer too.
      const emotions = ui.store.get("emotions");
      const chosen = emotions.length > 0 && emotions.length < meta.labels.length ? emotions : undefined;
      await api.liveReset(chosen);
      legend(chosen ?? meta.labels);
      let ring: ReturnType<typeof createRing> | undefined;
      capture = await startCapture((block) => {
        ring?.push(block);
        const db = rmsDb(block);
        meter.value = Math.max(-60, db);
        // The loudest block so far: the meter itself shows only the latest one.
        if (!(db <= Number(meter.dataset.peak ?? -Infinity))) meter.dataset.peak = db.toFixed(1);
      });
      const rate = capture.sampleRateHz;
      ring = createRing(Math.ceil(meta.frontend.durationS * rate));
      stopBtn.disabled = false;
      // The level this session's choice gives, as core's session computes it.
      status.textContent = `Listening at ${rate} Hz… ("not sure" below ${describeNotSure((chosen ?? meta.labels).length)} emotions)`;
      updates = 0;
      timeline.replaceChildren();
      timer = setInterval(async () => {
        // The first window waits for one hop of audio.
        if (busy || !ring || ring.total < LIVE_HOP_S * rate) return;
        const window = ring.latest(Math.ceil(meta.frontend.durationS * rate));
        busy = true;
        try {
          const t0 = performance.now();
          // Every window goes to core's live session, which decides what is silence (as `ser predict --timeline`).
          const p = await api.predictLive(transfer(window, [window.buffer]), rate);
          // Stopped while the window was in the worker: nothing more is shown.
          if (!capture) return;
          if (p.kind === "silence") {
            status.textContent = `Listening… (silence, ${formatLevelDb(p.levelDb)})`;
            show("silence", "silence");
            // The bars are the last speech's: dimmed, so they do not read as what is heard now.
            bars.classList.add("dimmed");
            return;
          }
          // The window's round trip (features, model, transfer): it must stay well inside the cadence.
          const ms = performance.now() - t0;
          bars.dataset.latencyMs = ms.toFixed(1);
          // The last few windows averaged: one label for a stretch of speech, not one per half second.
          const s = p.smoothed;
          bars.classList.remove("dimmed");
          renderBars(bars, s.probabilities, false, s.notSure ? undefined : s.label);
          bars.dataset.updates = String(++updates);
          bars.dataset.probabilities = JSON.stringify(s.probabilities);
          if (s.notSure) show("not-sure", NOT_SURE, s.confidence, s.label);
          else show("emotion", s.label, s.confidence);
          status.textContent = `${s.notSure ? `not sure (best guess ${s.label}, ${pct(s.confidence)})` : `${s.label} (${pct(s.confidence)})`} over the last ${seconds(s.windows * LIVE_HOP_S)}${p.stillLearning ? "; still learning your voice" : ""} · ${ms.toFixed(0)} ms per window`;
        } catch (e) {
          status.textContent = (e as Error).message;
          status.className = "error";
          await stop();
        } finally {
          busy = false;
        }
      }, LIVE_HOP_S * 1000);
    } catch (e) {
      status.textContent = `Microphone unavailable: ${(e as Error).message}`;
      status.className = "error";
      await stop();
    }
  });
}
