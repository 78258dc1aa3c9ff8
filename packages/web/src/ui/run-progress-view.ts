/**
 * Core's run progress (run-progress.ts) on the page: one row per phase (features, first model,
 * retrained model) with its own bar and count, and one line with the time left for the whole run.
 */
import { formatSeconds, type RunProgressView } from "@ser/core";

export function renderRunProgress(host: HTMLElement, v: RunProgressView) {
  host.hidden = false;
  host.dataset.phases = JSON.stringify(v.phases.map((p) => [p.name, p.done, p.total ?? null, p.state]));
  const rows = v.phases.map((p) => {
    const row = document.createElement("div");
    row.className = `phase ${p.state}`;
    const name = document.createElement("span");
    name.textContent = p.label;
    const bar = document.createElement("progress");
    bar.setAttribute("aria-label", `${p.label} progress`);
    if (p.total !== undefined && p.total > 0) {
      bar.max = p.total;
      bar.value = Math.min(p.done, p.total);
    } else if (p.state === "done") {
      bar.max = 1;
      bar.value = 1;
    } else if (p.state === "waiting") {
      bar.max = 1;
      bar.value = 0;
    } // running with no total: indeterminate
    const count = document.createElement("span");
    const unit = p.unit;
    count.textContent = p.state === "waiting" ? (p.total === undefined ? "decided by the first model" : `${p.total} ${unit}`) : `${p.done}${p.total !== undefined ? ` / ${p.total}` : ""} ${unit}${p.state === "done" ? ` ✓ ${formatSeconds(p.seconds)}` : ""}`;
    row.append(name, bar, count);
    return row;
  });
  const eta = document.createElement("p");
  eta.className = "eta";
  const ended = { done: "Done.", stopped: "Stopped: the model keeps the best weights so far.", failed: "Failed (see the message above)." };
  eta.textContent = v.outcome
    ? ended[v.outcome]
    : v.etaS !== undefined
    ? `About ${formatSeconds(v.etaS)} left for the whole run.`
    : v.phaseEtaS !== undefined
    ? `Features: about ${formatSeconds(v.phaseEtaS)} left; the training's time follows.`
    : "Estimating the time left…";
  host.replaceChildren(...rows, eta);
}
