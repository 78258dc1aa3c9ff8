import assert from "node:assert/strict";
import { zipSync } from "fflate";
import { readZipEntry, readZipIndex, type ReadSlice } from "./zip-index.ts";
import { DEFAULT_ZIP_LIMITS } from "./zip.ts";

const enc = new TextEncoder();
const slices = (bytes: Uint8Array): { read: ReadSlice; reads: number[] } => {
  const reads: number[] = [];
  return { reads, read: async (offset, length) => (reads.push(length), bytes.slice(offset, offset + length)) };
};

Deno.test("zip index: every entry of fflate's zip read back by itself (stored and deflated, nested folders, a comment), reading only slices", async () => {
  const files: Record<string, Uint8Array> = {
    "Actor_01/03-01-05-01-01-01-01.wav": new Uint8Array(50_000).map((_, i) => (i * 7) % 251),
    "Actor_01/émotions.txt": enc.encode("caf\u00e9 ".repeat(100)),
    "empty.txt": new Uint8Array(0),
  };
  for (const level of [0, 6] as const) {
    const zip = zipSync({ ...files, "folder/": new Uint8Array(0) }, { level, comment: "a comment at the end" });
    const { read, reads } = slices(zip);
    const index = await readZipIndex(read, zip.length, "test.zip");
    assert.deepEqual([...index.keys()].sort(), Object.keys(files).sort(), "directories are left out");
    for (const [name, bytes] of Object.entries(files)) {
      reads.length = 0;
      const entry = index.get(name)!;
      assert.deepEqual(await readZipEntry(read, entry, "test.zip"), bytes, `${name} at level ${level}`);
      // An entry costs its local header and its own compressed bytes, nothing more.
      assert.deepEqual(reads, [30, entry.compressedSize], name);
    }
  }
});

/** A stored-only zip64 archive: 32-bit fields full, the values in zip64 extra fields, zip64 end records. */
function zip64(entries: [string, Uint8Array][]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const push = (b: Uint8Array) => (parts.push(b), (offset += b.length));
  for (const [name, data] of entries) {
    const n = enc.encode(name);
    const local = new Uint8Array(30 + n.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, n.length, true);
    local.set(n, 30);
    const at = offset;
    push(local);
    push(data);
    const c = new Uint8Array(46 + n.length + 28);
    const cv = new DataView(c.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint32(20, 0xffffffff, true);
    cv.setUint32(24, 0xffffffff, true);
    cv.setUint16(28, n.length, true);
    cv.setUint16(30, 28, true);
    cv.setUint32(42, 0xffffffff, true);
    c.set(n, 46);
    const e = 46 + n.length;
    cv.setUint16(e, 0x0001, true);
    cv.setUint16(e + 2, 24, true);
    cv.setBigUint64(e + 4, BigInt(data.length), true);
    cv.setBigUint64(e + 12, BigInt(data.length), true);
    cv.setBigUint64(e + 20, BigInt(at), true);
    central.push(c);
  }
  const cdOffset = offset;
  for (const c of central) push(c);
  const cdSize = offset - cdOffset;
  const end64At = offset;
  const end64 = new Uint8Array(56);
  const e64 = new DataView(end64.buffer);
  e64.setUint32(0, 0x06064b50, true);
  e64.setBigUint64(24, BigInt(entries.length), true);
  e64.setBigUint64(32, BigInt(entries.length), true);
  e64.setBigUint64(40, BigInt(cdSize), true);
  e64.setBigUint64(48, BigInt(cdOffset), true);
  push(end64);
  const locator = new Uint8Array(20);
  const lo = new DataView(locator.buffer);
  lo.setUint32(0, 0x07064b50, true);
  lo.setBigUint64(8, BigInt(end64At), true);
  push(locator);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, 0xffff, true);
  ev.setUint16(10, 0xffff, true);
  ev.setUint32(12, 0xffffffff, true);
  ev.setUint32(16, 0xffffffff, true);
  push(end);
  const out = new Uint8Array(offset);
  let p = 0;
  for (const b of parts) (out.set(b, p), (p += b.length));
  return out;
}

Deno.test("zip index: zip64 end records and extra fields (archives over 4 GiB or 65,535 entries)", async () => {
  const a = enc.encode("first");
  const b = new Uint8Array(1000).map((_, i) => i % 256);
  const zip = zip64([["a.wav", a], ["dir/b.wav", b]]);
  const { read } = slices(zip);
  const index = await readZipIndex(read, zip.length, "big.zip");
  assert.deepEqual([...index.keys()], ["a.wav", "dir/b.wav"]);
  assert.deepEqual(await readZipEntry(read, index.get("dir/b.wav")!), b);
  assert.deepEqual(await readZipEntry(read, index.get("a.wav")!), a);
});

Deno.test("zip index: a file that is not a zip, or a truncated one, is refused naming the archive", async () => {
  const junk = enc.encode("RIFF....WAVEfmt not a zip at all");
  await assert.rejects(readZipIndex(slices(junk).read, junk.length, "notes.zip"), /notes\.zip: no end of central directory record/);
  const zip = zipSync({ "x.wav": new Uint8Array(5000).fill(3) }, { level: 0 });
  const index = await readZipIndex(slices(zip).read, zip.length, "t.zip");
  const cut = zip.slice(0, 40);
  await assert.rejects(readZipEntry(slices(cut).read, index.get("x.wav")!, "t.zip"), /t\.zip\/x\.wav: the archive ends inside the entry/);
});

Deno.test("zip index: an entry over the per-file or expansion limit is refused before it is allocated, naming it", async () => {
  const zip = zipSync({ "a/big.wav": new Uint8Array(3 * 1024 * 1024) }, { level: 9 });
  const { read } = slices(zip);
  const entry = (await readZipIndex(read, zip.length, "test.zip")).get("a/big.wav")!;
  await assert.rejects(readZipEntry(read, entry, "test.zip", { ...DEFAULT_ZIP_LIMITS, maxEntryBytes: 1024 * 1024 }), /test\.zip\/a\/big\.wav: entry expands to 3 MiB, over the 1 MiB per-file limit/);
  await assert.rejects(readZipEntry(read, entry, "test.zip"), /a\/big\.wav: entry expands \d+x, over the 200x limit/);
  assert.equal((await readZipEntry(read, entry, "test.zip", { ...DEFAULT_ZIP_LIMITS, maxRatio: 1e6 })).length, 3 * 1024 * 1024);
});
