import { decodeWav, type DecodedWav } from "../audio/wav-decode.ts";
import { SerError } from "../errors.ts";
import type { CorpusItem, Gender, Skipped } from "./corpus.ts";
import { contentHash } from "./hash.ts";
import { applyLabelPolicy, type LabelPolicy } from "./labels.ts";
import { type DatasetChoice, parseName, pathParts } from "./naming.ts";
import { parseCremaDemographics } from "./parsers/crema-d.ts";

export interface IngestOptions {
  dataset?: DatasetChoice;
  labels?: LabelPolicy;
  /** Longest recording accepted, in seconds (longer ones are skipped with a reason). */
  maxDurationS?: number;
}

export type IngestResult =
  | { kind: "item"; item: CorpusItem; audio: DecodedWav }
  | { kind: "skip"; skipped: Skipped }
  | { kind: "meta" };

export interface Ingestor {
  /** Classifies one input file: a usable recording (with its decoded audio), a skip, or metadata. */
  accept(path: string, bytes: Uint8Array): IngestResult;
  /** Records an entry the reader could not deliver (corrupt zip entry, limit). */
  skip(path: string, reason: string): void;
  /** Items and skips so far; CREMA-D genders are filled in from a demographics CSV seen at any point. */
  finish(): { items: CorpusItem[]; skipped: Skipped[] };
}

const AUDIO_ELSEWHERE = /\.(mp3|flac|ogg|m4a|aac|opus|webm|mp4|aif|aiff)$/i;

/**
 * Turns input files (from folders or zips, in any order) into corpus items: skips non-audio
 * files, macOS metadata, names no dataset scheme explains, undecodable audio, empty files,
 * emotions filtered out by the label policy, and byte-identical duplicates, each with a reason.
 */
export function createIngestor(options: IngestOptions = {}): Ingestor {
  const items: CorpusItem[] = [];
  const skipped: Skipped[] = [];
  const seen = new Map<string, string>();
  let cremaGenders: Map<string, Gender> | undefined;
  const maxDurationS = options.maxDurationS ?? 600;
  const skip = (path: string, reason: string): IngestResult => {
    const s = { path, reason };
    skipped.push(s);
    return { kind: "skip", skipped: s };
  };
  return {
    accept(path, bytes) {
      const parts = pathParts(path);
      const base = parts[parts.length - 1] ?? path;
      if (parts.includes("__MACOSX") || base.startsWith("._")) return skip(path, "macOS resource fork, not audio");
      if (/^videodemographics\.csv$/i.test(base)) {
        try {
          cremaGenders = parseCremaDemographics(new TextDecoder().decode(bytes));
          return { kind: "meta" };
        } catch (e) {
          return skip(path, `CREMA-D demographics could not be read: ${(e as Error).message}`);
        }
      }
      if (!/\.wav$/i.test(base)) {
        if (AUDIO_ELSEWHERE.test(base)) return skip(path, `not a WAV file (${base.split(".").pop()}); only WAV is read`);
        return skip(path, `not a WAV file${base.includes(".") ? ` (.${base.split(".").pop()})` : ""}`);
      }
      if (bytes.length === 0) return skip(path, "empty file (0 bytes)");
      const info = parseName(path, options.dataset ?? "auto", cremaGenders);
      if (typeof info === "string") return skip(path, info);
      const emotion = applyLabelPolicy(info.emotion, options.labels ?? {});
      if (emotion === null) return skip(path, `emotion '${info.emotion}' is not among the selected emotions`);
      const hash = contentHash(bytes);
      const first = seen.get(hash);
      if (first !== undefined) return skip(path, `duplicate: same bytes as ${first}`);
      let audio: DecodedWav;
      try {
        audio = decodeWav(bytes);
      } catch (e) {
        return skip(path, e instanceof SerError ? e.message : `could not decode: ${(e as Error).message}`);
      }
      const durationS = audio.frameCount / audio.sampleRateHz;
      if (durationS > maxDurationS) {
        return skip(path, `recording is ${durationS.toFixed(0)} s long, over the ${maxDurationS} s limit`);
      }
      seen.set(hash, path);
      const item: CorpusItem = {
        ...info,
        emotion,
        path,
        durationS,
        sampleRateHz: audio.sampleRateHz,
        channelCount: audio.channelCount,
      };
      items.push(item);
      return { kind: "item", item, audio };
    },
    skip(path, reason) {
      skip(path, reason);
    },
    finish() {
      if (cremaGenders) {
        for (const item of items) {
          if (item.dataset === "crema-d" && item.gender === "unknown") {
            item.gender = cremaGenders.get(item.speaker.replace("crema-d-", "")) ?? "unknown";
          }
        }
      }
      return { items, skipped };
    },
  };
}
