// The microphone paths with Chromium's fake capture device fed from a real RAVDESS recording:
// live inference updates its probabilities, and the recorder makes RAVDESS-named clips that the
// CLI reads as a corpus and the page adds to its data. No request leaves the page's origin.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { unzipSync } from "fflate";
import { readFileSync } from "node:fs";
import { copySlice, RAVDESS, SCREENSHOTS, ser, startPage } from "./helpers.mjs";

let server, browser, stop, dir, bundleZip;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "ser-e2e-mic-"));
  const data = join(dir, "data");
  await copySlice(data, ["01", "02", "03"], ["01", "03", "04", "05"]);
  const t = ser("train", data, "--out", join(dir, "model"), "--model", "mlp", "--epochs", "2", "--test-actors", "03", "--zip");
  assert.equal(t.code, 0, t.stderr);
  bundleZip = join(dir, "model.zip");
  // A strong-intensity angry RAVDESS clip: what the fake microphone plays, in a loop.
  const angry = readdirSync(join(RAVDESS, "Actor_05")).find((f) => f.split("-")[2] === "05" && f.split("-")[3] === "02");
  ({ server, browser, stop } = await startPage([
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-audio-capture=${join(RAVDESS, "Actor_05", angry)}`,
  ]));
});

after(() => stop?.());

test("live microphone inference updates per-emotion probabilities from the fake capture device", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`${server.url}#use`);
  await page.setInputFiles("#bundle-input", bundleZip);
  await page.waitForSelector("#model-info[data-loaded]", { timeout: 120_000 });
  await page.waitForFunction(() => !document.getElementById("live-start").disabled);
  await page.click("#live-start");
  await page.waitForFunction(() => Number(document.getElementById("live-bars").dataset.updates ?? 0) >= 4, null, { timeout: 120_000 });
  const seen = new Set();
  for (let i = 0; i < 4; i++) {
    const probs = JSON.parse(await page.getAttribute("#live-bars", "data-probabilities"));
    assert.deepEqual(Object.keys(probs).sort(), ["angry", "happy", "neutral", "sad"]);
    const sum = Object.values(probs).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-4, `probabilities sum to ${sum}`);
    seen.add(JSON.stringify(probs));
    const n = Number(await page.getAttribute("#live-bars", "data-updates"));
    await page.waitForFunction((k) => Number(document.getElementById("live-bars").dataset.updates) > k, n, { timeout: 60_000 });
  }
  assert.ok(seen.size >= 2, "the probabilities change as the audio moves on");
  // The page times each window's round trip (bench/page-live.mjs reads it) and says it.
  assert.ok(Number(await page.getAttribute("#live-bars", "data-latency-ms")) > 0);
  assert.match(await page.textContent("#live-status"), /\d+ ms per window/);
  assert.ok(Number(await page.getAttribute("#live-level", "data-peak")) > -40, "the level meter saw the speech");
  assert.equal(await page.locator("#live-bars meter").count(), 4);
  await page.screenshot({ path: join(SCREENSHOTS, "live.png"), fullPage: true });
  await page.click("#live-stop");
  const origin = new URL(server.url).origin;
  assert.deepEqual(requests.filter((u) => !u.startsWith(origin) && !u.startsWith("blob:") && !u.startsWith("data:")), []);
  await context.close();
});

/** Waits for the Data summary to count `n` files; a timeout says what the summary and the recording list show instead. */
async function dataFiles(page, n) {
  try {
    await page.waitForFunction((k) => document.getElementById("data-summary").dataset.files === String(k), n, { timeout: 60_000 });
  } catch (e) {
    const seen = await page.evaluate(() => ({
      summary: document.getElementById("data-summary").textContent,
      files: document.getElementById("data-summary").dataset.files,
      recordings: [...document.querySelectorAll("#rec-list li")].map((li) => li.dataset.path),
      status: document.getElementById("rec-status").textContent,
      speakerPattern: document.getElementById("label-speaker").value,
    }));
    throw new Error(`${e.message}\nwaiting for ${n} files, the page shows ${JSON.stringify(seen)}`);
  }
}

/**
 * Records one take. Chromium's fake device starts its file again with each capture, so a take
 * can come out sample for sample the same as an earlier one, and the page then rightly keeps one
 * of the two (a duplicate, as for any copied file). A microphone never repeats itself, so such a
 * take is deleted ("Delete (re-take)") and taken again, as a person would; it keeps its name.
 */
async function takeOnce(page) {
  const before = await page.locator("#rec-list li").count();
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.click("#rec-start");
    await page.waitForFunction((n) => document.querySelectorAll("#rec-list li").length > n, before, { timeout: 30_000 });
    const repeats = await page.evaluate(async () => {
      const digests = await Promise.all([...document.querySelectorAll("#rec-list li audio")].map(async (a) => {
        const bytes = await (await fetch(a.src)).arrayBuffer();
        return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)).join(",");
      }));
      return digests.slice(0, -1).includes(digests.at(-1));
    });
    if (!repeats) return;
    await page.locator("#rec-list li").last().getByRole("button", { name: "Delete (re-take)" }).click();
    await page.waitForFunction((n) => document.querySelectorAll("#rec-list li").length === n, before);
  }
  throw new Error("five takes in a row repeated an earlier take's bytes");
}

test("recording makes RAVDESS-named clips that join the data and that the CLI reads", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(server.url);
  for (const emotion of ["angry", "sad"]) {
    await page.selectOption("#rec-emotion", emotion);
    await takeOnce(page);
  }
  assert.match(await page.textContent("#rec-status"), /Kept 03-01-04-01-01-01-25\.wav \((2\.9|3\.\d) s at \d+ Hz/);
  const paths = await page.$$eval("#rec-list li", (lis) => lis.map((li) => li.dataset.path));
  assert.deepEqual(paths, ["recorded/Actor_25/03-01-05-01-01-01-25.wav", "recorded/Actor_25/03-01-04-01-01-01-25.wav"]);

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#rec-download")]);
  const zipPath = join(dir, "recordings.zip");
  await download.saveAs(zipPath);
  const entries = unzipSync(readFileSync(zipPath));
  assert.deepEqual(Object.keys(entries).sort(), [...paths].sort());
  const info = ser("info", zipPath, "--json");
  assert.equal(info.code, 0, info.stderr);
  const summary = JSON.parse(info.stdout);
  assert.equal(summary.files, 2);
  assert.deepEqual(summary.speakers.map((s) => [s.speaker, s.gender]), [["ravdess-25", "male"]]);
  assert.deepEqual(summary.emotions, { angry: 1, sad: 1 });

  await page.click("#rec-use");
  await dataFiles(page, 2);
  assert.match(await page.textContent("#data-summary"), /ravdess-25/);
  // A class of the user's own: added, recorded; then every recording is a folder per class and
  // one speaker throughout (the speaker pattern filled in for them).
  await page.fill("#rec-class", "Frustrated");
  await page.click("#rec-class-add");
  assert.equal(await page.inputValue("#rec-emotion"), "frustrated");
  await takeOnce(page);
  assert.equal(await page.locator("#rec-list li").count(), 3);
  assert.match(await page.textContent("#rec-status"), /Kept Actor_25_take1\.wav/);
  await page.click("#rec-use");
  await dataFiles(page, 3);
  const summaryText = await page.textContent("#data-summary");
  assert.match(summaryText, /frustrated/);
  assert.match(summaryText, /folders-25/);
  assert.doesNotMatch(summaryText, /ravdess-25/);
  assert.equal(await page.inputValue("#label-speaker"), "Actor_(\\d+)_take");
  await page.screenshot({ path: join(SCREENSHOTS, "record.png"), fullPage: true });
  writeFileSync(join(dir, "done"), "");
  await context.close();
});
