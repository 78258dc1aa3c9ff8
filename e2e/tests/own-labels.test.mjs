// Your own labels in the page: a folder-per-label zip with labels of the user's own naming and
// the speaker in the file name (found by a pattern), and a CSV manifest dropped with the audio,
// each read in the Data step and trained speaker-independently in the page, as the CLI does.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { zipSync } from "fflate";
import { RAVDESS, startPage, step } from "./helpers.mjs";

let server, browser, stop, dir, labelsZip, manifestDir;

/** Three clips each of two RAVDESS emotions for four actors, under the user's own label names. */
function clips() {
  const out = [];
  for (const actor of ["01", "02", "03", "04"]) {
    const files = readdirSync(join(RAVDESS, `Actor_${actor}`)).sort();
    for (const [code, label] of [["05", "frustrated"], ["02", "relaxed"]]) {
      for (const f of files.filter((n) => n.split("-")[2] === code).slice(0, 3)) out.push({ actor, label, f, bytes: readFileSync(join(RAVDESS, `Actor_${actor}`, f)) });
    }
  }
  return out;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "ser-e2e-labels-"));
  const all = clips();
  const files = {};
  all.forEach((c, i) => (files[`mine/${c.label}/spk${c.actor}_take${i}.wav`] = c.bytes));
  labelsZip = join(dir, "mine.zip");
  writeFileSync(labelsZip, zipSync(files, { level: 1 }));
  // A manifest beside neutral file names: the CSV alone says label and speaker.
  manifestDir = join(dir, "corpus");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(join(manifestDir, "audio"), { recursive: true });
  const rows = ["path,emotion,speaker,gender"];
  all.forEach((c, i) => {
    writeFileSync(join(manifestDir, "audio", `clip${i}.wav`), c.bytes);
    rows.push(`audio/clip${i}.wav,${c.label},p${c.actor},${Number(c.actor) % 2 ? "male" : "female"}`);
  });
  writeFileSync(join(manifestDir, "labels.csv"), rows.join("\n") + "\n");
  ({ server, browser, stop } = await startPage());
});

after(() => stop?.());

async function trainHere(page) {
  await page.waitForFunction(() => !document.getElementById("train-start").disabled);
  await step(page, "train");
  await page.fill("#train-epochs", "2");
  await page.click("#train-start");
  await page.waitForSelector("#train-results[data-report]", { timeout: 300_000 });
  return JSON.parse(await page.getAttribute("#train-results", "data-report"));
}

test("a folder-per-label zip with the user's own labels and a speaker pattern trains speaker-independently", async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.click("#own-labels summary");
  await page.selectOption("#label-layout", "folders");
  await page.fill("#label-speaker", "/(spk\\d+)_");
  await page.setInputFiles("#zip-input", labelsZip);
  await page.waitForSelector("#data-summary[data-files]", { timeout: 120_000 });
  assert.equal(await page.getAttribute("#data-summary", "data-files"), "24");
  const text = await page.textContent("#data-summary");
  assert.match(text, /frustrated/);
  assert.match(text, /relaxed/);
  assert.match(text, /folders-spk01/);
  // The map of the voices: every recording a point, coloured by the user's own labels; a click plays one.
  await page.click("#map-draw");
  await page.waitForSelector("#map-canvas[data-points]", { timeout: 120_000 });
  assert.equal(await page.getAttribute("#map-canvas", "data-points"), "24");
  assert.equal(await page.getAttribute("#map-canvas", "data-groups"), "2");
  assert.match(await page.textContent("#map-legend"), /frustrated \(12\).*relaxed \(12\)/);
  await page.selectOption("#map-colour", "speaker");
  assert.equal(await page.getAttribute("#map-canvas", "data-groups"), "4");
  const box = await page.locator("#map-canvas").boundingBox();
  const [fx, fy] = (await page.getAttribute("#map-canvas", "data-first")).split(",").map(Number);
  const size = await page.evaluate(() => [document.getElementById("map-canvas").width, document.getElementById("map-canvas").height]);
  // A locator click scrolls the canvas into view first; the position is in its own box.
  await page.locator("#map-canvas").click({ position: { x: (fx / size[0]) * box.width, y: (fy / size[1]) * box.height } });
  await page.waitForFunction(() => document.getElementById("map-playing").dataset.path !== undefined, null, { timeout: 30_000 });
  await page.waitForSelector("#map-playing audio");
  const report = await trainHere(page);
  assert.deepEqual([...report.labels].sort(), ["frustrated", "relaxed"]);
  assert.ok(report.testSpeakers.every((s) => /^folders-spk0\d$/.test(s)), JSON.stringify(report.testSpeakers));
  await page.close();
});

test("a bad speaker pattern is refused by name; a CSV manifest dropped with its folder labels the audio", async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.click("#own-labels summary");
  await page.fill("#label-speaker", "spk\\d+");
  await page.setInputFiles("#zip-input", labelsZip);
  await page.waitForSelector("#data-summary.error", { timeout: 60_000 });
  assert.match(await page.textContent("#data-summary"), /Speaker pattern: 'spk\\d\+' has no capture group/);
  await page.fill("#label-speaker", "");
  await page.setInputFiles("#folder-input", manifestDir);
  await page.waitForSelector("#data-summary[data-files]", { timeout: 120_000 });
  assert.equal(await page.getAttribute("#data-summary", "data-files"), "24");
  assert.match(await page.textContent("#data-summary"), /manifest/);
  const report = await trainHere(page);
  assert.deepEqual([...report.labels].sort(), ["frustrated", "relaxed"]);
  assert.ok(report.testSpeakers.every((s) => /p0\d$/.test(s)), JSON.stringify(report.testSpeakers));
  await page.close();
});
