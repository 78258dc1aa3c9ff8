import type { CorpusItem, Gender, Skipped } from "./corpus.ts";
import { audioFileKind } from "../audio/decode-audio.ts";
import { type Emotion, orderLabels } from "./labels.ts";

export interface SpeakerSummary {
  speaker: string;
  dataset: string;
  gender: Gender;
  files: number;
  durationS: number;
}

export interface DatasetSummary {
  dataset: string;
  files: number;
  durationS: number;
  speakers: number;
  genders: Record<Gender, number>;
  emotions: Partial<Record<Emotion, number>>;
}

export interface CorpusSummary {
  /** Entries seen: usable + skipped. */
  entries: number;
  /** Entries named *.wav (usable or not). */
  /** Input files with an audio extension (read or skipped). */
  audioEntries: number;
  files: number;
  durationS: number;
  emotions: Partial<Record<Emotion, number>>;
  datasets: DatasetSummary[];
  speakers: SpeakerSummary[];
  /** Speakers per gender. */
  genders: Record<Gender, number>;
  sampleRatesHz: Record<string, number>;
  skipped: Skipped[];
  duplicates: number;
}

function countEmotions(items: CorpusItem[]): Partial<Record<Emotion, number>> {
  const out: Partial<Record<Emotion, number>> = {};
  for (const e of orderLabels(items.map((i) => i.emotion))) out[e] = items.filter((i) => i.emotion === e).length;
  return out;
}

export function summarizeCorpus(items: CorpusItem[], skipped: Skipped[]): CorpusSummary {
  const bySpeaker = new Map<string, SpeakerSummary>();
  for (const i of items) {
    const s = bySpeaker.get(i.speaker) ?? { speaker: i.speaker, dataset: i.dataset, gender: i.gender, files: 0, durationS: 0 };
    s.files++;
    s.durationS += i.durationS;
    bySpeaker.set(i.speaker, s);
  }
  const speakers = [...bySpeaker.values()].sort((a, b) => a.speaker.localeCompare(b.speaker));
  const genderCount = (list: SpeakerSummary[]): Record<Gender, number> => ({
    male: list.filter((s) => s.gender === "male").length,
    female: list.filter((s) => s.gender === "female").length,
    unknown: list.filter((s) => s.gender === "unknown").length,
  });
  const datasetNames = [...new Set(items.map((i) => i.dataset))].sort();
  const sampleRatesHz: Record<string, number> = {};
  for (const i of items) sampleRatesHz[i.sampleRateHz] = (sampleRatesHz[i.sampleRateHz] ?? 0) + 1;
  return {
    entries: items.length + skipped.length,
    audioEntries: items.length + skipped.filter((k) => audioFileKind(k.path) !== undefined).length,
    files: items.length,
    durationS: items.reduce((s, i) => s + i.durationS, 0),
    emotions: countEmotions(items),
    datasets: datasetNames.map((d) => {
      const its = items.filter((i) => i.dataset === d);
      const sp = speakers.filter((s) => s.dataset === d);
      return {
        dataset: d,
        files: its.length,
        durationS: its.reduce((s, i) => s + i.durationS, 0),
        speakers: sp.length,
        genders: genderCount(sp),
        emotions: countEmotions(its),
      };
    }),
    speakers,
    genders: genderCount(speakers),
    sampleRatesHz,
    skipped,
    duplicates: skipped.filter((s) => s.reason.startsWith("duplicate")).length,
  };
}

/** "716 audio files: 715 usable, 1 skipped (1 duplicate); 1 other file skipped" — shared by the CLI and the page. */
export function describeFiles(s: CorpusSummary): string {
  const others = s.entries - s.audioEntries;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${plural(s.audioEntries, "audio file")}: ${s.files} usable, ${s.audioEntries - s.files} skipped` +
    (s.duplicates ? ` (${plural(s.duplicates, "duplicate")})` : "") +
    (others > 0 ? `; ${plural(others, "other file")} skipped` : "");
}

/** "12 speakers: 6 male, 6 female[, n unknown]". */
export function describeSpeakers(s: CorpusSummary): string {
  return `${s.speakers.length} speaker${s.speakers.length === 1 ? "" : "s"}: ${s.genders.male} male, ${s.genders.female} female${s.genders.unknown ? `, ${s.genders.unknown} unknown` : ""}`;
}
