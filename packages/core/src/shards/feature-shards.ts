/**
 * Corpus features as Parquet shards: a corpus too big for one machine's features is cut into N
 * shards (shard-index.ts), each computed by one process of a scheduler's array job and written as
 * one Parquet file; training then reads the set back as the corpus one process would have built.
 *
 * One row per usable recording: its place in the reading order, path, the file's and the
 * prepared audio's content hashes, dataset, speaker, gender, emotion (and the corpus's own code,
 * intensity, statement), duration and format, and the front end's features (unscaled, as the
 * corpus builder keeps them) as a list of float32, then one such list per training view. The
 * footer's key-value metadata holds the shard's header (front end, its fingerprint, views, the
 * inputs, how many files the reading met) and the files it skipped, with why.
 *
 * Parquet is written and read by hyparquet-writer / hyparquet (hyparam, MIT): pure JavaScript,
 * no native code, so core stays runnable in the page; any Parquet reader opens the files
 * (the CLI's tests read them with parquet-wasm, arrow-rs compiled to WebAssembly).
 */
import { parquetMetadataAsync, parquetRead } from "hyparquet";
import type { AsyncBuffer, FileMetaData } from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { FeatureView } from "../augment/feature-views.ts";
import type { CorpusItem, Gender, Skipped } from "../data/corpus.ts";
import { contentHash } from "../data/hash.ts";
import { keepOneEncoding } from "../data/ingest.ts";
import { applyLabelPolicy, type Emotion, type LabelPolicy, notSelected } from "../data/labels.ts";
import { summarizeCorpus } from "../data/summary.ts";
import { configDifferences, type Frontend, frontendDescription, type FrontendConfig } from "../features/frontend.ts";
import { normalizeCorpus } from "../features/normalize.ts";
import type { BuiltCorpus, SinkRecording } from "../ingest/corpus-builder.ts";
import { featureNamespace } from "../ingest/feature-cache.ts";
import type { PreparedItem } from "../ingest/process-recording.ts";
import { type ShardIndex, ShardError, shardFileName, shardOfPath } from "./shard-index.ts";

/** Bumped when the columns or the header change meaning; a reader refuses other versions. */
export const SHARD_FORMAT = 2;
const HEADER_KEY = "ser.shard";
const SKIPPED_KEY = "ser.skipped";

/** What every shard of a set states in its footer, and the reader checks. */
export interface ShardHeader {
  format: number;
  shard: ShardIndex;
  /** The front end's config; its normalisation is the trainer's choice and not part of the features. */
  frontend: FrontendConfig;
  /** featureNamespace of the front end (normalisation aside) and views: equal across a set. */
  fingerprint: string;
  description: string;
  /** Values per features list. */
  size: number;
  views: FeatureView[];
  /** The folders, zips and files read (ser.json records them as the model's inputs). */
  inputs: string[];
  /** Files the reading met, all shards' together: equal across a set read from the same inputs. */
  filesSeen: number;
  /**
   * The labelling the rows were read with: emotions kept (none: all) and merges, and whether a
   * manifest gave the labels (then other encodings of a built-in recording are not merged, as
   * one reading with a manifest does not).
   */
  labelling: { keep?: Emotion[]; merge?: [Emotion, Emotion][]; manifest: boolean };
  /** Rows in this shard. */
  rows: number;
}

/** The config whose features a shard holds: normalisation is applied after, when the shards are read. */
function featureConfig(c: FrontendConfig): FrontendConfig {
  return { ...c, normalization: "none" };
}

export function shardFingerprint(config: FrontendConfig, views: readonly FeatureView[]): string {
  return featureNamespace(featureConfig(config), views);
}

/** A row waiting for its row group: metadata and features (its waveform already hashed and dropped). */
type PendingRow = { item: PreparedItem; order: number; audioHash: string };

/** One column: its schema elements and its value in a row (one table gives both the schema and the data). */
interface Column {
  name: string;
  schema: Record<string, unknown>[];
  value: (r: PendingRow) => unknown;
  encoding?: "BYTE_STREAM_SPLIT";
}

const scalar = (name: string, type: string, value: Column["value"]): Column => ({ name, schema: [{ name, type, repetition_type: "REQUIRED" }], value });
const text = (name: string, value: Column["value"], optional = false): Column => ({ name, schema: [{ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: optional ? "OPTIONAL" : "REQUIRED" }], value });
/** A list of float32 (Parquet's three-level LIST), byte-stream-split: float lists compress best so. */
const floatList = (name: string, value: (r: PendingRow) => Float32Array | undefined, size: number): Column => ({
  name,
  schema: [
    { name, repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
    { name: "list", repetition_type: "REPEATED", num_children: 1 },
    { name: "element", type: "FLOAT", repetition_type: "REQUIRED" },
  ],
  value: (r) => {
    const a = value(r);
    if (!a || a.length !== size) throw new Error(`${r.item.path}: ${name} holds ${a?.length ?? 0} values, the shard's front end gives ${size}.`);
    return Array.from(a);
  },
  encoding: "BYTE_STREAM_SPLIT",
});

function columnsFor(views: readonly FeatureView[], size: number): Column[] {
  return [
    scalar("order", "INT32", (r) => r.order),
    text("path", (r) => r.item.path),
    text("file_hash", (r) => r.item.contentHash ?? ""),
    text("audio_hash", (r) => r.audioHash),
    text("dataset", (r) => r.item.dataset),
    text("speaker", (r) => r.item.speaker),
    scalar("speaker_known", "BOOLEAN", (r) => r.item.speakerKnown !== false),
    text("gender", (r) => r.item.gender),
    text("emotion", (r) => r.item.emotion),
    text("emotion_code", (r) => r.item.emotionCode),
    text("intensity", (r) => r.item.intensity ?? null, true),
    text("statement", (r) => r.item.statement ?? null, true),
    scalar("duration_s", "DOUBLE", (r) => r.item.durationS),
    scalar("sample_rate_hz", "INT32", (r) => r.item.sampleRateHz),
    scalar("channel_count", "INT32", (r) => r.item.channelCount),
    floatList("features", (r) => r.item.features, size),
    ...views.map((v) => floatList(viewColumn(v), (r) => r.item.views?.[v], size)),
  ];
}

const viewColumn = (v: FeatureView) => `view_${v}`;

export interface ShardWriter {
  /** Adds one recording (any order: `order` puts it in place when read). */
  add(item: SinkRecording, order: number): void;
  /** Writes the last rows and the footer: the file is complete once this returns. */
  finish(o: { skipped: readonly Skipped[]; filesSeen: number }): void;
}

export interface ShardWriterOptions {
  /** Receives the file's bytes in order (the CLI appends them to DIR/shard-….parquet.partial). */
  write: (bytes: Uint8Array) => void;
  shard: ShardIndex;
  frontend: FrontendConfig;
  /** Values per features list (the front end's size). */
  size: number;
  views: readonly FeatureView[];
  inputs: readonly string[];
  /** The labelling the corpus is read with (its label policy, and whether a manifest labels it). */
  labelling: { labels: LabelPolicy; manifest: boolean };
  /** Rows per row group: what is held in memory before it is written (default 1024). */
  rowGroupRows?: number;
}

/**
 * A shard file written as recordings arrive: rows are held only until a row group is full, so
 * memory does not grow with the corpus.
 */
export function createShardWriter(o: ShardWriterOptions): ShardWriter {
  const rowGroupRows = o.rowGroupRows ?? 1024;
  const writer: ByteWriter & { flush?: () => void } = new ByteWriter();
  // hyparquet-writer flushes after each row group: hand the bytes on and start the buffer over.
  writer.flush = () => {
    if (writer.index > 0) o.write(new Uint8Array(writer.buffer, 0, writer.index).slice());
    writer.index = 0;
  };
  const views = [...o.views];
  const header: Omit<ShardHeader, "filesSeen" | "rows"> = {
    format: SHARD_FORMAT,
    shard: o.shard,
    frontend: featureConfig(o.frontend),
    fingerprint: shardFingerprint(o.frontend, views),
    description: frontendDescription(o.frontend.kind),
    size: o.size,
    views,
    inputs: [...o.inputs],
    labelling: {
      ...(o.labelling.labels.keep ? { keep: [...o.labelling.labels.keep] } : {}),
      ...(o.labelling.labels.merge?.size ? { merge: [...o.labelling.labels.merge] } : {}),
      manifest: o.labelling.manifest,
    },
  };
  // Rows wait for their row group without their waveforms (1024 of those would be ~200 MB).
  let pending: PendingRow[] = [];
  let rows = 0;
  const columns = columnsFor(views, o.size);
  const kv: { key: string; value: string }[] = [];
  const parquet = new ParquetWriter({ writer, schema: [{ name: "root", num_children: columns.length }, ...columns.flatMap((c) => c.schema)] as never, kvMetadata: kv, createdBy: "ser (hyparquet-writer)" });
  const writeRows = (p: readonly PendingRow[]) => {
    void parquet.write({ columnData: columns.map((c) => ({ name: c.name, data: p.map(c.value), ...(c.encoding ? { encoding: c.encoding } : {}) })) as never, rowGroupSize: Math.max(1, p.length) });
    rows += p.length;
  };
  return {
    add({ wave, ...item }, order) {
      pending.push({ item, order, audioHash: contentHash(new Uint8Array(wave.buffer, wave.byteOffset, wave.byteLength)) });
      if (pending.length >= rowGroupRows) writeRows(pending.splice(0));
    },
    finish({ skipped, filesSeen }) {
      // An empty shard (a small corpus cut finely) is still a complete Parquet file: one empty row group.
      if (pending.length > 0 || rows === 0) writeRows(pending.splice(0));
      // The header goes in the footer, written last: its row count and skips are final there.
      kv.push({ key: HEADER_KEY, value: JSON.stringify({ ...header, filesSeen, rows } satisfies ShardHeader) });
      kv.push({ key: SKIPPED_KEY, value: JSON.stringify(skipped) });
      void parquet.finish();
      writer.flush!();
    },
  };
}

/** A shard file to read: its name (for errors and the index check) and its bytes. */
export interface ShardSource {
  name: string;
  file: AsyncBuffer;
}

/** The set's header, checked, with each file's metadata. */
export interface ShardSet {
  header: Omit<ShardHeader, "shard" | "rows">;
  count: number;
  files: { name: string; file: AsyncBuffer; metadata: FileMetaData; header: ShardHeader; skipped: Skipped[] }[];
}

async function readHeader(s: ShardSource): Promise<{ metadata: FileMetaData; header: ShardHeader; skipped: Skipped[] }> {
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(s.file);
  } catch (e) {
    throw new ShardError(`${s.name} is not a readable Parquet file (${(e as Error).message}); a shard that was killed leaves only a .partial file, so this one is damaged: compute its shard again.`);
  }
  const kv = new Map((metadata.key_value_metadata ?? []).map((e) => [e.key, e.value]));
  const raw = kv.get(HEADER_KEY);
  if (raw === undefined) throw new ShardError(`${s.name} is a Parquet file but not a feature shard of this program (no '${HEADER_KEY}' metadata).`);
  const header = JSON.parse(raw) as ShardHeader;
  if (header.format !== SHARD_FORMAT) throw new ShardError(`${s.name} is a feature shard of format ${header.format}; this version reads format ${SHARD_FORMAT}: compute the shards again.`);
  return { metadata, header, skipped: JSON.parse(kv.get(SKIPPED_KEY) ?? "[]") as Skipped[] };
}

/**
 * Opens a set of shards and checks it is one complete set: one front end and view list, the
 * same inputs, every shard from 0 to N−1 once. Errors name the missing, duplicated or odd file.
 */
export async function openShardSet(sources: readonly ShardSource[], where: string): Promise<ShardSet> {
  if (sources.length === 0) throw new ShardError(`${where} holds no feature shards (shard-IIIII-of-NNNNN.parquet): compute them with 'ser features <corpus…> --out ${where} --shard I/N'.`);
  const files = [];
  for (const s of sources) files.push({ ...s, ...(await readHeader(s)) });
  const first = files[0]!;
  const count = first.header.shard.count;
  for (const f of files) {
    const h = f.header;
    if (f.name !== shardFileName(h.shard)) throw new ShardError(`${f.name} holds shard ${h.shard.index} of ${h.shard.count}, which is named ${shardFileName(h.shard)}: files of a set keep their names.`);
    if (h.shard.count !== count) throw new ShardError(`${f.name} is one of ${h.shard.count} shards but ${first.name} one of ${count}: ${where} mixes two runs; keep one set per folder.`);
    if (h.fingerprint !== first.header.fingerprint) {
      throw new ShardError(`${f.name} holds other features than ${first.name} (front end ${h.frontend.kind} ${JSON.stringify(h.frontend)}, views [${h.views.join(", ")}] vs ${first.header.frontend.kind} ${JSON.stringify(first.header.frontend)}, views [${first.header.views.join(", ")}]): compute every shard with the same options.`);
    }
    if (JSON.stringify(h.inputs) !== JSON.stringify(first.header.inputs) || h.filesSeen !== first.header.filesSeen) {
      throw new ShardError(`${f.name} was computed from other inputs than ${first.name} (${h.inputs.join(" ")}: ${h.filesSeen} files vs ${first.header.inputs.join(" ")}: ${first.header.filesSeen}): compute every shard from the same corpus.`);
    }
    if (JSON.stringify(h.labelling) !== JSON.stringify(first.header.labelling)) {
      throw new ShardError(`${f.name} was labelled otherwise than ${first.name} (${JSON.stringify(h.labelling)} vs ${JSON.stringify(first.header.labelling)}): compute every shard with the same --emotions, --merge and --manifest.`);
    }
  }
  const byIndex = new Map<number, string>();
  for (const f of files) {
    const other = byIndex.get(f.header.shard.index);
    if (other !== undefined) throw new ShardError(`shard ${f.header.shard.index} of ${count} is in ${where} twice: ${other} and ${f.name}.`);
    byIndex.set(f.header.shard.index, f.name);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const names = missing.slice(0, 5).map((i) => shardFileName({ index: i, count })).join(", ");
    throw new ShardError(`${where} lacks ${missing.length} of its ${count} shards (${names}${missing.length > 5 ? ", …" : ""}): run those shards (--shard I/${count}) again; each writes only its own file.`);
  }
  const { shard: _s, rows: _r, ...header } = first.header;
  return { header, count, files };
}

type Row = Record<string, unknown>;

const floats = (v: unknown): Float32Array => Float32Array.from(v as number[]);

/**
 * Every row of a checked set, in the order one process would have read the corpus, as corpus
 * items: each path once (a path in two shards is an error naming both), byte-identical copies
 * and other encodings of one recording kept once across shards as a single reading keeps them.
 * Rows are read one row group at a time, their lists turned into float32 arrays at once.
 * `views`: the training views wanted (each must be in the set). Items hold raw features: the
 * caller normalises (normalizeCorpus), as after reading audio.
 */
export async function readShardItems(set: ShardSet, views: readonly FeatureView[], labels: LabelPolicy = {}): Promise<{ items: PreparedItem[]; skipped: Skipped[] }> {
  // Emotions left out when the shards were computed are not in them: asking for one is an error, not an empty class.
  const shardKeep = set.header.labelling.keep;
  if (labels.keep && shardKeep) {
    const available = new Set(shardKeep.map((e) => labels.merge?.get(e) ?? e));
    const beyond = labels.keep.filter((e) => !available.has(e));
    if (beyond.length > 0) throw new ShardError(`the shards hold only ${shardKeep.join(", ")} (computed with --emotions ${shardKeep.join(",")}): ${beyond.join(", ")} cannot be chosen from them; compute the shards without --emotions, or with these.`);
  }
  for (const v of views) {
    if (!set.header.views.includes(v)) throw new ShardError(`training asks for the ${v} view, which these shards do not hold (they hold [${set.header.views.join(", ") || "none"}]): compute the shards with --views ${[...set.header.views, v].join(",")}.`);
  }
  const seen = new Map<string, string>();
  const items: (PreparedItem & { order: number })[] = [];
  for (const f of set.files) {
    let start = 0;
    for (const group of f.metadata.row_groups) {
      const end = start + Number(group.num_rows);
      const rows = await new Promise<Row[]>((resolve, reject) => {
        parquetRead({ file: f.file, metadata: f.metadata, rowStart: start, rowEnd: end, rowFormat: "object", onComplete: resolve }).catch(reject);
      });
      for (const r of rows) {
        const path = r.path as string;
        const other = seen.get(path);
        if (other !== undefined) throw new ShardError(`${path} is in two shards, ${other} and ${f.name}: the set mixes runs; compute the shards again into an empty folder.`);
        seen.set(path, f.name);
        const belongs = shardOfPath(path, set.count);
        if (belongs !== f.header.shard.index) throw new ShardError(`${f.name} holds ${path}, which belongs to shard ${belongs} of ${set.count}: the file was not written by this program's sharding.`);
        const features = floats(r.features);
        if (features.length !== set.header.size) throw new ShardError(`${f.name}: ${path} has ${features.length} feature values, the set's front end gives ${set.header.size}.`);
        const item: PreparedItem & { order: number } = {
          order: r.order as number,
          path,
          dataset: r.dataset as string,
          speaker: r.speaker as string,
          gender: r.gender as Gender,
          emotion: r.emotion as Emotion,
          emotionCode: r.emotion_code as string,
          ...(r.intensity != null ? { intensity: r.intensity as CorpusItem["intensity"] } : {}),
          ...(r.statement != null ? { statement: r.statement as string } : {}),
          ...(r.speaker_known === false ? { speakerKnown: false as const } : {}),
          contentHash: r.file_hash as string,
          durationS: r.duration_s as number,
          sampleRateHz: r.sample_rate_hz as number,
          channelCount: r.channel_count as number,
          features,
          ...(views.length > 0 ? { views: Object.fromEntries(views.map((v) => [v, floats(r[viewColumn(v)])])) } : {}),
        };
        items.push(item);
      }
      start = end;
    }
  }
  items.sort((a, b) => a.order - b.order);
  // What one reading would have done across shards, in its order: the labelling first (a copy
  // whose emotion is left out is skipped before it can count as a duplicate), then later
  // byte-identical copies, then other encodings of one built-in recording (not with a manifest).
  const dropped: { seq: number; path: string; reason: string }[] = [];
  const firstOfHash = new Map<string, string>();
  const unique = items.filter((i) => {
    const emotion = applyLabelPolicy(i.emotion, labels);
    if (emotion === null) {
      dropped.push({ seq: i.order, path: i.path, reason: notSelected(i.emotion) });
      return false;
    }
    i.emotion = emotion;
    const first = firstOfHash.get(i.contentHash!);
    if (first === undefined) {
      firstOfHash.set(i.contentHash!, i.path);
      return true;
    }
    dropped.push({ seq: i.order, path: i.path, reason: `duplicate: same bytes as ${first}` });
    return false;
  });
  const wrapped = unique.map((item) => ({ seq: item.order, item }));
  const { kept: once, dropped: encodings } = set.header.labelling.manifest ? { kept: wrapped, dropped: [] } : keepOneEncoding(wrapped);
  dropped.push(...encodings);
  // A skip every shard met (a file that is not audio) is reported once.
  const skipped = new Map<string, Skipped>();
  for (const f of set.files) for (const s of f.skipped) skipped.set(`${s.path}\n${s.reason}`, s);
  for (const d of dropped.sort((a, b) => a.seq - b.seq)) skipped.set(`${d.path}\n${d.reason}`, { path: d.path, reason: d.reason });
  return { items: once.map(({ item: { order: _order, ...item } }) => item), skipped: [...skipped.values()] };
}

/**
 * The fields where a front end differs from the one a set of shards was computed with (its
 * normalisation aside: that is applied after reading), or none.
 */
export function frontendDifferences(set: ShardSet, config: FrontendConfig): string[] {
  const want = featureConfig(config) as unknown as Record<string, unknown>;
  const have = set.header.frontend as unknown as Record<string, unknown>;
  const keys = configDifferences(have, want);
  if (keys.length === 0 && shardFingerprint(config, set.header.views) !== set.header.fingerprint) return ["encoder weights or feature code (the shards come from another version)"];
  return keys.map((k) => `${k}: ${JSON.stringify(have[k])} in the shards, ${JSON.stringify(want[k])} asked`);
}

/**
 * A checked set read as the corpus one process would have built from the audio (items in reading
 * order with raw features, normalised by the front end's rule, and the summary), for a front end
 * equal to the shards' (normalisation aside) and the views training asks for.
 */
export async function loadShardCorpus(set: ShardSet, frontend: Frontend, views: readonly FeatureView[], labels: LabelPolicy = {}): Promise<BuiltCorpus> {
  const diff = frontendDifferences(set, frontend.config);
  if (diff.length > 0) throw new ShardError(`the shards hold other features than training asks for (${diff.join("; ")}): train with the shards' settings or compute the shards with these.`);
  const { items, skipped } = await readShardItems(set, views, labels);
  normalizeCorpus(items, frontend);
  return { items, summary: summarizeCorpus(items, skipped), fromCache: 0 };
}
