// The page reads datasets like the CLI: a zip of the whole shared RAVDESS subset (streamed from
// File.stream() in a worker) and a dropped folder give the same summary as `ser info --json`.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { zipSync } from "fflate";
import { launchChromium, RAVDESS, SCREENSHOTS, ser, serveDist } from "./helpers.mjs";

let server, browser, dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "ser-e2e-data-"));
  server = await serveDist();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

function pick(s) {
  return {
    wavEntries: s.wavEntries,
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
  assert.ok(got.skipped.some((k) => /notes\.txt/.test(k.path) && /not a WAV file/.test(k.reason)));
  assert.match(await page.textContent("#data-summary"), /716 WAV files: 715 usable, 1 skipped \(1 duplicate\)/);
  await page.click("#skipped summary");
  await page.screenshot({ path: join(SCREENSHOTS, "data.png"), fullPage: true });
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
  await page.close();
});
