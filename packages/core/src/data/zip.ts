import { Unzip, UnzipInflate } from "fflate";
import { SerError } from "../errors.ts";

/** Limits that keep a hostile or broken archive from exhausting memory. Documented in the README. */
export interface ZipLimits {
  /** Largest decompressed entry read (bytes). */
  maxEntryBytes: number;
  /** Largest total decompressed size over the whole archive, zips inside it included (bytes). */
  maxTotalBytes: number;
  /** Most entries (files) read from one archive. */
  maxEntries: number;
  /** Largest expansion ratio accepted for entries over 1 MiB (WAV audio deflates ~1.1–3x). */
  maxRatio: number;
  /** How deep zips inside zips are opened. */
  maxDepth: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 160 * 1024 * 1024,
  maxTotalBytes: 16 * 1024 * 1024 * 1024,
  maxEntries: 200_000,
  maxRatio: 200,
  maxDepth: 2,
};

export type ZipEvent =
  | { kind: "entry"; path: string; bytes: Uint8Array }
  | { kind: "skip"; path: string; reason: string };

export interface ZipReader {
  /** Feeds the next piece of the archive; returns entries completed (or skipped) by it. */
  push(chunk: Uint8Array, final: boolean): ZipEvent[];
}

/** fflate inflates a whole pushed chunk at once; small pushes bound the output of any one (≈1032x). */
const PUSH_BYTES = 16 * 1024;
const MIB = 1024 * 1024;

/**
 * Streaming zip reader: entries come out one by one as the archive's bytes are pushed in,
 * so a multi-gigabyte archive never sits decompressed in memory. A zip inside it streams the same
 * way, entry by entry, as its bytes are inflated (never whole in memory, so the per-file limit
 * does not apply to it), and draws on the outer archive's one total-size budget (`shared`).
 * Entries inside nested zips are reported as "outer.zip/inner.zip/name". Directory entries are
 * ignored.
 */
export function createZipReader(archiveName: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS, depth = 0, shared = { totalBytes: 0 }): ZipReader {
  const events: ZipEvent[] = [];
  let entries = 0;
  let sawHeader = false;
  let failed = false;
  // Archive bytes handed to fflate so far, counting the piece being pushed: lets the ratio
  // limit work for streamed archives whose headers leave the compressed size out.
  let pushedEnd = 0;
  let firstBytes: Uint8Array | undefined;
  const open = new Map<string, { chunks: Uint8Array[]; size: number; done: boolean }>();
  const unzip = new Unzip((file) => {
    const path = `${archiveName}/${file.name}`;
    if (file.name.endsWith("/")) return;
    entries++;
    if (entries > limits.maxEntries) {
      if (entries === limits.maxEntries + 1) {
        events.push({ kind: "skip", path: archiveName, reason: `archive has more than ${limits.maxEntries} entries; the rest are not read (limit maxEntries)` });
      }
      return;
    }
    if (file.compression !== 0 && file.compression !== 8) {
      events.push({ kind: "skip", path, reason: `zip compression method ${file.compression} is not supported (only stored and deflate)` });
      return;
    }
    const nested = /\.zip$/i.test(file.name) && depth < limits.maxDepth;
    if (!nested && file.originalSize !== undefined && file.originalSize > limits.maxEntryBytes) {
      events.push({ kind: "skip", path, reason: `entry expands to ${(file.originalSize / MIB).toFixed(0)} MiB, over the ${(limits.maxEntryBytes / MIB).toFixed(0)} MiB per-file limit` });
      return;
    }
    const state = { chunks: [] as Uint8Array[], size: 0, done: false };
    const startedAt = pushedEnd - PUSH_BYTES;
    open.set(path, state);
    // A nested zip is read as it inflates; a bad one is one skip, never the outer archive's end.
    let inner: ZipReader | undefined = nested ? createZipReader(path, limits, depth + 1, shared) : undefined;
    const feedInner = (data: Uint8Array, final: boolean) => {
      try {
        events.push(...inner!.push(data, final));
      } catch (e) {
        inner = undefined;
        state.done = true;
        open.delete(path);
        file.terminate();
        events.push({ kind: "skip", path, reason: (e as Error).message.replace(`${path}: `, "") });
      }
    };
    file.ondata = (err, data, final) => {
      if (state.done) return;
      if (err) {
        state.done = true;
        open.delete(path);
        events.push({ kind: "skip", path, reason: `could not decompress (${err.message}): the entry is damaged, or password-protected (encrypted zips are not supported)` });
        return;
      }
      state.size += data.length;
      // A nested zip's own bytes are not counted: its entries are, as they inflate.
      if (!nested) shared.totalBytes += data.length;
      const overEntry = !nested && state.size > limits.maxEntryBytes;
      const compressed = file.size || Math.max(PUSH_BYTES, pushedEnd - startedAt);
      const overRatio = state.size > MIB && state.size > compressed * limits.maxRatio;
      const overTotal = shared.totalBytes > limits.maxTotalBytes;
      if (overEntry || overRatio || overTotal) {
        state.done = true;
        open.delete(path);
        file.terminate();
        events.push({
          kind: "skip",
          path,
          reason: overEntry
            ? `entry expands beyond the ${(limits.maxEntryBytes / MIB).toFixed(0)} MiB per-file limit (zip bomb or not audio)`
            : overRatio
            ? `entry expands more than ${limits.maxRatio}x its compressed size (zip bomb?)`
            : `archive expands beyond the ${(limits.maxTotalBytes / MIB).toFixed(0)} MiB total limit`,
        });
        return;
      }
      if (nested) {
        if (inner) feedInner(data, final);
        if (final) {
          state.done = true;
          open.delete(path);
        }
        return;
      }
      state.chunks.push(data);
      if (final) {
        state.done = true;
        open.delete(path);
        const bytes = concat(state.chunks, state.size);
        state.chunks = [];
        events.push({ kind: "entry", path, bytes });
      }
    };
    try {
      file.start();
    } catch (e) {
      open.delete(path);
      events.push({ kind: "skip", path, reason: `could not decompress: ${(e as Error).message}` });
    }
  });
  unzip.register(UnzipInflate);

  return {
    push(chunk, final) {
      if (!sawHeader && chunk.length > 0) {
        // Wait for 4 bytes before judging the signature: streams may deliver them one by one.
        firstBytes = firstBytes === undefined ? chunk.slice(0, 4) : new Uint8Array([...firstBytes, ...chunk.subarray(0, 4)]).slice(0, 4);
        if (firstBytes.length >= 4 || final) {
          sawHeader = firstBytes[0] === 0x50 && firstBytes[1] === 0x4b && (firstBytes[2] === 3 || firstBytes[2] === 5);
          if (!sawHeader) {
            throw new SerError("invalid-input", "not a zip archive (it does not start with a PK signature)", archiveName);
          }
        }
      }
      if (!failed) {
        try {
          if (chunk.length === 0) unzip.push(chunk, final);
          for (let at = 0; at < chunk.length; at += PUSH_BYTES) {
            const end = Math.min(chunk.length, at + PUSH_BYTES);
            pushedEnd += end - at;
            unzip.push(chunk.subarray(at, end), final && end === chunk.length);
          }
        } catch (e) {
          failed = true;
          // At the end of the input an open entry explains the error better ("truncated", below).
          if (!(final && open.size > 0)) {
            events.push({ kind: "skip", path: archiveName, reason: `archive is corrupt or truncated (${(e as Error).message}); entries after this point are not read` });
          }
        }
      }
      if (final) {
        if (firstBytes === undefined) throw new SerError("invalid-input", "zip archive is empty (0 bytes)", archiveName);
        for (const path of open.keys()) {
          events.push({ kind: "skip", path, reason: "entry is truncated: the archive ends inside it" });
        }
        open.clear();
        // Nothing is lost silently: an archive that yielded no entry at all is reported.
        if (entries === 0 && !failed) events.push({ kind: "skip", path: archiveName, reason: "archive holds no readable entry: it is empty, damaged or truncated" });
      }
      return events.splice(0, events.length);
    },
  };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
