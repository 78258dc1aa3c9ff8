import assert from "node:assert/strict";
import { inflateSync, strToU8, Zip, ZipDeflate, ZipPassThrough, zipSync } from "fflate";
import { createZipReader, DEFAULT_ZIP_LIMITS, type ZipEvent } from "./zip.ts";
import { SerError } from "../errors.ts";

/** Feeds `bytes` to a reader in chunks of `chunk` bytes, as a file stream would. */
function readAll(name: string, bytes: Uint8Array, chunk = 100_000, limits = DEFAULT_ZIP_LIMITS): ZipEvent[] {
  const reader = createZipReader(name, limits);
  const events: ZipEvent[] = [];
  for (let at = 0; at < bytes.length; at += chunk) events.push(...reader.push(bytes.subarray(at, at + chunk), false));
  events.push(...reader.push(new Uint8Array(0), true));
  return events;
}

/** A streamed zip (sizes in data descriptors, like `zip -` or browser-made archives). */
function streamedZip(entries: [string, Uint8Array | ((push: (b: Uint8Array, final: boolean) => void) => void)][], deflate = true): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    parts.push(data);
  });
  for (const [name, content] of entries) {
    const f = deflate ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
    zip.add(f);
    if (typeof content === "function") content((b, final) => f.push(b, final));
    else f.push(content, true);
  }
  zip.end();
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

Deno.test("zip reader streams entries of stored and deflated archives, in any chunk size", () => {
  const a = new Uint8Array(300_000).map((_, i) => (i * 7) & 255);
  const b = strToU8("hello");
  for (const bytes of [zipSync({ "x/a.bin": a, "b.txt": b, "dir/": new Uint8Array(0) }), streamedZip([["x/a.bin", a], ["b.txt", b]])]) {
    for (const chunk of [1, 997, 1 << 20]) {
      if (chunk === 1 && bytes.length > 50_000) continue;
      const events = readAll("t.zip", bytes, chunk);
      assert.deepEqual(events.map((e) => [e.kind, e.path]), [["entry", "t.zip/x/a.bin"], ["entry", "t.zip/b.txt"]]);
      assert.deepEqual((events[0] as { bytes: Uint8Array }).bytes, a);
    }
  }
});

/**
 * A raw deflate stream of 1 + 258 * matches zero bytes, written by hand so the test needs no
 * gigabyte of input: one dynamic-Huffman block whose codes are 285 (length 258) = "0",
 * literal 0 = "10", end of block = "11", and distance 1 = "0"; after the first literal every
 * match costs two zero bits, so the body is all zero bytes (RFC 1951, ratio ~1032:1).
 */
function zeroBomb(matches: number): Uint8Array {
  const out = new Uint8Array(64 + Math.ceil((2 * matches) / 8));
  let bit = 0;
  const put = (value: number, n: number) => { // LSB-first, as deflate packs header fields
    for (let i = 0; i < n; i++, bit++) if ((value >> i) & 1) out[bit >> 3]! |= 1 << (bit & 7);
  };
  const code = (bits: string) => { // Huffman codes go in MSB-first
    for (const b of bits) put(b === "1" ? 1 : 0, 1);
  };
  put(1, 1); // BFINAL
  put(2, 2); // BTYPE = dynamic
  put(286 - 257, 5); // HLIT
  put(0, 5); // HDIST: one distance code
  put(18 - 4, 4); // HCLEN: code-length codes up to symbol 1 in the permuted order
  const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
  const clen: Record<number, number> = { 18: 1, 1: 2, 2: 2 }; // codes: 18 -> 0, 1 -> 10, 2 -> 11
  for (const sym of order) put(clen[sym] ?? 0, 3);
  const zeros = (n: number) => { code("0"); put(n - 11, 7); }; // symbol 18: 11..138 zeros
  code("11"); // sym 0: length 2
  zeros(138); zeros(117); // syms 1..255: unused
  code("11"); // sym 256: length 2
  zeros(28); // syms 257..284
  code("10"); // sym 285: length 1
  code("10"); // distance 0: length 1
  code("10"); // literal 0
  bit += 2 * matches; // (285, distance 1) = "0" + "0", repeated
  code("11"); // end of block
  return out.subarray(0, (bit + 7) >> 3);
}

/** Wraps a raw deflate stream as a streamed zip entry (sizes only in the data descriptor). */
function streamedDeflateEntry(name: string, deflated: Uint8Array, size: number): Uint8Array {
  const nameBytes = strToU8(name);
  const local = new Uint8Array(30 + nameBytes.length);
  const v = new DataView(local.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, 20, true);
  v.setUint16(6, 0x0008, true); // sizes follow in a data descriptor
  v.setUint16(8, 8, true); // deflate
  v.setUint16(26, nameBytes.length, true);
  local.set(nameBytes, 30);
  const desc = new Uint8Array(16);
  const d = new DataView(desc.buffer);
  d.setUint32(0, 0x08074b50, true);
  d.setUint32(8, deflated.length, true);
  d.setUint32(12, size >>> 0, true);
  const out = new Uint8Array(local.length + deflated.length + desc.length);
  out.set(local);
  out.set(deflated, local.length);
  out.set(desc, local.length + deflated.length);
  return out;
}

Deno.test("the hand-made zero bomb is valid deflate", () => {
  const small = inflateSync(zeroBomb(10));
  assert.equal(small.length, 1 + 258 * 10);
  assert.ok(small.every((b) => b === 0));
});

Deno.test("zip reader refuses a 1 GB-expanding zip bomb by its limits, without inflating it", () => {
  const matches = Math.ceil(2 ** 30 / 258);
  const deflated = zeroBomb(matches);
  const bomb = new Uint8Array([
    ...streamedDeflateEntry("bomb.wav", deflated, 1 + 258 * matches),
    ...zipSync({ "after.txt": strToU8("still read") }).subarray(0, 30 + 9 + 10), // local header + name + stored data
  ]);
  assert.ok(bomb.length < 1.1e6, `bomb is ${bomb.length} bytes compressed`);
  const before = Deno.memoryUsage().rss;
  const events = readAll("bomb.zip", bomb, 1 << 20);
  const grown = Deno.memoryUsage().rss - before;
  const skip = events.find((e) => e.path === "bomb.zip/bomb.wav");
  assert.equal(skip?.kind, "skip");
  assert.match((skip as { reason: string }).reason, /expands more than 200x its compressed size/);
  if (Deno.env.get("SER_PRINT_ERRORS")) console.log(`bomb: RSS grew by ${(grown / 2 ** 20).toFixed(0)} MiB`);
  assert.ok(grown < 256 << 20, `memory grew by ${(grown / 2 ** 20).toFixed(0)} MiB`);
});

Deno.test("zip reader stops a bomb at the per-entry limit when the ratio limit is off", () => {
  const deflated = zeroBomb(Math.ceil(2 ** 30 / 258));
  const events = readAll("bomb.zip", streamedDeflateEntry("bomb.wav", deflated, 0), 1 << 20, { ...DEFAULT_ZIP_LIMITS, maxRatio: Infinity });
  assert.match((events[0] as { reason: string }).reason, /expands beyond the 160 MiB per-file limit/);
});

Deno.test("zip reader enforces the per-entry size limit when the header declares the size", () => {
  const big = zipSync({ "big.wav": new Uint8Array(3 << 20).map((_, i) => (i * 2654435761) >>> 24) }, { level: 0 });
  const events = readAll("big.zip", big, 1 << 20, { ...DEFAULT_ZIP_LIMITS, maxEntryBytes: 1 << 20 });
  assert.equal(events.length, 1);
  assert.match((events[0] as { reason: string }).reason, /expands to 3 MiB, over the 1 MiB per-file limit/);
});

Deno.test("zip reader reports a truncated entry and keeps the complete ones", () => {
  const bytes = zipSync({ "a.txt": strToU8("first entry"), "b.bin": new Uint8Array(200_000).map((_, i) => i & 255) }, { level: 0 });
  const cut = bytes.subarray(0, 100_000);
  const events = readAll("cut.zip", cut, 4096);
  assert.deepEqual(events.map((e) => [e.kind, e.path]), [["entry", "cut.zip/a.txt"], ["skip", "cut.zip/b.bin"]]);
  assert.match((events[1] as { reason: string }).reason, /truncated/);
});

Deno.test("zip reader opens a zip inside a zip and names entries by their full path", () => {
  const inner = zipSync({ "Actor_01/x.wav": strToU8("RIFF") });
  const outer = zipSync({ "inner.zip": inner, "top.txt": strToU8("t") });
  const events = readAll("outer.zip", outer);
  assert.deepEqual(events.map((e) => e.path).sort(), ["outer.zip/inner.zip/Actor_01/x.wav", "outer.zip/top.txt"]);
});

Deno.test("a zip inside a zip streams entry by entry: larger than the per-file limit, it is still read; one total budget covers every level", () => {
  const noise = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (Math.imul(i + seed, 2654435761) >>> 24) & 255);
  // Stored (level 0): the inner zip is 3 x 600 kB, over a 1 MiB per-file limit, and no entry inflates more than ~1x.
  const inner = zipSync({ "a.bin": noise(600_000, 1), "b.bin": noise(600_000, 2), "c.bin": noise(600_000, 3) }, { level: 0 });
  const outer = zipSync({ "inner.zip": inner, "top.bin": noise(600_000, 4) }, { level: 0 });
  const limits = { ...DEFAULT_ZIP_LIMITS, maxEntryBytes: 1024 * 1024 };
  const events = readAll("outer.zip", outer, 64 * 1024, limits);
  assert.deepEqual(events.map((e) => [e.kind, e.path]).sort(), [
    ["entry", "outer.zip/inner.zip/a.bin"], ["entry", "outer.zip/inner.zip/b.bin"], ["entry", "outer.zip/inner.zip/c.bin"], ["entry", "outer.zip/top.bin"],
  ]);
  assert.deepEqual((events.find((e) => e.path.endsWith("b.bin")) as { bytes: Uint8Array }).bytes, noise(600_000, 2));
  // Every entry inflated at any level counts toward one total: the inner entries (1.8 MB) and the
  // top-level file (0.6 MB) do not fit a 2 MiB budget together.
  const tight = readAll("outer.zip", outer, 64 * 1024, { ...limits, maxTotalBytes: 2 * 1024 * 1024 });
  const over = tight.filter((e) => e.kind === "skip" && /total limit/.test(e.reason));
  assert.ok(over.length >= 1, JSON.stringify(tight.map((e) => [e.kind, e.path])));
  assert.ok(tight.filter((e) => e.kind === "entry").length < 4);
  // A damaged inner zip is one skip; the outer archive's other entries are still read.
  const broken = zipSync({ "bad.zip": strToU8("PK\u0003\u0004 but nothing else"), "ok.txt": strToU8("ok") });
  const b = readAll("outer.zip", broken);
  assert.ok(b.some((e) => e.kind === "entry" && e.path === "outer.zip/ok.txt"));
  assert.ok(b.some((e) => e.kind === "skip" && e.path.startsWith("outer.zip/bad.zip")), JSON.stringify(b));
});

Deno.test("zip reader refuses bytes that are not a zip, and an empty file, with the archive name", () => {
  assert.throws(() => readAll("fake.zip", strToU8("just text, no zip here")), (e: unknown) => {
    assert.ok(e instanceof SerError);
    assert.match(e.message, /^fake\.zip: not a zip archive/);
    return true;
  });
  assert.throws(() => readAll("empty.zip", new Uint8Array(0)), /empty\.zip: zip archive is empty/);
});

Deno.test("zip reader reports corruption inside an archive as a skip, keeping entries before it", () => {
  const bytes = zipSync({ "a.txt": strToU8("good"), "b.bin": new Uint8Array(50_000).map((_, i) => (i * 31) & 255) }, { level: 9 });
  const broken = bytes.slice();
  // Scribble over the middle of b.bin's deflate stream.
  for (let i = 200; i < 400; i++) broken[i] = 0xff;
  const events = readAll("broken.zip", broken);
  assert.equal(events[0]?.kind, "entry");
  assert.ok(events.slice(1).every((e) => e.kind === "skip"), JSON.stringify(events.map((e) => [e.kind, e.path])));
  assert.ok(events.length >= 2);
});

Deno.test("zip reader caps the number of entries", () => {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < 50; i++) files[`f${i}.txt`] = strToU8(String(i));
  const events = readAll("many.zip", zipSync(files), 1 << 20, { ...DEFAULT_ZIP_LIMITS, maxEntries: 20 });
  assert.equal(events.filter((e) => e.kind === "entry").length, 20);
  assert.match((events.find((e) => e.kind === "skip") as { reason: string }).reason, /more than 20 entries/);
});
