/**
 * Which clips given to `predict` are one speaker's: per-speaker statistics must never mix
 * speakers. Files whose names carry a speaker (any built-in dataset's scheme) are grouped by
 * it; a speaker the caller names holds every file; a file with no speaker is a speaker alone
 * (one clip: nothing else is known of them).
 */
import { parseName } from "../data/naming.ts";

export interface SpeakerGroup {
  /** The speaker's id, or the file itself when its name carries none. */
  speaker: string;
  /** How the speaker was found. */
  from: "given" | "file name" | "alone";
  /** Indices into the names given, in order. */
  indices: number[];
}

export function groupBySpeaker(names: readonly string[], speaker?: string): SpeakerGroup[] {
  if (speaker !== undefined) return [{ speaker, from: "given", indices: names.map((_, i) => i) }];
  const groups = new Map<string, SpeakerGroup>();
  names.forEach((name, i) => {
    const parsed = parseName(name);
    // A folder-per-label name says the emotion but not the speaker: such a file is alone.
    const info = typeof parsed !== "string" && parsed.speakerKnown === false ? "no speaker" : parsed;
    const key = typeof info === "string" ? `file:${name}` : info.speaker;
    const g = groups.get(key) ?? { speaker: typeof info === "string" ? name : info.speaker, from: typeof info === "string" ? "alone" as const : "file name" as const, indices: [] };
    g.indices.push(i);
    groups.set(key, g);
  });
  return [...groups.values()];
}
