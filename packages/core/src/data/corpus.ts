import type { Emotion } from "./labels.ts";

export const DATASETS = ["ravdess", "savee", "crema-d", "tess", "emodb", "nemo"] as const;
export type DatasetName = (typeof DATASETS)[number];
export type Gender = "male" | "female" | "unknown";

/** What a dataset's file naming says about one recording. */
export interface NameInfo {
  /** A built-in corpus (DatasetName) or the name a manifest gives ("manifest" when it gives none). */
  dataset: string;
  /** Namespaced by dataset ("ravdess-01", "crema-d-1001") so ids never collide across corpora. */
  speaker: string;
  gender: Gender;
  emotion: Emotion;
  /** The dataset's own emotion code ("05", "ANG", "sa", "ps"). */
  emotionCode: string;
  intensity?: "normal" | "strong" | "low" | "medium" | "high" | "unspecified";
  /** Sentence / statement id within the dataset. */
  statement?: string;
  /**
   * False when nothing says who is speaking (folder-per-label data without a speaker pattern):
   * `speaker` is then a placeholder and speaker-independent splits refuse the corpus.
   */
  speakerKnown?: false;
}

/** One usable recording of a corpus. */
export interface CorpusItem extends NameInfo {
  /** Path inside the input ("ravdess.zip/Actor_01/03-01-….wav" or a file path). */
  path: string;
  /** The file's content hash (data/hash.ts): what duplicates, the feature cache and --resume compare. */
  contentHash?: string;
  durationS: number;
  sampleRateHz: number;
  channelCount: number;
}

/** An input entry that was left out, and why. */
export interface Skipped {
  path: string;
  reason: string;
}
