// A bundle trained by the CLI loads in the page (WebGPU in a worker) and predicts exactly what
// the CLI predicts; the page's re-exported bundle loads back in the CLI with the same result.
// Also: the page keeps to its own origin, and carries a strict CSP.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { copySlice, RAVDESS, SCREENSHOTS, ser, startPage } from "./helpers.mjs";

let server, browser, stop, dir, bundleZip, wavs, cliPredictions;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "ser-e2e-"));
  // A small slice: actors 01-03 train, a few clips of actor 04 to predict.
  const data = join(dir, "data");
  await copySlice(data, ["01", "02", "03"], ["01", "03", "04", "05"]);
  wavs = readdirSync(join(RAVDESS, "Actor_04")).filter((f) => ["03", "05"].includes(f.split("-")[2])).slice(0, 3).map((f) => join(RAVDESS, "Actor_04", f));
  const model = join(dir, "model");
  const t = ser("train", data, "--out", model, "--model", "mlp", "--epochs", "2", "--validation-size", "0", "--test-actors", "03", "--zip", "--normalize", "speaker");
  assert.equal(t.code, 0, t.stderr);
  bundleZip = `${model}.zip`;
  const p = ser("predict", "--model", bundleZip, ...wavs, "--json");
  assert.equal(p.code, 0, p.stderr);
  cliPredictions = JSON.parse(p.stdout);
  ({ server, browser, stop } = await startPage());
});

after(() => stop?.());

test("a CLI bundle predicts in the page on WebGPU exactly as in the CLI, and the page's export loads back in the CLI", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.url}#use`);
  await page.waitForFunction(() => document.getElementById("backend")?.dataset.backend !== undefined, null, { timeout: 60_000 });
  assert.equal(await page.getAttribute("#backend", "data-backend"), "webgpu", await page.textContent("#backend"));

  await page.setInputFiles("#bundle-input", bundleZip);
  await page.waitForSelector("#model-info[data-loaded=true]", { timeout: 60_000 });
  assert.match(await page.textContent("#model-info"), /mlp, [\d,]+ parameters/);
  await page.setInputFiles("#wav-input", wavs);
  await page.waitForSelector("#predict-status[data-done]", { timeout: 120_000 });
  const rows = await page.$$eval("#predictions tbody tr", (trs) => trs.map((tr) => ({ file: tr.dataset.file, probabilities: JSON.parse(tr.dataset.probabilities) })));
  assert.equal(rows.length, wavs.length);
  // RAVDESS names carry the emotion: each row shows it (✓/✗) and the status tallies them.
  const truths = await page.$$eval("#predictions tbody tr", (trs) => trs.map((tr) => tr.dataset.truth));
  assert.ok(truths.every((t) => typeof t === "string" && t.length > 0), JSON.stringify(truths));
  const right = cliPredictions.filter((c) => c.label === truths[rows.findIndex((r) => c.file.endsWith(r.file))]).length;
  assert.equal(await page.getAttribute("#predict-status", "data-right"), `${right}/${wavs.length}`);
  assert.equal(await page.locator("#predictions tbody audio").count(), wavs.length);
  for (const cli of cliPredictions) {
    const row = rows.find((r) => cli.file.endsWith(r.file));
    assert.ok(row, `no row for ${cli.file}`);
    for (const [label, v] of Object.entries(cli.probabilities)) {
      assert.ok(Math.abs(row.probabilities[label] - v) < 1e-4, `${row.file} ${label}: page ${row.probabilities[label]} vs CLI ${v}`);
    }
  }
  await page.screenshot({ path: join(SCREENSHOTS, "predict.png"), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  const exported = join(dir, "from-browser.zip");
  await download.saveAs(exported);
  const back = ser("predict", "--model", exported, ...wavs, "--json");
  assert.equal(back.code, 0, back.stderr);
  assert.deepEqual(JSON.parse(back.stdout).map((r) => r.label), cliPredictions.map((r) => r.label));
  for (const [i, r] of JSON.parse(back.stdout).entries()) {
    for (const [label, v] of Object.entries(r.probabilities)) assert.ok(Math.abs(v - cliPredictions[i].probabilities[label]) < 1e-6);
  }

  assert.deepEqual(errors, []);
  const origin = new URL(server.url).origin;
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith("blob:") && !u.startsWith("data:"));
  assert.deepEqual(foreign, [], "the page makes no request beyond its own origin");
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  await context.close();
});

test("the page shows a clear error for a file that is not a bundle, and stays usable", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}#use`);
  await page.setInputFiles("#bundle-input", { name: "notes.zip", mimeType: "application/zip", buffer: Buffer.from("not a zip") });
  await page.waitForSelector("#model-info.error", { timeout: 60_000 });
  assert.match(await page.textContent("#model-info"), /model bundle zip could not be read/);
  await page.setInputFiles("#bundle-input", bundleZip);
  await page.waitForSelector("#model-info[data-loaded=true]", { timeout: 60_000 });
  await page.close();
});

test("a model saved in the browser (IndexedDB) survives a reload and predicts again", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}#use`);
  await page.setInputFiles("#bundle-input", bundleZip);
  await page.waitForSelector("#model-info[data-loaded=true]", { timeout: 60_000 });
  await page.click("#save-local");
  await page.waitForSelector("#saved-models li[data-name]", { timeout: 30_000 });
  await page.reload();
  await page.waitForSelector("#saved-models li[data-name]", { timeout: 30_000 });
  assert.match(await page.textContent("#saved-models"), /mlp on byol-s, 4 emotions, UAR/);
  await page.click("#saved-models li[data-name] button");
  await page.waitForSelector("#model-info[data-loaded=true]", { timeout: 60_000 });
  await page.setInputFiles("#wav-input", wavs);
  await page.waitForSelector("#predict-status[data-done]", { timeout: 120_000 });
  const rows = await page.$$eval("#predictions tbody tr", (trs) => trs.map((tr) => JSON.parse(tr.dataset.probabilities)));
  for (const [i, cli] of cliPredictions.entries()) {
    for (const [label, v] of Object.entries(cli.probabilities)) assert.ok(Math.abs(rows[i][label] - v) < 1e-4);
  }
  await context.close();
});
