/**
 * What the page's views share, and the only way they talk to each other: a few typed values
 * with per-key subscriptions, and the two requests one view serves for another.
 */
import type { CorpusSummary, LabellingInput } from "@ser/core";
import type { BundleMeta, TrialResult } from "@ser/core/ml";
import type { InputFile } from "../workers/data.worker.ts";

/** The page's steps, in order: the tabs at the top (ui/steps.ts). */
export const STEPS = ["data", "train", "results", "search", "use"] as const;
export type Step = (typeof STEPS)[number];

export interface State {
  /** The step shown. */
  step: Step;
  /** The trainer worker's job, if one runs: training and the search share the worker, one at a time. */
  job: "train" | "search" | undefined;
  /** The summary of the dataset files last read in the Data section. */
  summary: CorpusSummary | undefined;
  /** Those files if any was usable, else none: what Train and the search train on. */
  datasetInputs: InputFile[];
  /** How those files were labelled (folder per label, speaker pattern, manifest): training reads them the same way. */
  labelling: LabellingInput;
  /** The emotions the loaded model chooses among in Predict and Live (Predict's checkboxes); all of its labels by default. */
  emotions: string[];
  /** The bundle loaded in the model worker, if any. */
  meta: BundleMeta | undefined;
  /** The search's trial that "Use the best" put in the Train form (the form has no field for its dropout). */
  tuned: TrialResult | undefined;
}

export interface Actions {
  /** Reads inputs into the Data section (served by the data view; the recorder uses it). */
  readInputs(inputs: InputFile[]): Promise<void>;
  /** Loads bundle bytes into the model worker (served by the model view; also used after training). */
  loadModel(zip: Uint8Array, source: string): Promise<void>;
}

type Listener<T> = (value: T) => void | Promise<void>;

export interface Store<S> {
  get<K extends keyof S>(key: K): S[K];
  /**
   * Sets `key` and calls its listeners, in the order they subscribed, before returning; the
   * promise settles when the ones that returned a promise have (and rejects if one fails).
   */
  set<K extends keyof S>(key: K, value: S[K]): Promise<void>;
  /** Calls `listener` on every later set of `key`; returns the unsubscribe. */
  subscribe<K extends keyof S>(key: K, listener: Listener<S[K]>): () => void;
}

export function createStore<S extends object>(initial: S): Store<S> {
  const values = { ...initial };
  const listeners = new Map<keyof S, Set<Listener<never>>>();
  return {
    get: (key) => values[key],
    set(key, value) {
      values[key] = value;
      const pending: Promise<void>[] = [];
      for (const listener of [...(listeners.get(key) ?? [])] as Listener<typeof value>[]) {
        try {
          const r = listener(value);
          if (r) pending.push(r);
        } catch (e) {
          pending.push(Promise.reject(e));
        }
      }
      return Promise.all(pending).then(() => {});
    },
    subscribe(key, listener) {
      let set = listeners.get(key);
      if (!set) listeners.set(key, (set = new Set()));
      set.add(listener as Listener<never>);
      return () => void set.delete(listener as Listener<never>);
    },
  };
}

/** The views' shared state and requests; views serve their requests by assigning them at setup. */
export interface UiState {
  readonly store: Store<State>;
  readonly actions: Actions;
}

export function createUiState(): UiState {
  return {
    store: createStore<State>({ step: "data", job: undefined, summary: undefined, datasetInputs: [], labelling: {}, emotions: [], meta: undefined, tuned: undefined }),
    // Until their views are set up, the requests do nothing (as before the split).
    actions: { readInputs: async () => {}, loadModel: async () => {} },
  };
}

/**
 * Whether a trainer job (training or the search) may start now: there is data, and the trainer
 * worker is free. Keeps `button` enabled exactly then; the check is returned for its click handler.
 */
export function bindJobStart(ui: UiState, button: HTMLButtonElement): () => boolean {
  const canStart = () => ui.store.get("datasetInputs").length > 0 && ui.store.get("job") === undefined;
  const update = () => {
    button.disabled = !canStart();
  };
  ui.store.subscribe("job", update);
  ui.store.subscribe("datasetInputs", update);
  return canStart;
}
