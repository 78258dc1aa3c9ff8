// The page reads datasets like the CLI: a zip of the whole shared RAVDESS subset (streamed from
// File.stream() in a worker) and a dropped folder give the same summary as `ser info --json`.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { zipSync } from "fflate";
import { spawnSync } from "node:child_process";
import { REPO, RAVDESS, SCREENSHOTS, ser, startPage } from "./helpers.mjs";

let server, browser, stop, dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "ser-e2e-data-"));
  ({ server, browser, stop } = await startPage());
});

after(() => stop?.());

function pick(s) {
  return {
    audioEntries: s.audioEntries,
    files: s.files,
    duplicates: s.duplicates,
    speakers: typeof s.speakers === "number" ? s.speakers : s.speakers.length,
    genders: s.genders,
    emotions: s.emotions,
  };
}

test("a RAVDESS zip read in the page gives the same summary as ser info", async () => {
  const files = {};
  for (const actor of readdirSync(RAVDESS).filter((d) => d.startsWith("Actor_"))) {
    for (const f of readdirSync(join(RAVDESS, actor))) files[`ravdess/${actor}/${f}`] = readFileSync(join(RAVDESS, actor, f));
  }
  files["ravdess/notes.txt"] = Buffer.from("not audio");
  const zip = join(dir, "ravdess.zip");
  writeFileSync(zip, zipSync(files, { level: 1 }));
  const cli = ser("info", zip, "--json");
  assert.equal(cli.code, 0, cli.stderr);
  const expected = JSON.parse(cli.stdout);

  const page = await browser.newPage();
  await page.goto(server.url);
  await page.setInputFiles("#zip-input", zip);
  await page.waitForSelector("#data-summary[data-files]", { timeout: 180_000 });
  const got = JSON.parse(await page.getAttribute("#data-summary", "data-summary"));
  assert.deepEqual(pick(got), pick(expected));
  assert.equal(got.files, 715);
  assert.equal(got.duplicates, 1);
  assert.ok(got.skipped.some((k) => /notes\.txt/.test(k.path) && /not an audio file/.test(k.reason)));
  assert.match(await page.textContent("#data-summary"), /716 audio files: 715 usable, 1 skipped \(1 duplicate\)/);
  await page.click("#skipped summary");
  await page.screenshot({ path: join(SCREENSHOTS, "data.png"), fullPage: true });
  // Explore lists every recording, 100 to a page, in the order asked for.
  await page.waitForFunction(() => document.getElementById("explore-table").dataset.pages === "8");
  assert.equal(await page.textContent("#explore-count"), "1–100 of 715 recordings");
  await page.click("#explore-next");
  assert.equal(await page.textContent("#explore-count"), "101–200 of 715 recordings");
  await page.click("#explore-table th button[data-sort=emotion]");
  assert.equal(await page.getAttribute("#explore-table", "data-page"), "1", "a new order starts at the first page");
  const emotions = async () => page.$$eval("#explore-table tbody tr", (trs) => trs.map((tr) => tr.cells[1].textContent));
  const up = await emotions();
  assert.deepEqual(up, [...up].sort());
  assert.equal(up[0], "angry");
  await page.click("#explore-table th button[data-sort=emotion]");
  const down = await emotions();
  assert.deepEqual(down, [...down].sort().reverse());
  assert.equal(down[0], "surprised", "descending starts with the last emotion of all pages");
  assert.equal(await page.getAttribute("#explore-table th:nth-child(2)", "aria-sort"), "descending");
  for (let i = 1; i < 8; i++) await page.click("#explore-next");
  assert.equal(await page.textContent("#explore-count"), "701–715 of 715 recordings");
  assert.ok(await page.isDisabled("#explore-next"));
  // A recording from the zip's far end opens (read from where the central directory says it is).
  const last = page.locator("#explore-table tbody tr button").last();
  const name = await last.textContent();
  await last.click();
  await page.waitForFunction((n) => document.getElementById("clip").dataset.path?.endsWith(n), name, { timeout: 30_000 });
  assert.equal(await page.getAttribute("#clip", "data-read-from"), "zip index", "found where the central directory says, not by streaming the zip");
  assert.match(await page.getAttribute("#clip-audio", "src"), /^blob:/);
  await page.close();
});

test("a zip of MP3, FLAC and Ogg Opus recordings is read in the page like ser info reads it", async () => {
  // Real RAVDESS clips encoded by Debian's sox and opusenc (scripts/setup-system.sh installs them).
  const names = readdirSync(join(RAVDESS, "Actor_02")).sort().slice(0, 9);
  const files = {};
  names.forEach((f, i) => {
    const ext = ["mp3", "flac", "opus"][i % 3];
    const out = join(dir, f.replace(/\.wav$/, `.${ext}`));
    const r = ext === "opus" ? spawnSync("opusenc", ["--quiet", join(RAVDESS, "Actor_02", f), out]) : spawnSync("sox", [join(RAVDESS, "Actor_02", f), out]);
    assert.equal(r.status, 0, String(r.stderr));
    files[`compressed/Actor_02/${f.replace(/\.wav$/, `.${ext}`)}`] = readFileSync(out);
  });
  const zip = join(dir, "compressed.zip");
  writeFileSync(zip, zipSync(files, { level: 0 }));
  const cli = ser("info", zip, "--json");
  assert.equal(cli.code, 0, cli.stderr);
  const expected = JSON.parse(cli.stdout);
  assert.equal(expected.files, 9, cli.stdout);
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.setInputFiles("#zip-input", zip);
  await page.waitForSelector("#data-summary[data-files]", { timeout: 120_000 });
  const got = JSON.parse(await page.getAttribute("#data-summary", "data-summary"));
  assert.deepEqual(pick(got), pick(expected));
  assert.match(await page.textContent("#data-summary"), /9 audio files: 9 usable/);
  await page.close();
});

test("a dropped folder is read recursively, with the duplicate reported", async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.setInputFiles("#folder-input", join(RAVDESS, "Actor_07"));
  await page.waitForSelector("#data-summary[data-files]", { timeout: 120_000 });
  const got = JSON.parse(await page.getAttribute("#data-summary", "data-summary"));
  const cli = JSON.parse(ser("info", join(RAVDESS, "Actor_07"), "--json").stdout);
  assert.deepEqual(pick(got), pick(cli));
  assert.equal(got.duplicates, 1);

  // Explore: filter, play a recording, see its waveform, spectrogram and MFCC image.
  await page.waitForFunction(() => document.querySelectorAll("#explore-table tbody tr").length > 0);
  assert.equal(await page.$$eval("#explore-table tbody tr", (r) => r.length), 59);
  await page.selectOption("#filter-emotion", "angry");
  assert.equal(await page.$$eval("#explore-table tbody tr", (r) => r.length), cli.emotions.angry);
  await page.click("#explore-table tbody tr button");
  await page.waitForSelector("#clip[data-path]", { timeout: 60_000 });
  assert.match(await page.getAttribute("#clip-audio", "src"), /^blob:/);
  const duration = await page.evaluate(() => new Promise((ok) => {
    const a = document.getElementById("clip-audio");
    if (a.readyState >= 1) ok(a.duration);
    else a.addEventListener("loadedmetadata", () => ok(a.duration), { once: true });
  }));
  assert.ok(Math.abs(duration - 114688 / 48000) < 0.01, `audio element decodes the blob: ${duration} s`);
  // Captioned plots on one time axis; the playhead follows the audio.
  assert.match(await page.textContent("#clip-wave-caption"), /scaled to its loudest sample \(-\d+\.\d dBFS\)/);
  assert.match(await page.textContent("#clip-spectrogram-caption"), /64 mel bands from 0 Hz \(bottom\) to 24000 Hz/);
  assert.deepEqual(await page.$$eval("#clip-time-axis span", (s) => s.map((t) => t.textContent)), ["0 s", "0.5 s", "1 s", "1.5 s", "2 s"]);
  await page.evaluate(() => { document.getElementById("clip-audio").currentTime = 114688 / 48000 / 2; });
  await page.waitForFunction(() => Math.abs(Number(document.getElementById("clip").dataset.at) - 0.5) < 0.02);
  const left = await page.$$eval("#clip .playhead", (ps) => ps.map((p) => p.style.left));
  assert.equal(left.length, 3);
  assert.ok(left.every((l) => Math.abs(parseFloat(l) - 50) < 2), left.join(", "));
  for (const id of ["clip-wave", "clip-spectrogram", "clip-mfcc"]) {
    const painted = await page.evaluate((id) => {
      const c = document.getElementById(id);
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      const colours = new Set();
      for (let i = 0; i < d.length; i += 4 * 7) if (d[i + 3] > 0) colours.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
      return colours.size;
    }, id);
    assert.ok(painted > (id === "clip-wave" ? 1 : 20), `${id} shows ${painted} colours`);
  }
  await page.screenshot({ path: join(SCREENSHOTS, "explore.png"), fullPage: true });
  await page.close();
});

test("a second input read while the first is still in the worker is the one shown, whichever ends last", async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  const one = join(dir, "one");
  mkdirSync(one, { recursive: true });
  copyFileSync(join(RAVDESS, "Actor_08", "03-01-05-01-01-01-08.wav"), join(one, "03-01-05-01-01-01-08.wav"));
  // A folder of 59 recordings, then at once a folder of one.
  await page.setInputFiles("#folder-input", join(RAVDESS, "Actor_07"));
  await page.setInputFiles("#folder-input", one);
  await page.waitForFunction(() => document.getElementById("data-summary").dataset.pending === "0", null, { timeout: 120_000 });
  const got = JSON.parse(await page.getAttribute("#data-summary", "data-summary"));
  assert.equal(got.files, 1);
  assert.deepEqual(got.emotions, { angry: 1 });
  assert.match(await page.textContent("#data-summary"), /ravdess-08/);
  // The data worker holds the newer read too: Explore lists its one recording, which opens.
  await page.waitForFunction(() => document.querySelectorAll("#explore-table tbody tr").length === 1, null, { timeout: 60_000 });
  await page.click("#explore-table tbody tr button");
  await page.waitForSelector("#clip[data-path]", { timeout: 60_000 });
  assert.match(await page.getAttribute("#clip", "data-path"), /03-01-05-01-01-01-08\.wav$/);
  await page.close();
});

test("a zip of bad inputs: each skip and its reason shown as the CLI gives them, and the page stays usable", async () => {
  const root = join(dir, "bad");
  const gen = spawnSync(join(REPO, "node_modules/.bin/deno"), ["run", "-A", join(REPO, "packages/cli/test/bad-inputs.ts"), root], { encoding: "utf8" });
  assert.equal(gen.status, 0, gen.stderr);
  const files = {};
  const walk = (d, rel) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else files[`${rel}${e.name}`] = readFileSync(join(d, e.name));
    }
  };
  walk(root, "bad/");
  const zip = join(dir, "bad.zip");
  writeFileSync(zip, zipSync(files, { level: 1 }));
  const cli = JSON.parse(ser("info", zip, "--json").stdout);
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.setInputFiles("#zip-input", zip);
  await page.waitForSelector("#data-summary[data-files]", { timeout: 120_000 });
  const got = JSON.parse(await page.getAttribute("#data-summary", "data-summary"));
  assert.deepEqual(pick(got), pick(cli));
  // The CLI names entries by the path it was given, the page by the file name.
  const rel = (list) => list.map((k) => ({ path: k.path.slice(k.path.indexOf("bad.zip/")), reason: k.reason.replace(`${dir}/`, "") }));
  assert.deepEqual(rel(got.skipped), rel(cli.skipped), "the same files skipped for the same reasons, in the same order");
  await page.click("#skipped summary");
  const shown = await page.textContent("#skipped");
  for (const reason of ["sample 2 is NaN", "format tag 0x0055 (MPEG Layer 3 (MP3))", "password-protected", "duplicate: same bytes as", "file truncated inside the fmt chunk"]) {
    assert.ok(shown.includes(reason), `the page shows '${reason}'`);
  }
  // Still usable: the good recordings are listed and play.
  await page.waitForFunction(() => document.querySelectorAll("#explore-table tbody tr").length > 0);
  assert.equal(await page.$$eval("#explore-table tbody tr", (r) => r.length), cli.files);
  await page.click("#explore-table tbody tr button");
  await page.waitForSelector("#clip[data-path]", { timeout: 60_000 });
  assert.deepEqual(errors, []);
  assert.equal(await page.isDisabled("#train-start"), false);
  await page.close();
});
