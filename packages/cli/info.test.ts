/** `ser info` end to end: real RAVDESS as a folder and as a zip, generated SAVEE/CREMA-D/TESS layouts, bad inputs. */
import assert from "node:assert/strict";
import { ser } from "./test-helpers.ts";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { RAVDESS, sortedNames } from "../core/test/helpers.ts";
import { generatedDatasets } from "../core/test/make-datasets.ts";


async function infoJson(...args: string[]) {
  const r = await ser("info", ...args, "--json");
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function walk(dir: string): string[] {
  return [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name)).flatMap((e) =>
    e.isDirectory ? walk(join(dir, e.name)) : [join(dir, e.name)]
  );
}

function checkRavdessSummary(s: Record<string, any>) {
  assert.equal(s.audioEntries, 716);
  assert.equal(s.files, 715);
  assert.equal(s.duplicates, 1);
  assert.equal(s.speakers.length, 12);
  assert.deepEqual(s.genders, { male: 6, female: 6, unknown: 0 });
  assert.deepEqual(Object.keys(s.emotions), ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]);
  assert.equal(Object.values(s.emotions as Record<string, number>).reduce((a, b) => a + b, 0), 715);
  assert.equal(s.emotions.neutral, 48);
  assert.deepEqual(s.sampleRatesHz, { "48000": 715 });
  const dup = (s.skipped as { path: string; reason: string }[]).filter((k) => k.reason.startsWith("duplicate"));
  assert.equal(dup.length, 1);
  assert.match(dup[0]!.path, /Actor_07\/03-01-03-01-02-0[12]-07\.wav$/);
  assert.match(dup[0]!.reason, /same bytes as .*Actor_07\/03-01-03-01-02-0[12]-07\.wav/);
  assert.ok(Math.abs(s.durationS - 715 * 114688 / 48000) < 1e-6 * s.durationS, `duration ${s.durationS}`);
}

Deno.test("ser info on the shared RAVDESS folder: 716 files, 12 actors (6 male, 6 female), 8 emotions, 1 duplicate", async () => {
  checkRavdessSummary(await infoJson(RAVDESS));
  const text = await ser("info", RAVDESS);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^716 audio files: 715 usable, 1 skipped \(1 duplicate\)/);
  assert.match(text.stdout, /12 speakers: 6 male, 6 female/);
});

Deno.test("ser info reads the same corpus from a zip, streamed, with the same result", async () => {
  const files: Record<string, Uint8Array> = {};
  for (const f of walk(RAVDESS)) files[`ravdess/${f.slice(RAVDESS.length + 1)}`] = Deno.readFileSync(f);
  const dir = await Deno.makeTempDir();
  const zip = join(dir, "ravdess.zip");
  Deno.writeFileSync(zip, zipSync(files, { level: 1 }));
  const s = await infoJson(zip);
  checkRavdessSummary(s);
  assert.ok((s.skipped as { path: string }[]).every((k) => k.path.startsWith(zip)), "zip entries are named under the zip's path");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ser info reads SAVEE, CREMA-D (with demographics) and TESS in their real layouts, mixed", async () => {
  const g = await generatedDatasets();
  const flatZip = join(g.root, "savee-flat.zip");
  const flat: Record<string, Uint8Array> = {};
  for (const f of walk(g.saveeFlat)) flat[f.slice(g.saveeFlat.length + 1)] = Deno.readFileSync(f);
  Deno.writeFileSync(flatZip, zipSync(flat));
  const s = await infoJson(g.savee, flatZip, g.cremaD, g.tess);
  assert.deepEqual(s.datasets.map((d: { dataset: string; files: number }) => [d.dataset, d.files]), [
    ["crema-d", g.expected.cremaD],
    ["savee", g.expected.savee + g.expected.saveeFlat],
    ["tess", g.expected.tess],
  ]);
  assert.deepEqual(s.sampleRatesHz, { "16000": 5, "24414": 6, "44100": 19 });
  const crema = s.datasets.find((d: { dataset: string }) => d.dataset === "crema-d");
  assert.deepEqual(crema.genders, { male: 1, female: 1, unknown: 0 }, "genders come from VideoDemographics.csv");
  const savee = s.datasets.find((d: { dataset: string }) => d.dataset === "savee");
  assert.deepEqual(savee.genders, { male: 4, female: 0, unknown: 0 });
  assert.equal(savee.emotions.sad, 4);
  assert.equal(savee.emotions.surprised, 4);
  const tess = s.datasets.find((d: { dataset: string }) => d.dataset === "tess");
  assert.deepEqual([tess.speakers, tess.genders.female, tess.emotions.surprised], [2, 2, 2]);
  assert.equal(s.skipped.length, 0, JSON.stringify(s.skipped));
});

Deno.test("ser info applies --emotions and --merge, and --dataset forces a scheme", async () => {
  const g = await generatedDatasets();
  const s = await infoJson(g.tess, "--emotions", "neutral,sad", "--merge", "angry=sad");
  assert.deepEqual(s.emotions, { neutral: 1, sad: 2 });
  assert.ok(s.skipped.every((k: { reason: string }) => /is not among the selected emotions/.test(k.reason)));
  const forced = await ser("info", g.tess, "--dataset", "ravdess", "--json");
  assert.equal(forced.code, 1);
  const summary = JSON.parse(forced.stdout);
  assert.equal(summary.files, 0);
  assert.ok(summary.skipped.every((k: { reason: string }) => /RAVDESS's MM-VV-EE-II-SS-RR-AA\.wav scheme/.test(k.reason)));
});

Deno.test("ser info skips bad entries with reasons and keeps the rest", async () => {
  const good = Deno.readFileSync(join(RAVDESS, "Actor_02/03-01-01-01-01-01-02.wav"));
  const other = Deno.readFileSync(join(RAVDESS, "Actor_02/03-01-02-01-01-01-02.wav"));
  const truncated = good.slice(0, 5000);
  const bad = zipSync({
    "../../Actor_02/03-01-01-01-01-01-02.wav": good,
    "notes.txt": strToU8("hello"),
    "Actor_02/03-01-03-01-01-01-02.wav": new Uint8Array(0),
    "Actor_02/03-01-04-01-01-01-02.wav": truncated,
    "Actor_02/03-01-05-01-01-01-02.wav": strToU8("RIFF....WAVEjunk"),
    "mine/hello.wav": other,
    "inner.zip": zipSync({ "Actor_04/03-01-02-01-01-01-04.wav": other }),
    "__MACOSX/Actor_02/._03-01-01-01-01-01-02.wav": strToU8("mac"),
    "song.mp3": strToU8("ID3"),
  });
  const dir = await Deno.makeTempDir();
  const zip = join(dir, "bad.zip");
  Deno.writeFileSync(zip, bad);
  const s = await infoJson(zip);
  const reasons = Object.fromEntries((s.skipped as { path: string; reason: string }[]).map((k) => [k.path.slice(zip.length + 1), k.reason]));
  assert.equal(s.files, 2, "the traversal-named file and the nested zip's file are usable");
  assert.match(reasons["notes.txt"]!, /not an audio file \(\.txt\)/);
  assert.match(reasons["Actor_02/03-01-03-01-01-01-02.wav"]!, /empty file/);
  assert.match(reasons["Actor_02/03-01-04-01-01-01-02.wav"]!, /data chunk truncated: header says \d+ bytes, file has \d+/);
  assert.match(reasons["Actor_02/03-01-05-01-01-01-02.wav"]!, /no fmt chunk|truncated/);
  assert.match(reasons["mine/hello.wav"]!, /matches no known dataset/);
  assert.match(reasons["__MACOSX/Actor_02/._03-01-01-01-01-01-02.wav"]!, /macOS resource fork/);
  assert.match(reasons["song.mp3"]!, /matches no known dataset/);
  assert.ok(s.speakers.some((sp: { speaker: string }) => sp.speaker === "ravdess-04"), "nested zip read");
  // Nothing was written next to the zip or above it.
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["bad.zip"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ser info with no usable recording fails with exit 1 and says why", async () => {
  const dir = await Deno.makeTempDir();
  Deno.writeTextFileSync(join(dir, "a.txt"), "x");
  const r = await ser("info", dir);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no usable recordings in .*: 1 entries were skipped/);
  assert.match(r.stdout, /a\.txt: not an audio file/);
  const missing = await ser("info", join(dir, "nope"));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read '.*nope': no such file or folder/);
  const notZip = join(dir, "fake.zip");
  Deno.writeTextFileSync(notZip, "not a zip");
  const z = await ser("info", notZip);
  assert.equal(z.code, 1);
  assert.match(z.stderr, /fake\.zip: not a zip archive/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ser info --manifest: a CSV of the real EmoDB files gives the built-in parser's summary; bad rows are named and skipped", async () => {
  const emodb = join(RAVDESS, "..", "emodb");
  const codes: Record<string, string> = { W: "anger", L: "boredom", E: "disgust", A: "fear", F: "happiness", T: "sadness", N: "neutral" };
  const genders: Record<string, string> = { "03": "m", "08": "f", "09": "f", "10": "m", "11": "m" };
  const names = sortedNames(join(emodb, "wav")).filter((n) => n.endsWith(".wav"));
  const dir = Deno.makeTempDirSync();
  const manifest = join(dir, "emodb.csv");
  const rows = names.map((n) => `wav/${n},${codes[n[5]!]},${n.slice(0, 2)},${genders[n.slice(0, 2)]},emodb`);
  Deno.writeTextFileSync(manifest, ["path,emotion,speaker,gender,dataset", ...rows, "wav/missing.wav,sad,03,m,emodb"].join("\n"));
  const viaManifest = await infoJson(emodb, "--manifest", manifest);
  const builtIn = await infoJson(emodb);
  const { skipped: a, ...restA } = viaManifest;
  const { skipped: b, ...restB } = builtIn;
  assert.equal(restA.files, 243);
  assert.equal(restA.emotions.boredom, 35, "boredom is a class of its own");
  assert.deepEqual(restA.speakers, restB.speakers);
  assert.deepEqual(restA.emotions, restB.emotions);
  assert.deepEqual(restA.datasets, restB.datasets);
  // The one difference: the row whose file is missing is reported.
  assert.equal(a.length, b.length + 1);
  assert.ok(a.some((s: { path: string; reason: string }) => s.path === "wav/missing.wav" && /line 245: no such file among the inputs/.test(s.reason)));
  const bad = await ser("info", emodb, "--manifest", join(dir, "nope.csv"));
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--manifest: cannot read '.*nope\.csv'/);
});

Deno.test("ser info on a folder-per-label copy of EmoDB (happy/x.wav): with --speaker-pattern the built-in summary; without, speakers unknown and speaker splits refused", async () => {
  const emodb = join(RAVDESS, "..", "emodb");
  const folder: Record<string, string> = { W: "Anger", E: "disgust", A: "fear", F: "happy", T: "sad", N: "neutral", L: "boredom" };
  const dir = Deno.makeTempDirSync();
  for (const e of Deno.readDirSync(join(emodb, "wav"))) {
    if (!e.name.endsWith(".wav")) continue;
    Deno.mkdirSync(join(dir, folder[e.name[5]!]!), { recursive: true });
    // Renamed so that EmoDB's own naming scheme does not claim them: the folders must.
    Deno.copyFileSync(join(emodb, "wav", e.name), join(dir, folder[e.name[5]!]!, `take-${e.name}`));
  }
  const builtIn = await infoJson(emodb);
  const folders = await infoJson(dir, "--dataset", "folders", "--speaker-pattern", "-(\\d\\d)[a-z]\\d\\d[A-Z][a-z]\\.wav$");
  assert.equal(folders.files, 243);
  assert.deepEqual(folders.emotions, builtIn.emotions);
  assert.deepEqual(folders.speakers.map((s: { speaker: string; files: number }) => [s.speaker.replace("folders-", ""), s.files]), builtIn.speakers.map((s: { speaker: string; files: number }) => [s.speaker.replace("emodb-", ""), s.files]));
  // Detected (no --dataset) with a speaker pattern that finds the speaker: every file's folder is
  // its label, boredom/ included, as with --dataset folders.
  const detected = await infoJson(dir, "--speaker-pattern", "-(\\d\\d)[a-z]\\d\\d[A-Z][a-z]\\.wav$");
  assert.equal(detected.files, 243);
  assert.deepEqual(detected.emotions, builtIn.emotions);
  // Without a pattern, only folders naming one of the eight are labels: boredom/ is skipped.
  const plain = await infoJson(dir);
  assert.equal(plain.files, 208);
  assert.equal(plain.skipped.filter((s: { path: string; reason: string }) => s.path.includes("/boredom/") && /no folder above it names an emotion/.test(s.reason)).length, 35);
  const unknown = await infoJson(dir);
  assert.deepEqual(unknown.speakers.map((s: { speaker: string }) => s.speaker), ["folders-unknown"]);
  const train = await ser("train", dir, "--out", join(dir, "model"), "--epochs", "1");
  assert.equal(train.code, 1);
  assert.match(train.stderr, /speaker split needs every recording's speaker, and 208 of 208 have none/);
  const noGroup = await ser("info", dir, "--speaker-pattern", "spk\\d+");
  assert.equal(noGroup.code, 2);
  assert.match(noGroup.stderr, /--speaker-pattern: 'spk\\d\+' has no capture group/);
});
