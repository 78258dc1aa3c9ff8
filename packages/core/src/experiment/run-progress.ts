/**
 * One progress model for a training run, read the same way by the page and the CLI: the phases
 * in order (features n/N → first model epoch e/E → retrained model e/E, or features → model),
 * each with its own count, and one estimate of the time left for the whole run.
 *
 * Fed from core's callbacks: the corpus loader's per-recording count, runExperiment's onFit
 * (which fit starts, for at most how many epochs, on how many clips) and fit's onProgress and
 * onEpoch. The retrained model's epochs are decided by the first one, so until then its time is
 * estimated from the first model's epoch time, scaled by how many more clips it learns from, at
 * the first model's epoch budget (an upper bound when early stopping ends the first one sooner).
 */
import type { EpochLog, TrainProgress } from "../train/fit.ts";

/** A fit runExperiment starts: the first model (then retrained), the retrained one, or the only one. */
export interface FitStart {
  name: "first" | "refit" | "only";
  /** Epochs at most (early stopping may end the first model sooner). */
  epochs: number;
  /** Training clips of this fit. */
  clips: number;
  /** With "first": the clips the retrained model will learn from (validation speakers' too). */
  refitClips?: number;
  /** Epochs already done before this process started (a resumed run): not timed here. */
  startEpoch?: number;
}

export type RunPhaseName = "features" | "first" | "refit" | "only";

export interface RunPhase {
  name: RunPhaseName;
  /** What the phase is called on screen. */
  label: string;
  unit: "recordings" | "epochs";
  done: number;
  /** Undefined while not known (the retrained model's epochs, before the first model decides them). */
  total?: number;
  state: "waiting" | "running" | "done";
  seconds: number;
  /** Epochs done before this process started (a resumed fit). */
  startEpoch?: number;
}

export interface RunProgressView {
  phases: RunPhase[];
  /** The phase running now. */
  current: RunPhaseName;
  /**
   * Seconds left for the whole run once training has started; undefined before (while features
   * are computed the training's length is not known) or until there is a rate to go by.
   */
  etaS?: number;
  /** Seconds left for the phase running now, when there is a rate to go by. */
  phaseEtaS?: number;
  /** How the run ended; undefined while it runs. */
  outcome?: RunOutcome;
}

export type RunOutcome = "done" | "stopped" | "failed";

export interface RunProgress {
  /** Recordings with features so far, of `total` when known. */
  features(done: number, total?: number): void;
  /** From runExperiment's onFit. */
  fit(start: FitStart): void;
  /** From fit's onProgress (within an epoch). */
  batch(p: TrainProgress): void;
  /** From fit's onEpoch. */
  epoch(log: EpochLog): void;
  /**
   * The run ended: "done" (every phase finished), "stopped" (the user stopped it: phases that
   * never started are dropped) or "failed" (an error: the running phase stays unfinished).
   */
  finish(outcome: RunOutcome): void;
  view(): RunProgressView;
}

const LABELS: Record<RunPhaseName, string> = { features: "features", first: "first model", refit: "retrained model", only: "model" };

/** Seconds as a person reads them: "45 s", "3 min 05 s". */
export function formatSeconds(s: number): string {
  const r = Math.max(0, Math.round(s));
  return r >= 90 ? `${Math.floor(r / 60)} min ${String(r % 60).padStart(2, "0")} s` : `${r} s`;
}

/** `nowMs` is the caller's clock (performance.now in the page and the CLI; a fake in tests). */
export function createRunProgress(nowMs: () => number): RunProgress {
  const phases: RunPhase[] = [{ name: "features", label: LABELS.features, unit: "recordings", done: 0, state: "waiting", seconds: 0 }];
  let startedMs: number | undefined;
  let phaseStartMs = 0;
  let batchFraction = 0;
  let refitScale = 1;
  let outcome: RunOutcome | undefined;
  const current = () => phases.find((p) => p.state === "running") ?? phases[phases.length - 1]!;
  const enter = (p: RunPhase) => {
    const now = nowMs();
    startedMs ??= now;
    for (const q of phases) {
      if (q.state === "running") {
        q.state = "done";
        // Recordings skipped on the way (unreadable, unlabelled) leave the count where it ended.
        if (q.unit === "recordings") q.total = q.done;
      }
    }
    p.state = "running";
    phaseStartMs = now;
    batchFraction = 0;
  };
  const tick = () => {
    const c = current();
    if (c.state === "running") c.seconds = (nowMs() - phaseStartMs) / 1000;
  };
  /** Seconds per epoch of the running fit, from the epochs this process ran and the batch fraction of the next. */
  const epochSeconds = (p: RunPhase) => {
    const progressed = p.done - (p.startEpoch ?? 0) + batchFraction;
    return progressed > 0 ? p.seconds / progressed : undefined;
  };
  /** [the running phase's time left, the whole run's] (the latter only once training runs). */
  const eta = (): [number | undefined, number | undefined] => {
    if (outcome) return [0, 0];
    const c = current();
    if (c.name === "features") {
      if (c.total === undefined || c.done === 0) return [undefined, undefined];
      return [(c.seconds / c.done) * Math.max(0, c.total - c.done), undefined];
    }
    const perEpoch = epochSeconds(c);
    if (perEpoch === undefined || c.total === undefined) return [undefined, undefined];
    const phase = perEpoch * Math.max(0, c.total - c.done - batchFraction);
    const refit = phases.find((p) => p.name === "refit");
    return [phase, c.name === "first" && refit ? phase + perEpoch * refitScale * (refit.total ?? c.total) : phase];
  };
  return {
    features(done, total) {
      const f = phases[0]!;
      if (f.state === "waiting") enter(f);
      f.done = done;
      if (total !== undefined) f.total = total;
      tick();
    },
    fit(start) {
      let p = phases.find((q) => q.name === start.name);
      if (!p) {
        p = { name: start.name, label: LABELS[start.name], unit: "epochs", done: 0, state: "waiting", seconds: 0 };
        phases.push(p);
      }
      p.total = start.epochs;
      p.done = start.startEpoch ?? 0;
      p.startEpoch = start.startEpoch;
      if (start.name === "first" && !phases.some((q) => q.name === "refit")) {
        refitScale = start.refitClips !== undefined ? start.refitClips / Math.max(1, start.clips) : 1;
        phases.push({ name: "refit", label: LABELS.refit, unit: "epochs", done: 0, state: "waiting", seconds: 0 });
      }
      enter(p);
    },
    batch(b) {
      batchFraction = b.batches > 0 ? Math.min(1, b.batch / b.batches) : 0;
      tick();
    },
    epoch(log) {
      const c = current();
      c.done = Math.max(c.done, log.epoch);
      batchFraction = 0;
      tick();
    },
    finish(how) {
      tick();
      if (how === "done") for (const p of phases) p.state = "done";
      if (how === "stopped") {
        for (let i = phases.length - 1; i >= 0; i--) if (phases[i]!.state === "waiting") phases.splice(i, 1);
        for (const p of phases) if (p.state === "running") p.state = "done";
      }
      outcome = how;
    },
    view() {
      tick();
      const [phaseEtaS, etaS] = eta();
      return { phases: phases.map((p) => ({ ...p })), current: current().name, etaS, phaseEtaS, outcome };
    },
  };
}

/** A view as one line, for a terminal or a status bar: each phase's count, then the time left or how the run ended. */
export function formatRunLine(v: RunProgressView): string {
  const parts = v.phases.map((p) => {
    const count = p.unit === "recordings" ? `${p.done}${p.total !== undefined ? `/${p.total}` : ""}` : `${p.state === "waiting" ? "–" : p.done}/${p.total ?? "?"}`;
    return `${p.label} ${count}${p.state === "done" ? " ✓" : ""}`;
  });
  const label = v.phases.find((p) => p.name === v.current)!.label;
  const left = v.outcome ?? (v.etaS !== undefined ? `about ${formatSeconds(v.etaS)} left` : v.phaseEtaS !== undefined ? `${label}: about ${formatSeconds(v.phaseEtaS)} left` : "estimating the time left");
  return `${parts.join(" · ")} · ${left}`;
}
