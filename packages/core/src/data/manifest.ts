/**
 * CSV manifests: a user's own corpus described row by row, the way Edge Impulse exports and most
 * research corpora ship it. Columns (header names, any order, case-insensitive): `path`,
 * `emotion`, `speaker` required; `gender` and `dataset` optional; other columns are ignored.
 * Paths are relative to the manifest (or entries of zips given alongside); a file is matched to
 * the row whose path is the longest tail of the file's path. A row with a problem is reported
 * (row and column named) and skipped, never fatal to the others; a manifest without a required
 * column, or with no row, is an error. Parsing is Papa Parse's (RFC 4180 quoting, BOM, CRLF).
 */
import Papa from "papaparse";
import { SerError } from "../errors.ts";
import type { Gender, NameInfo, Skipped } from "./corpus.ts";
import { labelName } from "./labels.ts";
import { pathParts } from "./naming.ts";

export interface ManifestRow {
  /** 1-based line of the row in the file (the header is line 1). */
  line: number;
  /** The path as written, and its parts (separators and "." dropped) joined by "/": what files are matched by. */
  path: string;
  key: string;
  info: NameInfo;
}

export interface Manifest {
  /** The manifest's name, as errors and skips show it. */
  source: string;
  rows: ManifestRow[];
  /** Rows that could not be used, each with its line and column named (a file they name is skipped with it). */
  rejected: (Skipped & { key: string })[];
}

function parseGender(text: string): Gender | undefined {
  const t = text.trim().toLowerCase();
  if (t === "") return "unknown";
  if (t === "m" || t === "male" || t === "man") return "male";
  if (t === "f" || t === "female" || t === "woman") return "female";
  if (t === "unknown" || t === "u" || t === "x" || t === "other") return "unknown";
  return undefined;
}

/** Whether a CSV's header names path, emotion and speaker: a manifest, not some other table dropped along (CREMA-D's VideoDemographics.csv). */
export function looksLikeManifest(text: string): boolean {
  const header = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { preview: 1 }).data[0] ?? [];
  const names = header.map((h) => h.trim().toLowerCase());
  return ["path", "emotion", "speaker"].every((c) => names.includes(c));
}

export function parseManifest(text: string, source: string): Manifest {
  // Blank lines are kept (and skipped below) so that row r is line r + 1 of the file.
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: false });
  const blank = (cells: string[]) => cells.every((c) => c.trim() === "");
  while (parsed.data.length > 0 && blank(parsed.data[parsed.data.length - 1]!)) parsed.data.pop();
  const table = parsed.data;
  if (table.length === 0) throw new SerError("invalid-input", `${source}: the manifest is empty (expected a header with path, emotion, speaker).`);
  const header = table[0]!.map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const missing = ["path", "emotion", "speaker"].filter((c) => col(c) < 0);
  if (missing.length > 0) {
    throw new SerError("invalid-input", `${source}: the header has no ${missing.join(", ")} column${missing.length > 1 ? "s" : ""} (found: ${header.join(", ") || "nothing"}); a manifest needs path, emotion and speaker.`);
  }
  const [ip, ie, is, ig, id] = [col("path"), col("emotion"), col("speaker"), col("gender"), col("dataset")];
  const rows: ManifestRow[] = [];
  // A large manifest's rows repeat a few speakers, emotions and folders: one string each, not one
  // per row (a 100,000-row manifest is held by every feature-shard process).
  const strings = new Map<string, string>();
  const intern = (s: string) => strings.get(s) ?? (strings.set(s, s), s);
  const rejected: Manifest["rejected"] = [];
  const seen = new Map<string, number>();
  // Papa Parse reports malformed rows (an unclosed quote, …) by row index.
  const broken = new Map<number, string>();
  for (const e of parsed.errors) if (e.row !== undefined && e.row !== null) broken.set(e.row, e.message);
  for (let r = 1; r < table.length; r++) {
    const cells = table[r]!;
    if (blank(cells)) continue;
    const line = r + 1;
    const at = (i: number) => (i >= 0 ? (cells[i] ?? "").trim() : "");
    const path = at(ip);
    const where = `${source} line ${line}`;
    const key = pathParts(path).join("/");
    const reject = (column: string, reason: string) => rejected.push({ path: path || where, key, reason: `${where}, column ${column}: ${reason}` });
    if (broken.has(r)) {
      rejected.push({ path: path || where, key, reason: `${where}: ${broken.get(r)}` });
      continue;
    }
    if (path === "") {
      reject("path", "empty path");
      continue;
    }
    if (seen.has(key)) {
      reject("path", `'${path}' is already listed on line ${seen.get(key)}`);
      continue;
    }
    const label = at(ie);
    // One of the eight (or a synonym), or any other label, kept as its own class.
    const emotion = labelName(label);
    if (!emotion) {
      reject("emotion", label === "" ? "empty emotion" : `'${label}' is not a usable label (letters, digits, spaces, - or _, at most 40 characters)`);
      continue;
    }
    const speaker = at(is);
    if (speaker === "") {
      reject("speaker", "empty speaker (speaker-independent splits need every recording's speaker)");
      continue;
    }
    const gender = parseGender(at(ig));
    if (!gender) {
      reject("gender", `unknown gender '${at(ig)}' (male, female, m, f, or empty)`);
      continue;
    }
    const dataset = at(id) || "manifest";
    seen.set(key, line);
    // Speakers are namespaced by corpus as the built-in parsers do ("emodb-03"), so ids never collide.
    const speakerId = speaker.startsWith(`${dataset}-`) ? speaker : `${dataset}-${speaker}`;
    rows.push({ line, path, key, info: { dataset: intern(dataset), speaker: intern(speakerId), gender, emotion: intern(emotion), emotionCode: intern(label) } });
  }
  if (rows.length === 0 && rejected.length === 0) throw new SerError("invalid-input", `${source}: the manifest has a header but no rows.`);
  return { source, rows, rejected };
}

/**
 * Matches input files to manifest rows: the row whose path is the longest tail of the file's
 * path. Each row matches one file; a second file on the same row is refused with the first's
 * name. `unmatched()` lists rows no file matched (the file is missing among the inputs).
 */
export function createManifestLookup(m: Manifest) {
  type Entry = { row: ManifestRow } | { rejected: Manifest["rejected"][number] };
  const all: Entry[] = [...m.rows.map((row) => ({ row })), ...m.rejected.map((rejected) => ({ rejected }))];
  // A usable row wins its path; a path only rejected rows name is answered with the first one's reason.
  const byKey = new Map<string, Entry>();
  for (const e of all) {
    const key = "row" in e ? e.row.key : e.rejected.key;
    if (key !== "" && !byKey.has(key)) byKey.set(key, e);
  }
  const used = new Map<Entry, string>();
  return {
    /** The row for `path`, or the reason the file cannot be used (a rejected row's own reason). */
    match(path: string): ManifestRow | string {
      const parts = pathParts(path);
      for (let start = 0; start < parts.length; start++) {
        const entry = byKey.get(parts.slice(start).join("/"));
        if (!entry) continue;
        const first = used.get(entry);
        if (first !== undefined) return `${"row" in entry ? `${m.source} line ${entry.row.line} ('${entry.row.path}')` : "its manifest row"} already describes ${first}`;
        used.set(entry, path);
        return "row" in entry ? entry.row : entry.rejected.reason;
      }
      return `not listed in ${m.source}`;
    },
    /** Rows no input file matched: every rejected row with its reason, usable ones as missing files. */
    unmatched(): Skipped[] {
      return all
        .filter((e) => !used.has(e))
        .map((e) => "row" in e ? { path: e.row.path, reason: `${m.source} line ${e.row.line}: no such file among the inputs` } : { path: e.rejected.path, reason: e.rejected.reason });
    },
  };
}
