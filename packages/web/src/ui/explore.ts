/**
 * The Explore section: the read recordings, filtered by dataset, emotion and speaker, sorted by
 * any column (click its header), 100 to a page; each plays in the clip viewer.
 */
import type { Remote } from "comlink";
import type { DataApi } from "../workers/data.worker.ts";
import { showClip } from "./clip.ts";
import { $, cell, clipCell } from "./dom.ts";
import type { UiState } from "./state.ts";

type Row = Awaited<ReturnType<DataApi["list"]>>[number];
type SortKey = "path" | "emotion" | "speaker" | "durationS";

/** Rows per page: a whole RAVDESS actor (60 clips) fits on one. */
const PAGE_ROWS = 100;

export function setupExplore(ui: UiState, api: Remote<DataApi>) {
  let rows: Row[] = [];
  let sort: { key: SortKey; descending: boolean } = { key: "path", descending: false };
  let page = 0;
  const selects = ["dataset", "emotion", "speaker"].map((k) => [k, $<HTMLSelectElement>(`filter-${k}`)] as const);
  const table = $<HTMLTableElement>("explore-table");
  const prev = $<HTMLButtonElement>("explore-prev");
  const next = $<HTMLButtonElement>("explore-next");
  const headers = [...table.tHead!.querySelectorAll<HTMLButtonElement>("button[data-sort]")];
  const render = () => {
    const want = Object.fromEntries(selects.map(([k, el]) => [k, el.value]));
    const shown = rows.filter((r) => (!want.dataset || r.dataset === want.dataset) && (!want.emotion || r.emotion === want.emotion) && (!want.speaker || r.speaker === want.speaker));
    const sign = sort.descending ? -1 : 1;
    shown.sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      return sign * (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) || a.path.localeCompare(b.path);
    });
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_ROWS));
    page = Math.min(page, pages - 1);
    const from = page * PAGE_ROWS;
    const slice = shown.slice(from, from + PAGE_ROWS);
    $("explore-count").textContent = shown.length === 0
      ? `0 of ${rows.length} recordings`
      : `${from + 1}–${from + slice.length} of ${shown.length} recordings${shown.length < rows.length ? ` (${rows.length} read)` : ""}`;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    table.dataset.page = String(page + 1);
    table.dataset.pages = String(pages);
    for (const h of headers) {
      const th = h.parentElement!;
      if (h.dataset.sort === sort.key) th.setAttribute("aria-sort", sort.descending ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    }
    table.tBodies[0]!.replaceChildren(...slice.map((r) => {
      const tr = document.createElement("tr");
      tr.append(clipCell(r.path, () => void showClip(api, r.path)), cell(r.emotion), cell(`${r.speaker} (${r.gender})`), cell(r.durationS.toFixed(2)));
      return tr;
    }));
  };
  for (const [, el] of selects) {
    el.addEventListener("change", () => {
      page = 0;
      render();
    });
  }
  for (const h of headers) {
    h.addEventListener("click", () => {
      const key = h.dataset.sort as SortKey;
      sort = { key, descending: sort.key === key ? !sort.descending : false };
      page = 0;
      render();
    });
  }
  prev.addEventListener("click", () => {
    page--;
    render();
  });
  next.addEventListener("click", () => {
    page++;
    render();
  });
  // A new read: list what the data worker now holds (the data view waits for this).
  ui.store.subscribe("summary", async () => {
    rows = await api.list();
    page = 0;
    for (const [k, el] of selects) {
      const values = [...new Set(rows.map((r) => r[k as "dataset"]))].sort();
      el.replaceChildren(new Option("all", ""), ...values.map((v) => new Option(v, v)));
    }
    render();
  });
}
