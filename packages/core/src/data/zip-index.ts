/**
 * Random access to one entry of a zip the caller can read in slices (a browser File, a file on
 * disk): the central directory at the archive's end says where each entry's bytes are, so one
 * recording is read again without streaming the archive up to it. The streaming reader
 * (zip.ts) reads corpora; this is for looking one entry up afterwards (the page's clip viewer and
 * players). Format: PKWARE's APPNOTE.TXT 6.3 (end of central directory 4.3.16, zip64 end and
 * locator 4.3.14-15, central header 4.3.12, local header 4.3.7, zip64 extra field 4.5.3).
 */
import { inflateSync } from "fflate";
import { SerError } from "../errors.ts";
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from "./zip.ts";

/** Reads `length` bytes at `offset` (fewer at the end of the archive). */
export type ReadSlice = (offset: number, length: number) => Promise<Uint8Array>;

export interface ZipIndexEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const u64 = (v: DataView, at: number) => Number(v.getBigUint64(at, true));

/** The archive's entries by name (directories left out), from its central directory. */
export async function readZipIndex(read: ReadSlice, archiveBytes: number, archiveName = "archive"): Promise<Map<string, ZipIndexEntry>> {
  const bad = (why: string) => new SerError("invalid-input", `${archiveName}: ${why}`);
  // The end record is 22 bytes plus a comment of at most 65535.
  const tailLength = Math.min(archiveBytes, 22 + 65535 + 20);
  const tailStart = archiveBytes - tailLength;
  const tail = await read(tailStart, tailLength);
  const tv = view(tail);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw bad("no end of central directory record (not a zip, or truncated)");
  let count = tv.getUint16(at + 10, true);
  let cdSize = tv.getUint32(at + 12, true);
  let cdOffset = tv.getUint32(at + 16, true);
  if (count === 0xffff || cdSize === MAX32 || cdOffset === MAX32) {
    // Zip64: a locator sits just before the end record and points at the zip64 end record.
    if (at < 20 || tv.getUint32(at - 20, true) !== EOCD64_LOCATOR) throw bad("zip64 archive without its end-record locator");
    const end64 = u64(tv, at - 20 + 8);
    const e = view(await read(end64, 56));
    if (e.getUint32(0, true) !== EOCD64) throw bad("zip64 end of central directory record not found");
    count = u64(e, 32);
    cdSize = u64(e, 40);
    cdOffset = u64(e, 48);
  }
  const cd = await read(cdOffset, cdSize);
  const cv = view(cd);
  const entries = new Map<string, ZipIndexEntry>();
  const names = new TextDecoder();
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cv.getUint32(p, true) !== CENTRAL) throw bad(`central directory entry ${n + 1} of ${count} is damaged`);
    const method = cv.getUint16(p + 10, true);
    let compressedSize = cv.getUint32(p + 20, true);
    let size = cv.getUint32(p + 24, true);
    const nameLength = cv.getUint16(p + 28, true);
    const extraLength = cv.getUint16(p + 30, true);
    const commentLength = cv.getUint16(p + 32, true);
    let localHeaderOffset = cv.getUint32(p + 42, true);
    const name = names.decode(cd.subarray(p + 46, p + 46 + nameLength));
    // Zip64 extra field: the 64-bit values, in this order, for those whose 32-bit field is full.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = cv.getUint16(e, true);
      const length = cv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === MAX32) (size = u64(cv, q), q += 8);
        if (compressedSize === MAX32) (compressedSize = u64(cv, q), q += 8);
        if (localHeaderOffset === MAX32) localHeaderOffset = u64(cv, q);
      }
      e += 4 + length;
    }
    if (!name.endsWith("/")) entries.set(name, { name, method, compressedSize, size, localHeaderOffset });
    p = extraEnd + commentLength;
  }
  return entries;
}

/** One entry's bytes: its local header read for where the data starts, then the data, inflated. */
export async function readZipEntry(read: ReadSlice, entry: ZipIndexEntry, archiveName = "archive", limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<Uint8Array> {
  const bad = (why: string) => new SerError("invalid-input", `${archiveName}/${entry.name}: ${why}`);
  // The directory's sizes are the archive's word: the same limits as a streamed read, checked before allocating.
  const MIB = 1024 * 1024;
  if (entry.size > limits.maxEntryBytes) throw bad(`entry expands to ${(entry.size / MIB).toFixed(0)} MiB, over the ${(limits.maxEntryBytes / MIB).toFixed(0)} MiB per-file limit`);
  if (entry.size > MIB && entry.size > entry.compressedSize * limits.maxRatio) throw bad(`entry expands ${(entry.size / Math.max(1, entry.compressedSize)).toFixed(0)}x, over the ${limits.maxRatio}x limit`);
  const header = view(await read(entry.localHeaderOffset, 30));
  if (header.byteLength < 30 || header.getUint32(0, true) !== LOCAL) throw bad("local file header not found where the central directory says");
  const start = entry.localHeaderOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
  const data = await read(start, entry.compressedSize);
  if (data.length !== entry.compressedSize) throw bad("the archive ends inside the entry");
  if (entry.method === 0) return data;
  if (entry.method !== 8) throw bad(`zip compression method ${entry.method} is not supported (only stored and deflate)`);
  const out = inflateSync(data, { out: new Uint8Array(entry.size) });
  if (out.length !== entry.size) throw bad(`inflated to ${out.length} bytes, the directory says ${entry.size}`);
  return out;
}
