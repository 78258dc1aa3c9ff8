/**
 * Property tests (fast-check, bounded so CI stays quick): whatever bytes or names come in, the
 * WAV decoder, the zip reader and the name parsers either succeed or throw our typed SerError;
 * nothing else escapes (no RangeError from a DataView, no hang, no crash).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { join } from "node:path";
import { decodeWav } from "./audio/wav-decode.ts";
import { createZipReader } from "./data/zip.ts";
import { parseName } from "./data/naming.ts";
import { createIngestor } from "./data/ingest.ts";
import { SerError } from "./errors.ts";
import { FIXTURES } from "../test/helpers.ts";
import { zipSync } from "fflate";

const RUNS = Number(Deno.env.get("SER_FUZZ_RUNS") ?? 300);
const seedWav = Deno.readFileSync(join(FIXTURES, "wav", "list-fllr-fact-odd-chunks.wav"));

function onlyTypedErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof SerError, `untyped error escaped: ${(e as Error)?.stack ?? e}`);
  }
}

/** Mutations of a valid file: byte flips, truncation, insertion: closer to real damage than random bytes. */
const mutatedWav = fc.tuple(
  fc.array(fc.tuple(fc.nat(seedWav.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
  fc.nat(seedWav.length),
  fc.uint8Array({ maxLength: 16 }),
).map(([flips, cut, insert]) => {
  const b = seedWav.slice();
  for (const [at, v] of flips) b[at] = v;
  const out = new Uint8Array([...b.subarray(0, cut), ...insert, ...b.subarray(cut)]);
  return out.subarray(0, Math.max(0, out.length - (cut % 7)));
});

Deno.test("fuzz: the WAV decoder only throws typed errors on damaged files and random bytes", () => {
  fc.assert(fc.property(mutatedWav, (bytes) => onlyTypedErrors(() => decodeWav(bytes, { source: "fuzz.wav" }))), { numRuns: RUNS, seed: 1 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => onlyTypedErrors(() => decodeWav(bytes))), { numRuns: RUNS, seed: 2 });
  // Headers that claim huge sizes must not allocate them.
  fc.assert(fc.property(fc.nat(0xffffffff), fc.nat(0xffff), (size, channels) => {
    const b = seedWav.slice();
    const v = new DataView(b.buffer);
    v.setUint16(22, channels, true);
    const dataAt = new TextDecoder().decode(b).indexOf("data");
    v.setUint32(dataAt + 4, size, true);
    onlyTypedErrors(() => decodeWav(b));
  }), { numRuns: RUNS, seed: 3 });
});

const validZip = zipSync({ "Actor_01/03-01-05-02-01-01-01.wav": seedWav, "b.txt": new Uint8Array([1, 2, 3]) });

Deno.test("fuzz: the zip reader only reports skips or throws typed errors on damaged archives", () => {
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.nat(validZip.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
    fc.nat(validZip.length),
    fc.integer({ min: 1, max: 512 }),
    (flips, cut, chunk) => {
      const b = validZip.slice(0, cut);
      for (const [at, v] of flips) if (at < b.length) b[at] = v;
      onlyTypedErrors(() => {
        const r = createZipReader("fuzz.zip");
        const ingest = createIngestor();
        for (let at = 0; at < b.length; at += chunk) {
          for (const ev of r.push(b.subarray(at, at + chunk), false)) if (ev.kind === "entry") ingest.admit(ev.path, ev.bytes);
        }
        for (const ev of r.push(new Uint8Array(0), true)) if (ev.kind === "entry") ingest.admit(ev.path, ev.bytes);
      });
    },
  ), { numRuns: RUNS, seed: 4 });
});

Deno.test("fuzz: name parsers return metadata or a reason for any path", () => {
  const piece = fc.stringMatching(/^[0-9A-Za-z_\-.]{0,12}$/);
  fc.assert(fc.property(fc.array(fc.oneof(piece, fc.string(), fc.constant("..")), { maxLength: 5 }), fc.constantFrom("auto", "ravdess", "savee", "crema-d", "tess"), (parts, dataset) => {
    const r = parseName(parts.join("/") + ".wav", dataset as "auto");
    assert.ok(typeof r === "string" ? r.length > 0 : typeof r.speaker === "string");
  }), { numRuns: RUNS * 3, seed: 5 });
});
