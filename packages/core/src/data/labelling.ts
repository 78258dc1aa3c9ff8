/**
 * How a corpus's recordings get their labels and speakers, resolved once from what a caller
 * says (the CLI's --dataset/--emotions/--merge/--speaker-pattern/--manifest, the page's "your
 * own labels" choices) into the ingestor's options. Errors are ConfigErrors naming the field.
 */
import { ConfigError, SerError } from "../errors.ts";
import type { IngestOptions } from "./ingest.ts";
import { type LabelPolicy, parseEmotionList, parseMerge } from "./labels.ts";
import { parseManifest } from "./manifest.ts";
import { DATASET_CHOICES, type DatasetChoice } from "./naming.ts";

export interface LabellingInput {
  /** "auto" (built-in names, else folder per label when a folder names one of the eight), a built-in corpus, or "folders". */
  dataset?: string;
  /** Comma-separated emotions to keep ("angry,happy,neutral,sad"). */
  emotions?: string;
  /** Relabellings "calm=neutral" (several joined by commas). */
  merge?: string;
  /** Folder-per-label data: a regular expression whose first capture group on the path is the speaker. */
  speakerPattern?: string;
  /** A CSV manifest (path, emotion, speaker[, gender, dataset]) and the name it goes by. */
  manifest?: { text: string; source: string };
}

export type LabellingField = keyof LabellingInput;

/** A labelling input that cannot be used; `field` names which. */
export class LabellingError extends ConfigError {
  readonly field: LabellingField;
  constructor(field: LabellingField, message: string) {
    super(message);
    this.name = "LabellingError";
    this.field = field;
  }
}

/** The speaker pattern as a RegExp with at least one capture group. */
export function speakerPatternOf(text: string): RegExp {
  let re;
  try {
    re = new RegExp(text);
  } catch (e) {
    throw new LabellingError("speakerPattern", `'${text}' is not a regular expression: ${(e as Error).message}`);
  }
  if (new RegExp(`${re.source}|`).exec("")!.length < 2) throw new LabellingError("speakerPattern", `'${text}' has no capture group; the first group (…) is the speaker.`);
  return re;
}

export function resolveLabelling(input: LabellingInput = {}): IngestOptions {
  const dataset = (input.dataset?.trim() || "auto") as DatasetChoice;
  if (!DATASET_CHOICES.includes(dataset)) throw new LabellingError("dataset", `must be one of ${DATASET_CHOICES.join(", ")}, got '${input.dataset}'.`);
  const labels: LabelPolicy = {};
  const wrap = (field: LabellingField, f: () => void) => {
    try {
      f();
    } catch (e) {
      if (e instanceof SerError && !(e instanceof LabellingError)) throw new LabellingError(field, e.message);
      throw e;
    }
  };
  // Given empty is refused (parseEmotionList says so), never read as "all".
  if (input.emotions !== undefined) wrap("emotions", () => (labels.keep = parseEmotionList(input.emotions!)));
  if (input.merge?.trim()) wrap("merge", () => (labels.merge = parseMerge(input.merge!)));
  const out: IngestOptions = { dataset, labels };
  if (input.speakerPattern?.trim()) out.speakerPattern = speakerPatternOf(input.speakerPattern.trim());
  if (input.manifest) wrap("manifest", () => (out.manifest = parseManifest(input.manifest!.text, input.manifest!.source)));
  return out;
}
