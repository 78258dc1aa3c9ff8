/**
 * The guided flow: five steps as tabs (WAI-ARIA tabs pattern: arrow keys move between them, one
 * tab stop), one panel shown at a time. The step lives in the store, so a view moves the user on
 * by setting it (training done → Results); the address's #hash names it, so a step can be linked
 * and the back button is not a surprise.
 */
import { $ } from "./dom.ts";
import { type Step, STEPS, type UiState } from "./state.ts";

const isStep = (s: string): s is Step => (STEPS as readonly string[]).includes(s);

export function setupSteps(ui: UiState) {
  const tabs = STEPS.map((s) => $<HTMLButtonElement>(`step-${s}`));
  const show = (step: Step) => {
    STEPS.forEach((s, i) => {
      const on = s === step;
      tabs[i]!.setAttribute("aria-selected", String(on));
      tabs[i]!.tabIndex = on ? 0 : -1;
      $(`panel-${s}`).hidden = !on;
    });
    document.body.dataset.step = step;
    // A button that moved the user on (Next, training done, Use the best) is now hidden: keep
    // keyboard and screen-reader users in place by moving focus to the step's tab.
    const focused = document.activeElement;
    if (focused instanceof HTMLElement && focused !== document.body && focused.closest("[role=tabpanel][hidden]")) tabs[STEPS.indexOf(step)]!.focus();
    if (location.hash !== `#${step}`) history.replaceState(null, "", `#${step}`);
  };
  ui.store.subscribe("step", show);
  const go = (step: Step, focus = false) => {
    void ui.store.set("step", step);
    if (focus) tabs[STEPS.indexOf(step)]!.focus();
    else scrollTo({ top: 0 });
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => go(STEPS[i]!, true));
    tab.addEventListener("keydown", (e) => {
      const j = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: STEPS.length - 1 }[e.key];
      if (j === undefined) return;
      e.preventDefault();
      go(STEPS[(j + STEPS.length) % STEPS.length]!, true);
    });
  });
  for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-go]")) {
    b.addEventListener("click", () => isStep(b.dataset.go!) && go(b.dataset.go));
  }
  addEventListener("hashchange", () => {
    const h = location.hash.slice(1);
    if (isStep(h) && h !== ui.store.get("step")) void ui.store.set("step", h);
  });
  // The store's listeners run synchronously: this shows the step the address names, or Data.
  const initial = location.hash.slice(1);
  void ui.store.set("step", isStep(initial) ? initial : "data");
}
