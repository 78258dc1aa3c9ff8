/**
 * Prediction of several files, the one way the CLI and the page both use: clips are grouped by
 * speaker (speaker-groups.ts: the speaker a built-in naming scheme gives, else each file alone,
 * unless the caller says they are all one speaker), each group normalised with its own clips'
 * statistics, and every prediction says which speaker group normalised it and how.
 */
import type { Clip, ClipPrediction, PredictOptions, Predictor } from "./predictor.ts";
import { groupBySpeaker, type SpeakerGroup } from "./speaker-groups.ts";

export interface GroupedPrediction extends ClipPrediction {
  /** The speaker group the clip was normalised with (its id, or the file's name when alone). */
  speaker: string;
  /** How the group was found: named by the caller, read from file names, or the file alone. */
  speakerFrom: SpeakerGroup["from"];
  /** Clips in that group (1: the clip alone, "one clip" as ser evaluate's protocol). */
  groupClips: number;
}

export interface GroupedOptions extends PredictOptions {
  /** Every clip is this one speaker's (the page's "these files are one speaker", the CLI's --speaker). */
  speaker?: string;
}

/** Predictions for `clips` in their order, each speaker group normalised on its own. */
export async function predictGrouped(predictor: Predictor, clips: readonly Clip[], options: GroupedOptions = {}): Promise<GroupedPrediction[]> {
  const { speaker, ...predict } = options;
  const out = new Array<GroupedPrediction>(clips.length);
  for (const g of groupBySpeaker(clips.map((c) => c.name), speaker)) {
    const predictions = await predictor.predict(g.indices.map((i) => clips[i]!), predict);
    predictions.forEach((p, j) => (out[g.indices[j]!] = { ...p, speaker: g.speaker, speakerFrom: g.from, groupClips: g.indices.length }));
  }
  return out;
}
