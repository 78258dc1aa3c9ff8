/** The Live section: classifies the microphone's latest clip-length twice a second with the loaded bundle. */
import { type Remote, transfer } from "comlink";
import { type Capture, createRing, levelDb, startCapture } from "../capture.ts";
import type { ModelApi } from "../workers/model.worker.ts";
import { renderBars } from "./charts.ts";
import { $ } from "./dom.ts";
import { pct } from "./format.ts";
import type { UiState } from "./state.ts";

/** Below this level a window is treated as silence and not classified. */
const SILENCE_DB = -50;

export function setupLive(ui: UiState, api: Remote<ModelApi>) {
  const startBtn = $<HTMLButtonElement>("live-start");
  const stopBtn = $<HTMLButtonElement>("live-stop");
  const status = $("live-status");
  const meter = $<HTMLMeterElement>("live-level");
  const bars = $("live-bars");
  let capture: Capture | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let busy = false;
  let updates = 0;
  ui.store.subscribe("meta", (meta) => {
    if (!meta) return;
    startBtn.disabled = false;
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
          bars.dataset.label = "silence";
          return;
        }
        busy = true;
        try {
          const t0 = performance.now();
          const p = await api.predictLive(transfer(window, [window.buffer]), rate);
          // The window's round trip (features, model, transfer): it must stay well inside the 0.5 s cadence.
          const ms = performance.now() - t0;
          bars.dataset.latencyMs = ms.toFixed(1);
          // The last few windows averaged: one label for a stretch of speech, not one per half second.
          const s = p.smoothed;
          renderBars(bars, s.probabilities);
          bars.dataset.updates = String(++updates);
          bars.dataset.probabilities = JSON.stringify(s.probabilities);
          bars.dataset.label = s.notSure ? "not sure" : s.label;
          status.textContent = `${s.notSure ? `not sure (best guess ${s.label}, ${pct(s.confidence)})` : `${s.label} (${pct(s.confidence)})`} over the last ${s.windows * 0.5} s${p.historyWindows < 6 ? "; still learning your voice" : ""} · ${ms.toFixed(0)} ms per window`;
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
