/** The Record section: records labelled 3 s clips with RAVDESS-style names, to download or add to the data. */
import { zipSync } from "fflate";
import { type Emotion, encodeWav, ravdessName } from "@ser/core";
import { type Capture, levelDb, startCapture } from "../capture.ts";
import { $ } from "./dom.ts";
import { saveBytes } from "./files.ts";
import type { UiState } from "./state.ts";

interface Recording {
  path: string;
  bytes: Uint8Array;
  emotion: Emotion;
}

export function setupRecord(ui: UiState) {
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
    const others = ui.store.get("datasetInputs").filter((i) => !i.path.startsWith("recorded/"));
    void ui.actions.readInputs([...others, ...own]);
  });
}
