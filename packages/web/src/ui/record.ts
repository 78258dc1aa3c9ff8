/** The Record section: records labelled 3 s clips with RAVDESS-style names, to download or add to the data. */
import { zipSync } from "fflate";
import { EMOTIONS, type Emotion, encodeWav, isEmotion, labelName, ravdessName, rmsDb } from "@ser/core";
import { type Capture, startCapture } from "../capture.ts";
import { $ } from "./dom.ts";
import { saveBytes } from "./files.ts";
import type { UiState } from "./state.ts";

interface Recording {
  path: string;
  bytes: Uint8Array;
  emotion: Emotion;
  actor: number;
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
  // Classes of the user's own: added to the choice, renamed (their recordings follow) or removed.
  const select = $<HTMLSelectElement>("rec-emotion");
  const className = $<HTMLInputElement>("rec-class");
  const pathOf = (label: Emotion, actor: number, take: number) => `recorded/${label}/Actor_${actor}_take${take}.wav`;
  /** The speaker pattern that finds the speaker in pathOf's names. */
  const OWN_SPEAKER_PATTERN = String.raw`Actor_(\d+)_take`;
  const classError = (text: string) => {
    status.textContent = text;
    status.className = "error";
  };
  const newName = (): Emotion | undefined => {
    const name = labelName(className.value);
    if (!name) return void classError(`'${className.value}' is not a usable class name (letters, digits, spaces, - or _).`);
    if ([...select.options].some((o) => o.value === name)) return void classError(`there is a class '${name}' already.`);
    status.className = "";
    return name;
  };
  $("rec-class-add").addEventListener("click", () => {
    const name = newName();
    if (!name) return;
    select.append(new Option(name, name, true, true));
    className.value = "";
  });
  $("rec-class-rename").addEventListener("click", () => {
    const from = select.value;
    if (isEmotion(from)) return classError(`'${from}' is one of the eight emotions; only your own classes can be renamed.`);
    const to = newName();
    if (!to) return;
    const option = select.selectedOptions[0]!;
    option.value = option.textContent = to;
    for (const r of recordings.filter((r) => r.emotion === from)) {
      r.emotion = to;
      r.path = r.path.replace(`recorded/${from}/`, `recorded/${to}/`);
    }
    className.value = "";
    render();
  });
  $("rec-class-remove").addEventListener("click", () => {
    const label = select.value;
    if (isEmotion(label)) return classError(`'${label}' is one of the eight emotions; only your own classes can be removed.`);
    const n = recordings.filter((r) => r.emotion === label).length;
    if (n > 0) return classError(`'${label}' has ${n} recording(s): delete them first.`);
    select.selectedOptions[0]!.remove();
    select.value = EMOTIONS[2];
  });
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
        meter.value = Math.max(-60, rmsDb(b));
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
      let path = "";
      if (isEmotion(emotion)) {
        // Statements alternate 1, 2 and repetitions count up per emotion, as in RAVDESS.
        const k = recordings.filter((r) => r.emotion === emotion && r.path.includes(`/Actor_${actor}/`)).length;
        for (let rep = Math.floor(k / 2) + 1; ; rep++) {
          path = `recorded/Actor_${actor}/${ravdessName({ emotion, actor, statement: (k % 2) + 1 as 1 | 2, repetition: rep })}`;
          if (!recordings.some((r) => r.path === path)) break;
        }
      } else {
        for (let take = 1; ; take++) {
          path = pathOf(emotion, actor, take);
          if (!recordings.some((r) => r.path === path)) break;
        }
      }
      const name = path.split("/").pop()!;
      recordings.push({ path, bytes: encodeWav(samples, rate), emotion, actor });
      status.textContent = `Kept ${name} (${(samples.length / rate).toFixed(1)} s at ${rate} Hz, level ${rmsDb(samples).toFixed(0)} dB).`;
      render();
    } catch (e) {
      status.textContent = `Recording failed: ${(e as Error).message}`;
      status.className = "error";
    } finally {
      await capture?.stop();
      startBtn.disabled = false;
    }
  });
  /**
   * The recordings as files: RAVDESS names while every class is one of the eight; with a class of
   * the user's own, all of them a folder per class, so one person is one speaker throughout.
   */
  const files = (): { path: string; bytes: Uint8Array }[] => {
    if (recordings.every((r) => isEmotion(r.emotion))) return recordings;
    const takes = new Map<string, number>();
    return recordings.map((r) => {
      const key = `${r.emotion}/${r.actor}`;
      takes.set(key, (takes.get(key) ?? 0) + 1);
      return { path: pathOf(r.emotion, r.actor, takes.get(key)!), bytes: r.bytes };
    });
  };
  download.addEventListener("click", () => {
    saveBytes(zipSync(Object.fromEntries(files().map((r) => [r.path, r.bytes])), { level: 0 }), "ser-recordings.zip");
  });
  use.addEventListener("click", () => {
    // Own classes are folder-per-label: the speaker pattern that finds the speaker in their names.
    const speaker = $<HTMLInputElement>("label-speaker");
    if (recordings.some((r) => !isEmotion(r.emotion)) && speaker.value.trim() === "") speaker.value = OWN_SPEAKER_PATTERN;
    const own = files().map((r) => ({ path: r.path, file: new File([r.bytes as BlobPart], r.path.split("/").pop()!, { type: "audio/wav" }) }));
    // Recordings join whatever was read before; reading again keeps one corpus.
    const others = ui.store.get("datasetInputs").filter((i) => !i.path.startsWith("recorded/"));
    void ui.actions.readInputs([...others, ...own]);
  });
}
