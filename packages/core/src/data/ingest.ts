import { audioFileKind, type DecodedAudio, decodeAudio } from "../audio/decode-audio.ts";
import { SerError } from "../errors.ts";
import { type CorpusItem, DATASETS, type Gender, type Skipped } from "./corpus.ts";
import { contentHash } from "./hash.ts";
import { applyLabelPolicy, type LabelPolicy, notSelected } from "./labels.ts";
import { type CorpusGenders, type DatasetChoice, parseName, pathParts } from "./naming.ts";
import { parseCremaDemographics } from "./parsers/crema-d.ts";
import { isNemoMetadata, parseNemoMetadata } from "./parsers/nemo.ts";
import { createManifestLookup, type Manifest } from "./manifest.ts";

export interface IngestOptions {
  dataset?: DatasetChoice;
  labels?: LabelPolicy;
  /** Longest recording accepted, in seconds (longer ones are skipped with a reason). */
  maxDurationS?: number;
  /**
   * A CSV manifest (manifest.ts): labels, speakers and genders come from its rows instead of file
   * names; files it does not list are skipped, and rows no file matched are reported at the end.
   */
  manifest?: Manifest;
  /** Folder-per-label files: the speaker is this pattern's first capture group on the path. */
  speakerPattern?: RegExp;
}

export type IngestResult =
  | { kind: "item"; item: CorpusItem; audio: DecodedAudio }
  | { kind: "skip"; skipped: Skipped }
  | { kind: "meta" };

/** A file whose name and bytes passed every check that needs no decoding. */
export interface Candidate {
  readonly path: string;
  /** Admission order: items and skips are reported in this order however decoding is scheduled. */
  readonly seq: number;
  readonly info: Omit<CorpusItem, "path" | "durationS" | "sampleRateHz" | "channelCount">;
}

export type Admission = { kind: "candidate"; candidate: Candidate } | { kind: "skip"; skipped: Skipped } | { kind: "meta" };

/** What decoding a candidate found: its format, or why it cannot be used. */
export type DecodeOutcome =
  | { ok: true; sampleRateHz: number; channelCount: number; frameCount: number }
  | { ok: false; reason: string };

export interface Ingestor {
  /** Classifies one input file: a usable recording (with its decoded audio), a skip, or metadata. */
  accept(path: string, bytes: Uint8Array): Promise<IngestResult>;
  /**
   * First half of `accept`, without decoding: name, label policy, duplicates. Decode the
   * candidate anywhere (a worker) and hand the outcome to `complete`.
   */
  admit(path: string, bytes: Uint8Array): Admission;
  /** Second half: the item, or null when the outcome (or the duration limit) rules it out. */
  complete(candidate: Candidate, outcome: DecodeOutcome): CorpusItem | null;
  /** Records an entry the reader could not deliver (corrupt zip entry, limit). */
  skip(path: string, reason: string): void;
  /**
   * A file another process reads (a feature shard's other files, feature-shards.ts): it takes
   * its place in the admission order and satisfies its manifest row, and is not otherwise seen.
   */
  elsewhere(path: string): void;
  /** Items and skips in admission order; CREMA-D and nEMO genders are filled in from their speaker tables seen at any point. */
  finish(): { items: CorpusItem[]; skipped: Skipped[] };
}

/** Decodes (any format decode-audio.ts reads) with the same error wording `accept` uses. */
export async function decodeForIngest(bytes: Uint8Array): Promise<{ audio: DecodedAudio; outcome: DecodeOutcome } | { audio: null; outcome: DecodeOutcome }> {
  try {
    const audio = await decodeAudio(bytes);
    return { audio, outcome: { ok: true, sampleRateHz: audio.sampleRateHz, channelCount: audio.channelCount, frameCount: audio.frameCount } };
  } catch (e) {
    return { audio: null, outcome: { ok: false, reason: e instanceof SerError ? e.message : `could not decode: ${(e as Error).message}` } };
  }
}


const isCremaDemographics = (base: string) => /^videodemographics\.csv$/i.test(base);

/**
 * A corpus's own table of speakers (CREMA-D's demographics, nEMO's data.tsv): a reading that
 * hands recordings on as they are done (feature shards) reads these first, so every recording
 * has its gender when it leaves.
 */
export function isCorpusMetadata(path: string): boolean {
  const base = pathParts(path).at(-1) ?? path;
  return isCremaDemographics(base) || isNemoMetadata(base);
}

/**
 * Turns input files (from folders or zips, in any order) into corpus items: skips non-audio
 * files, macOS metadata, names no dataset scheme explains, undecodable audio, empty files,
 * emotions filtered out by the label policy, and byte-identical duplicates, each with a reason.
 */
export function createIngestor(options: IngestOptions = {}, { keepItems = true }: {
  /**
   * False when each item is handed on as it completes (feature shards): finish() then returns
   * the skips only, and memory does not grow with the items of a large corpus.
   */
  keepItems?: boolean;
} = {}): Ingestor {
  const items: { seq: number; item: CorpusItem }[] = [];
  const skipped: { seq: number; skipped: Skipped }[] = [];
  const seen = new Map<string, string>();

  const genders: { -readonly [K in keyof CorpusGenders]: Map<string, Gender> } = {};
  let seq = 0;
  const maxDurationS = options.maxDurationS ?? 600;
  const manifest = options.manifest ? createManifestLookup(options.manifest) : undefined;
  const manifestPath = options.manifest ? pathParts(options.manifest.source).join("/") : undefined;
  const skipAt = (at: number, path: string, reason: string): Skipped => {
    const s = { path, reason };
    skipped.push({ seq: at, skipped: s });
    return s;
  };
  const skip = (path: string, reason: string): { kind: "skip"; skipped: Skipped } => ({ kind: "skip", skipped: skipAt(seq++, path, reason) });
  const admit = (path: string, bytes: Uint8Array): Admission => {
    const parts = pathParts(path);
    const base = parts[parts.length - 1] ?? path;
    if (parts.includes("__MACOSX") || base.startsWith("._")) return skip(path, "macOS resource fork, not audio");
    if (isCremaDemographics(base)) {
      try {
        genders["crema-d"] = parseCremaDemographics(new TextDecoder().decode(bytes));
        return { kind: "meta" };
      } catch (e) {
        return skip(path, `CREMA-D demographics could not be read: ${(e as Error).message}`);
      }
    }
    if (isNemoMetadata(base)) {
      try {
        genders.nemo = parseNemoMetadata(new TextDecoder().decode(bytes));
        return { kind: "meta" };
      } catch (e) {
        return skip(path, `nEMO's speaker table could not be read: ${(e as Error).message}`);
      }
    }
    // The manifest itself, read among the inputs it describes.
    if (manifestPath !== undefined && parts.join("/") === manifestPath) return { kind: "meta" };
    // Matched first, so that a listed file skipped below (not WAV, empty) is not also reported missing.
    const row = manifest?.match(path);
    const kind = audioFileKind(base);
    if (kind === undefined || kind === "not read") {
      if (kind === "not read") return skip(path, `${base.split(".").pop()} audio is not read (WAV, AIFF, FLAC, MP3, Ogg Vorbis and Opus are): convert it to WAV or FLAC`);
      return skip(path, `not an audio file${base.includes(".") ? ` (.${base.split(".").pop()})` : ""}`);
    }
    if (bytes.length === 0) return skip(path, "empty file (0 bytes)");
    const info = row === undefined ? parseName(path, options.dataset ?? "auto", genders, options.speakerPattern) : typeof row === "string" ? row : row.info;
    if (typeof info === "string") return skip(path, info);
    const emotion = applyLabelPolicy(info.emotion, options.labels ?? {});
    if (emotion === null) return skip(path, notSelected(info.emotion));
    // Registered before decoding so that a copy arriving while the first is still being decoded
    // elsewhere is caught too; an undecodable file's copies are reported as its duplicates.
    const hash = contentHash(bytes);
    const first = seen.get(hash);
    if (first !== undefined) return skip(path, `duplicate: same bytes as ${first}`);
    seen.set(hash, path);
    return { kind: "candidate", candidate: { path, seq: seq++, info: { ...info, emotion, contentHash: hash } } };
  };
  const complete = (candidate: Candidate, outcome: DecodeOutcome): CorpusItem | null => {
    if (!outcome.ok) {
      skipAt(candidate.seq, candidate.path, outcome.reason);
      return null;
    }
    const durationS = outcome.frameCount / outcome.sampleRateHz;
    if (durationS > maxDurationS) {
      skipAt(candidate.seq, candidate.path, `recording is ${durationS.toFixed(0)} s long, over the ${maxDurationS} s limit`);
      return null;
    }
    const item: CorpusItem = {
      ...candidate.info,
      path: candidate.path,
      durationS,
      sampleRateHz: outcome.sampleRateHz,
      channelCount: outcome.channelCount,
    };
    // Its corpus's speaker table when already read (a manifest row naming nEMO or CREMA-D
    // without a gender column too); one read later fills it in at finish().
    fillGender(item);
    if (keepItems) items.push({ seq: candidate.seq, item });
    return item;
  };
  const fillGender = (item: CorpusItem) => {
    const table = (item.dataset === "crema-d" || item.dataset === "nemo") ? genders[item.dataset] : undefined;
    if (table && item.gender === "unknown") item.gender = table.get(item.speaker.slice(item.dataset.length + 1)) ?? "unknown";
  };
  return {
    admit,
    complete,
    async accept(path, bytes) {
      const a = admit(path, bytes);
      if (a.kind !== "candidate") return a;
      const decoded = await decodeForIngest(bytes);
      const item = complete(a.candidate, decoded.outcome);
      if (item === null || decoded.audio === null) return { kind: "skip", skipped: skipped.at(-1)!.skipped };
      return { kind: "item", item, audio: decoded.audio };
    },
    skip(path, reason) {
      skip(path, reason);
    },
    elsewhere(path) {
      manifest?.match(path);
      seq++;
    },
    finish() {
      // Rows the manifest could not use, and rows no input file matched, after everything read.
      if (manifest) for (const s of manifest.unmatched()) skipAt(seq++, s.path, s.reason);
      items.sort((a, b) => a.seq - b.seq);
      if (!manifest) {
        const { kept, dropped } = keepOneEncoding(items);
        items.splice(0, items.length, ...kept);
        for (const d of dropped) skipAt(d.seq, d.path, d.reason);
      }
      const ordered = items.map((e) => e.item);
      // A speaker table read after some of its corpus's recordings still gives them their gender.
      ordered.forEach(fillGender);
      return { items: ordered, skipped: skipped.sort((a, b) => a.seq - b.seq).map((e) => e.skipped) };
    },
  };
}

/**
 * Built-in corpora name each recording uniquely: the same name in another format (CREMA-D
 * ships AudioWAV/ and AudioMP3/ copies of every clip) is the same recording, kept once: the
 * lossless copy if there is one, else the first read. Decided among the copies that decoded (in
 * admission order), so a copy that failed never costs the recording. The ingestor applies it to
 * one reading; feature-shards.ts again across shards (the winner does not depend on grouping).
 */
export function keepOneEncoding<T extends { seq: number; item: CorpusItem }>(entries: readonly T[]): { kept: T[]; dropped: { seq: number; path: string; reason: string }[] } {
  const best = new Map<string, T>();
  const lossy = (p: string) => audioFileKind(p) !== "lossless";
  const kept: T[] = [];
  const dropped: { seq: number; path: string; reason: string }[] = [];
  for (const e of entries) {
    if (!(DATASETS as readonly string[]).includes(e.item.dataset)) {
      kept.push(e);
      continue;
    }
    const key = `${e.item.dataset}/${e.item.speaker}/${(pathParts(e.item.path).at(-1) ?? "").replace(/\.[^.]*$/, "").toLowerCase()}`;
    const other = best.get(key);
    if (!other) {
      best.set(key, e);
      kept.push(e);
    } else {
      const [win, lose] = lossy(other.item.path) && !lossy(e.item.path) ? [e, other] : [other, e];
      if (win === e) kept.splice(kept.indexOf(other), 1, e);
      best.set(key, win);
      dropped.push({ seq: lose.seq, path: lose.item.path, reason: `another encoding of ${win.item.path} (the same recording of ${win.item.dataset}; ${lossy(win.item.path) ? "read first" : "lossless"}), read once` });
    }
  }
  return { kept, dropped };
}
