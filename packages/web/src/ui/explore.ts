/** The Explore section: the read recordings, filtered by dataset, emotion and speaker, each playable. */
import type { Remote } from "comlink";
import type { DataApi } from "../workers/data.worker.ts";
import { showClip } from "./clip.ts";
import { $, cell, clipCell } from "./dom.ts";
import type { UiState } from "./state.ts";

type Row = Awaited<ReturnType<DataApi["list"]>>[number];

export function setupExplore(ui: UiState, api: Remote<DataApi>) {
  let rows: Row[] = [];
  const selects = ["dataset", "emotion", "speaker"].map((k) => [k, $<HTMLSelectElement>(`filter-${k}`)] as const);
  const render = () => {
    const want = Object.fromEntries(selects.map(([k, el]) => [k, el.value]));
    const shown = rows.filter((r) => (!want.dataset || r.dataset === want.dataset) && (!want.emotion || r.emotion === want.emotion) && (!want.speaker || r.speaker === want.speaker));
    $("explore-count").textContent = `${shown.length} of ${rows.length} recordings${shown.length > 300 ? " (first 300 listed)" : ""}`;
    $("explore-table").querySelector("tbody")!.replaceChildren(...shown.slice(0, 300).map((r) => {
      const tr = document.createElement("tr");
      tr.append(clipCell(r.path, () => void showClip(api, r.path)), cell(r.emotion), cell(`${r.speaker} (${r.gender})`), cell(r.durationS.toFixed(2)));
      return tr;
    }));
  };
  for (const [, el] of selects) el.addEventListener("change", render);
  // A new read: list what the data worker now holds (the data view waits for this).
  ui.store.subscribe("summary", async () => {
    rows = await api.list();
    for (const [k, el] of selects) {
      const values = [...new Set(rows.map((r) => r[k as "dataset"]))].sort();
      el.replaceChildren(new Option("all", ""), ...values.map((v) => new Option(v, v)));
    }
    render();
  });
}
