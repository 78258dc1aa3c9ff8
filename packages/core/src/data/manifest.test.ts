import assert from "node:assert/strict";
import { createManifestLookup, parseManifest } from "./manifest.ts";
import { createIngestor } from "./ingest.ts";
import { encodeWav } from "../audio/wav-encode.ts";

const csv = [
  "\uFEFFPath,Emotion,Speaker,Gender,Dataset,notes",
  "happy/a.wav,happiness,s1,f,mine,ok",
  '"sad/b, take 2.wav",SAD,s1,female,mine,"quoted, with comma"',
  "angry/c.wav,Frustrated,s2,m,mine,",
  "angry/g.wav,:-(,s2,m,mine,",
  "angry/d.wav,anger,,m,mine,",
  ",neutral,s3,m,mine,",
  "neutral/e.wav,neutral,s3,robot,mine,",
  "happy/a.wav,happy,s9,m,mine,",
  "neutral/f.wav,neutral,mine-s3,,,",
  "",
].join("\r\n");

Deno.test("manifest: header in any case and order with a BOM, quoted cells, synonyms; bad rows named by line and column", () => {
  const m = parseManifest(csv, "labels.csv");
  assert.deepEqual(m.rows.map((r) => [r.line, r.path, r.info.emotion, r.info.speaker, r.info.gender, r.info.dataset]), [
    [2, "happy/a.wav", "happy", "mine-s1", "female", "mine"],
    [3, "sad/b, take 2.wav", "sad", "mine-s1", "female", "mine"],
    // A label outside the eight is its own class.
    [4, "angry/c.wav", "frustrated", "mine-s2", "male", "mine"],
    [10, "neutral/f.wav", "neutral", "manifest-mine-s3", "unknown", "manifest"],
  ]);
  assert.deepEqual(m.rejected.map((r) => r.reason), [
    "labels.csv line 5, column emotion: ':-(' is not a usable label (letters, digits, spaces, - or _, at most 40 characters)",
    "labels.csv line 6, column speaker: empty speaker (speaker-independent splits need every recording's speaker)",
    "labels.csv line 7, column path: empty path",
    "labels.csv line 8, column gender: unknown gender 'robot' (male, female, m, f, or empty)",
    "labels.csv line 9, column path: 'happy/a.wav' is already listed on line 2",
  ]);
});

Deno.test("manifest: a missing required column or no rows is an error naming the file", () => {
  assert.throws(() => parseManifest("file,label\na.wav,happy\n", "x.csv"), /x\.csv: the header has no path, emotion, speaker columns \(found: file, label\)/);
  assert.throws(() => parseManifest("path,emotion,speaker\n", "y.csv"), /y\.csv: the manifest has a header but no rows/);
  assert.throws(() => parseManifest("", "z.csv"), /z\.csv: the manifest is empty/);
});

Deno.test("manifest lookup: the longest tail of a file's path, one file per row, unmatched rows reported", () => {
  const m = parseManifest("path,emotion,speaker\nhappy/a.wav,happy,1\nsad/a.wav,sad,1\nb.wav,angry,2\nc.wav,calm,2\n", "m.csv");
  const look = createManifestLookup(m);
  assert.equal((look.match("/data/corpus/happy/a.wav") as { line: number }).line, 2);
  assert.equal((look.match("corpus.zip/sad/a.wav") as { line: number }).line, 3);
  assert.equal((look.match("x/b.wav") as { line: number }).line, 4);
  assert.equal(look.match("y/b.wav"), "m.csv line 4 ('b.wav') already describes x/b.wav");
  assert.equal(look.match("other/a.wav"), "not listed in m.csv");
  assert.deepEqual(look.unmatched(), [{ path: "c.wav", reason: "m.csv line 5: no such file among the inputs" }]);
});

Deno.test("ingest with a manifest: labels from the rows, a rejected row's file skipped with the row's reason, nothing lost", async () => {
  const wav = (n: number) => encodeWav(new Float32Array(1600).fill(n / 10), 16000);
  const ingestor = createIngestor({ manifest: parseManifest(csv, "dir/labels.csv") });
  ingestor.skip("dir/labels.csv", "never reached: the manifest is metadata");
  for (const [i, path] of ["dir/happy/a.wav", "dir/sad/b, take 2.wav", "dir/angry/c.wav", "dir/unlisted.wav"].entries()) await ingestor.accept(path, wav(i + 1));
  ingestor.admit("dir/labels.csv", new TextEncoder().encode(csv));
  const { items, skipped } = ingestor.finish();
  assert.deepEqual(items.map((i) => [i.path, i.emotion, i.speaker]), [["dir/happy/a.wav", "happy", "mine-s1"], ["dir/sad/b, take 2.wav", "sad", "mine-s1"], ["dir/angry/c.wav", "frustrated", "mine-s2"]]);
  const reasons = skipped.map((s) => `${s.path}: ${s.reason}`);
  assert.ok(reasons.includes("angry/g.wav: labels.csv line 5, column emotion: ':-(' is not a usable label (letters, digits, spaces, - or _, at most 40 characters)".replace("labels.csv", "dir/labels.csv")), reasons.join("\n"));
  assert.ok(reasons.includes("dir/unlisted.wav: not listed in dir/labels.csv"));
  assert.ok(reasons.includes("neutral/f.wav: dir/labels.csv line 10: no such file among the inputs"));
  assert.ok(reasons.some((r) => r.startsWith("angry/d.wav: dir/labels.csv line 6, column speaker")), "a rejected row whose file never came is still reported");
  assert.ok(!reasons.some((r) => r.startsWith("dir/labels.csv: not a WAV")), "the manifest itself is not a skipped file");
  assert.ok(reasons.includes("happy/a.wav: dir/labels.csv line 9, column path: 'happy/a.wav' is already listed on line 2"), "a row listing a path twice is reported");
  assert.equal(skipped.length, 8, reasons.join("\n"));
});

Deno.test("looksLikeManifest: a header naming path, emotion and speaker (any case, quoted, BOM), not another table", async () => {
  const { looksLikeManifest } = await import("./manifest.ts");
  assert.equal(looksLikeManifest('\uFEFF"Path",Emotion,SPEAKER,gender\na.wav,sad,s1,f\n'), true);
  assert.equal(looksLikeManifest("ActorID,Age,Sex,Race,Ethnicity\n1001,51,Male,Caucasian,Not Hispanic\n"), false);
  assert.equal(looksLikeManifest("path,emotion\n"), false);
});
