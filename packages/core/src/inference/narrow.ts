/**
 * Narrowing: the model chooses among some of its emotions only ("angry, happy, neutral or
 * sad?"), its probabilities renormalised over them. This is how a user asks a smaller question,
 * and how cross-corpus results are reported (each clip among its corpus's emotions).
 */
import { ConfigError } from "../errors.ts";
import type { DatasetName } from "../data/corpus.ts";
import { CORPUS_EMOTIONS } from "../data/naming.ts";

/** 1 for each of `labels` among `emotions`. Throws naming any emotion the model does not know, or an empty choice. */
export function classMask(labels: readonly string[], emotions: readonly string[]): Uint8Array {
  const unknown = emotions.filter((e) => !labels.includes(e));
  if (unknown.length > 0) throw new ConfigError(`${unknown.map((e) => `'${e}'`).join(", ")} ${unknown.length === 1 ? "is" : "are"} not among the model's emotions (${labels.join(", ")}).`);
  const mask = Uint8Array.from(labels, (l) => (emotions.includes(l) ? 1 : 0));
  if (!mask.some(Boolean)) throw new ConfigError("the emotions to choose among are empty.");
  return mask;
}

/** Row `i` of [n × k] probabilities narrowed to `mask` in place: others 0, the rest summing to 1. */
export function narrowRow(probs: Float32Array, k: number, i: number, mask: Uint8Array): void {
  let sum = 0;
  for (let c = 0; c < k; c++) if (mask[c]) sum += probs[i * k + c]!;
  const allowed = mask.reduce((a, b) => a + b, 0);
  for (let c = 0; c < k; c++) {
    const at = i * k + c;
    // A row with no mass on the allowed classes (underflow) becomes uniform over them.
    probs[at] = mask[c] ? (sum > 0 ? probs[at]! / sum : 1 / allowed) : 0;
  }
}

/** Every row narrowed in place, each by its own mask (undefined: left as it is). */
export function narrowRows(probs: Float32Array, k: number, maskOf: (row: number) => Uint8Array | undefined): void {
  const n = probs.length / k;
  for (let i = 0; i < n; i++) {
    const m = maskOf(i);
    if (m) narrowRow(probs, k, i, m);
  }
}

/**
 * Each corpus's emotions as a mask over the model's labels, those the model knows: a built-in
 * corpus's whole label set (data/naming.ts CORPUS_EMOTIONS: a folder of its angry and sad clips
 * alone still chose among all of them, never a two-way choice), other corpora's the emotions
 * their recordings given here carry. A corpus whose emotions are all the model's classes gets
 * no mask (nothing to narrow).
 */
export function corpusMasks(items: readonly { dataset: string; emotion: string }[], labels: readonly string[]): Map<string, Uint8Array> {
  const emotions = new Map<string, Set<string>>();
  for (const it of items) {
    if (!emotions.has(it.dataset)) emotions.set(it.dataset, new Set(Object.hasOwn(CORPUS_EMOTIONS, it.dataset) ? CORPUS_EMOTIONS[it.dataset as DatasetName] : []));
    emotions.get(it.dataset)!.add(it.emotion);
  }
  const out = new Map<string, Uint8Array>();
  for (const [dataset, set] of emotions) {
    const mask = Uint8Array.from(labels, (l) => (set.has(l) ? 1 : 0));
    if (mask.some(Boolean) && mask.some((v) => !v)) out.set(dataset, mask);
  }
  return out;
}

/** What each scored clip chooses among, and the sentence a report says of it. */
export interface ScoringChoice {
  /** The mask for item i (undefined: all the model's classes). */
  maskOf: ((i: number) => Uint8Array | undefined) | undefined;
  /** Emotions item i chose among. */
  choices(i: number): number;
  /** "; each clip chose among its corpus's emotions (…)", or "" when nothing was narrowed. */
  text: string;
}

/**
 * The one scoring rule train, cv and evaluate share: with `emotions` every clip chooses among
 * those; otherwise each clip among its corpus's emotions (corpusMasks; `inventory` are the items
 * whose corpora define them, `items` those scored).
 */
export function scoringChoice(items: readonly { dataset: string }[], inventory: readonly { dataset: string; emotion: string }[], labels: readonly string[], emotions?: readonly string[]): ScoringChoice {
  const names = (m: Uint8Array) => labels.filter((_, c) => m[c]).join(", ");
  const count = (m: Uint8Array | undefined) => (m ? m.reduce((a, b) => a + b, 0) : labels.length);
  if (emotions) {
    const mask = classMask(labels, emotions);
    return { maskOf: () => mask, choices: () => count(mask), text: `; every clip chose among ${names(mask)}` };
  }
  const masks = corpusMasks(inventory, labels);
  const used = [...new Set(items.map((it) => it.dataset))].filter((d) => masks.has(d)).sort();
  return {
    maskOf: masks.size > 0 ? (i) => masks.get(items[i]!.dataset) : undefined,
    choices: (i) => count(masks.get(items[i]!.dataset)),
    text: used.length > 0 ? `; each clip chose among its corpus's emotions (${used.map((d) => `${d}: ${names(masks.get(d)!)}`).join("; ")})` : "",
  };
}
