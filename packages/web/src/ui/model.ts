/** The Model section: loads a bundle into the model worker, keeps bundles in this browser, exports. */
import { type Remote, transfer } from "comlink";
import type { BundleMeta } from "@ser/core/ml";
import { deleteBundle, listBundles, saveBundle as storeBundle } from "../bundle-store.ts";
import type { ModelApi } from "../workers/model.worker.ts";
import { $, line } from "./dom.ts";
import { readFile, saveBytes } from "./files.ts";
import { pct } from "./format.ts";
import type { UiState } from "./state.ts";
// The project's built-in bundle (models/README.md: what it was trained on, its scores, its licence),
// served by this page, and the figures its build measured (scripts/build-default-model.sh).
import builtinModelUrl from "../../../../models/default.zip?url";
import builtin from "../../../../models/default.json";

export function setupModel(ui: UiState, api: Remote<ModelApi>) {
  const bundleInput = $<HTMLInputElement>("bundle-input");
  const info = $("model-info");
  const download = $<HTMLButtonElement>("download");
  const saveLocal = $<HTMLButtonElement>("save-local");
  let current: { zip: Uint8Array; meta: BundleMeta } | undefined;
  /** Loads zip bytes into the model worker (a copy is kept here for saving). */
  const loadModel = async (zip: Uint8Array, source: string) => {
    info.textContent = `Loading ${source}…`;
    info.className = "";
    delete info.dataset.loaded;
    try {
      const copy = zip.slice();
      const meta = await api.loadBundle(transfer(zip, [zip.buffer as ArrayBuffer]));
      current = { zip: copy, meta };
      void ui.store.set("meta", meta);
      const ev = meta.evaluation;
      info.replaceChildren(
        line(`${source}: ${meta.model.name}, ${meta.model.parameters.toLocaleString()} parameters, ${meta.frontend.kind} features at ${meta.frontend.sampleRateHz} Hz`),
        line(`Emotions: ${meta.labels.join(", ")}`),
        line(ev
          ? `Test report: accuracy ${pct(ev.accuracy)}, UAR ${pct(ev.uar)} on ${ev.n} recordings. ${meta.protocol}`
          : meta.dataset.testSpeakers?.length === 0 && meta.dataset.trainSpeakers?.length
          ? `Trained on all ${meta.dataset.trainSpeakers.length} speakers it was given, so no speaker was left to test it on: its accuracy is the same recipe's cross-validation.`
          : "No test report in this bundle."),
      );
      info.dataset.loaded = "true";
      download.disabled = false;
      saveLocal.disabled = false;
    } catch (e) {
      info.textContent = (e as Error).message;
      info.className = "error";
    }
  };
  ui.actions.loadModel = loadModel;
  const out = Object.entries(builtin.corporaOut);
  $("builtin-about").textContent = `No model yet? The built-in one works at once: BYOL-S features and a small classifier trained on every speaker of three acted corpora (English RAVDESS, German EmoDB, Polish nEMO). Trained the same way without one corpus and tested on it, one clip at a time, it was right ${out.map(([d, c]) => `${pct(c.uar)} on ${d} (chance ${pct(1 / c.classes)})`).join(", ")} (UAR, each corpus's own emotions); your own voice and microphone will differ. Derived from RAVDESS and nEMO, so it is for non-commercial use (CC BY-NC-SA 4.0).`;
  const loadBuiltin = async () => {
    try {
      const response = await fetch(builtinModelUrl);
      if (!response.ok) throw new Error(`the built-in model could not be fetched (${response.status} ${response.statusText}).`);
      await loadModel(new Uint8Array(await response.arrayBuffer()), "built-in model (RAVDESS + EmoDB + nEMO, CC BY-NC-SA 4.0)");
    } catch (e) {
      info.textContent = (e as Error).message;
      info.className = "error";
    }
  };
  $<HTMLButtonElement>("builtin-model").addEventListener("click", loadBuiltin);
  // "Try it now" on the first screen: one click to the built-in model's live label or file picker.
  const tryNow = async (then: () => void) => {
    await ui.store.set("step", "use");
    if (!ui.store.get("meta")) await loadBuiltin();
    if (ui.store.get("meta")) then();
  };
  $<HTMLButtonElement>("try-live").addEventListener("click", () => tryNow(() => $<HTMLButtonElement>("live-start").click()));
  $<HTMLButtonElement>("try-predict").addEventListener("click", () => tryNow(() => {
    const input = $<HTMLInputElement>("wav-input");
    input.scrollIntoView({ block: "center" });
    input.focus();
  }));
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
  saveLocal.addEventListener("click", async () => {
    if (!current) return;
    const name = `${current.meta.model.name} ${new Date().toISOString().slice(0, 19).replace("T", " ")}`;
    await storeBundle({ name, description: describe(current.meta), savedAt: new Date().toISOString(), zip: current.zip });
    await refresh();
  });
  void refresh();

  download.addEventListener("click", async () => saveBytes(await api.exportBundle(), "ser-model.zip"));
}

/** A saved bundle's one-line description. */
function describe(meta: BundleMeta) {
  const ev = meta.evaluation;
  return `${meta.model.name} on ${meta.frontend.kind}, ${meta.labels.length} emotions${ev ? `, UAR ${pct(ev.uar)} on ${ev.n} test recordings` : ""}`;
}
