// Live mode as a user meets it, with no training first: the built-in model (one button) and the
// microphone (Chromium's fake capture device) playing 30 s of one speaker speaking one emotion:
// all eight of RAVDESS actor 01's angry clips joined (19 s; the device loops it). The shown label
// must be that emotion most of the time and must not flicker. Nothing is requested off the
// page's origin. The built-in model trained on every shared speaker, actor 01 included, so this
// checks the live path end to end, not accuracy on a new voice: `pnpm bench:live` measures that
// with a model of the same recipe that never heard the speakers it streams.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { RAVDESS, REPO, SCREENSHOTS, startPage } from "./helpers.mjs";

/** The updates one pass of the stream fills (the timeline's length: 30 s at two a second). */
const UPDATES = 60;
let server, browser, stop, streamSeconds;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ser-e2e-live-"));
  const clips = readdirSync(join(RAVDESS, "Actor_01")).filter((f) => f.split("-")[2] === "05").sort().map((f) => join(RAVDESS, "Actor_01", f));
  assert.equal(clips.length, 8);
  const stream = join(dir, "actor01-angry.wav");
  const sox = spawnSync("sox", [...clips, stream], { encoding: "utf8" });
  assert.equal(sox.status, 0, sox.stderr);
  streamSeconds = Number(spawnSync("soxi", ["-D", stream], { encoding: "utf8" }).stdout);
  ({ server, browser, stop } = await startPage([
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-audio-capture=${stream}`,
  ]));
});

after(() => stop?.());

test("the built-in model, live: a speaker's anger shows as angry most of 30 s, with few label changes", async () => {
  assert.ok(streamSeconds > 15 && streamSeconds < 30, `the stream is ${streamSeconds} s`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  // From the empty first page, one click reaches a live label: "Listen to my voice" loads the
  // built-in model, moves to Use and starts listening.
  await page.goto(server.url);
  assert.equal(await page.getAttribute("body", "data-step"), "data");
  await page.click("#try-live");
  // The figures offered beside the button are the ones the model's build measured (each corpus left out).
  const { corporaOut } = JSON.parse(readFileSync(join(REPO, "models/default.json"), "utf8"));
  const about = await page.textContent("#builtin-about");
  assert.equal(Object.keys(corporaOut).length, 3);
  for (const f of Object.values(corporaOut)) assert.ok(about.includes(`${(100 * f.uar).toFixed(1)}%`), about);
  assert.match(about, /non-commercial use \(CC BY-NC-SA 4\.0\)/);
  await page.waitForSelector("#model-info[data-loaded=true]", { timeout: 120_000 });
  assert.match(await page.textContent("#model-info"), /built-in model/);
  assert.equal(await page.getAttribute("body", "data-step"), "use");
  // The hint states what the page does, derived from the constants that do it.
  assert.match(await page.textContent("#live-hint"), /average of the last 3 s; a new one shows once it has led for 1 s\..*34 % among 4 emotions, 22 % among 9.*below −50 dB/);
  assert.equal(await page.textContent("#live-timeline-title"), "Last 30 s");
  // The timeline's colours are named: every emotion of the model, "not sure" and "silence".
  assert.equal(await page.locator("#live-legend li").count(), (await page.$$eval("#predict-emotion-boxes input", (b) => b.length)) + 2);
  // More updates than the timeline keeps, so it has had to drop its oldest.
  await page.waitForFunction((n) => Number(document.getElementById("live-bars").dataset.updates ?? 0) >= n + 5, UPDATES, { timeout: 240_000, polling: 500 });
  const steps = await page.$$eval("#live-timeline li", (lis) => lis.map((li) => li.dataset.label));
  assert.equal(Number(await page.getAttribute("#live-timeline", "data-capacity")), UPDATES);
  assert.equal(steps.length, UPDATES, "the timeline keeps the last 30 s and drops older labels");
  const tally = {};
  for (const s of steps) tally[s] = (tally[s] ?? 0) + 1;
  // Changes of what is shown once the microphone has started (its first windows are silence).
  const heard = steps.slice(steps.findIndex((s) => s !== "silence"));
  const changes = heard.slice(1).filter((s, i) => s !== heard[i]).length;
  const summary = `${JSON.stringify(tally)}, ${changes} changes`;
  console.log(`live, actor 01 angry through the fake microphone: ${summary}\n${steps.join(" ")}`);
  // The label shown never sits below the "not sure" level the hint states (an eighth of the way
  // from chance to certainty), and
  // the shown label's bar is the one marked.
  const shownProbs = JSON.parse(await page.getAttribute("#live-bars", "data-probabilities"));
  const state = await page.getAttribute("#live-label", "data-state");
  if (state === "emotion") {
    const label = await page.getAttribute("#live-label", "data-label");
    const chance = 1 / Object.keys(shownProbs).length;
    assert.ok(shownProbs[label] >= chance + (1 - chance) / 8 - 1e-9, `${label} ${shownProbs[label]}`);
    assert.equal(await page.getAttribute("#live-bars .bar.shown", "data-label"), label);
    // …and it is the longest bar: the label never contradicts the bars.
    assert.equal(Object.entries(shownProbs).sort((a, b) => b[1] - a[1])[0][0], label);
  }
  const [majority] = Object.entries(tally).sort((a, b) => b[1] - a[1])[0];
  assert.equal(majority, "angry", summary);
  // Measured 10, 12 and 14 changes in three runs with the three-corpus model, now that "not sure"
  // also shows while a new emotion leads but has not yet held (5-9 before, when the held label
  // could contradict the bars); at most one change per 1.7 s on average.
  assert.ok(changes <= 18, summary);
  assert.equal(await page.getAttribute("#live-label", "data-state") !== "idle", true);
  await page.screenshot({ path: join(SCREENSHOTS, "live-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator("#live-label").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, "live-390.png") });
  await page.click("#live-stop");
  const origin = new URL(server.url).origin;
  assert.deepEqual(requests.filter((u) => !u.startsWith(origin) && !u.startsWith("blob:") && !u.startsWith("data:")), []);
  assert.deepEqual(errors, []);
  await context.close();
});
