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

test("the same 18 files (two RAVDESS actors, four EmoDB speakers) get the same labels dropped together, one speaker at a time, and from ser predict", async () => {
  const emodb = join(RAVDESS, "..", "emodb", "wav");
  const bySpeaker = new Map();
  for (const actor of ["06", "07"]) {
    const d = join(RAVDESS, `Actor_${actor}`);
    bySpeaker.set(`ravdess-${actor}`, readdirSync(d).filter((f) => ["01", "03", "04", "05"].includes(f.split("-")[2])).sort().slice(0, 3).map((f) => join(d, f)));
  }
  for (const spk of ["03", "08", "09", "10"]) {
    bySpeaker.set(`emodb-${spk}`, readdirSync(emodb).filter((f) => f.startsWith(spk) && "NFTW".includes(f[5])).sort().slice(0, 3).map((f) => join(emodb, f)));
  }
  const all = [...bySpeaker.values()].flat();
  assert.equal(all.length, 18);
  const page = await browser.newPage();
  await page.goto(`${server.url}#use`);
  await page.setInputFiles("#bundle-input", bundleZip);
  await page.waitForSelector("#model-info[data-loaded=true]", { timeout: 60_000 });
  const drop = async (files) => {
    await page.evaluate(() => delete document.getElementById("predict-status").dataset.done);
    await page.setInputFiles("#wav-input", files);
    await page.waitForSelector("#predict-status[data-done]", { timeout: 120_000 });
    return page.$$eval("#predictions tbody tr", (trs) => trs.map((tr) => ({ file: tr.dataset.file, label: tr.querySelector("td").textContent, group: tr.dataset.group, clips: Number(tr.dataset.groupClips) })));
  };
  const together = await drop(all);
  assert.equal(together.length, 18);
  // Grouped by the speaker each name carries: six groups of three, never pooled.
  assert.deepEqual([...new Set(together.map((r) => r.group))].sort(), [...bySpeaker.keys()].sort());
  assert.ok(together.every((r) => r.clips === 3), JSON.stringify(together));
  assert.match(await page.textContent("#predict-status"), /6 speaker groups/);
  const apart = [];
  for (const files of bySpeaker.values()) apart.push(...await drop(files));
  const label = (rows, f) => rows.find((r) => f.endsWith(r.file)).label;
  assert.deepEqual(all.map((f) => label(apart, f)), all.map((f) => label(together, f)));
  // And the CLI, given all 18 at once, agrees file by file.
  const p = ser("predict", "--model", bundleZip, ...all, "--json");
  assert.equal(p.code, 0, p.stderr);
  assert.deepEqual(JSON.parse(p.stdout).map((r) => r.label), all.map((f) => label(together, f)));
  // Bars have width (they once collapsed to 0 px in the table).
  const widths = await page.$$eval("#predictions tbody meter", (ms) => ms.map((m) => m.getBoundingClientRect().width));
  assert.ok(widths.length > 0 && widths.every((w) => w >= 40), JSON.stringify(widths.slice(0, 5)));
  // "These files are one speaker" pools them, and says so on each row.
  await page.check("#one-speaker");
  const pooled = await drop(bySpeaker.get("ravdess-06"));
  assert.ok(pooled.every((r) => r.clips === 3 && r.group === "these files"), JSON.stringify(pooled));
  await page.uncheck("#one-speaker");
  // Narrowing: unchecking emotions leaves only the chosen ones in every row's probabilities.
  const boxes = await page.$$eval("#predict-emotion-boxes input", (bs) => bs.map((b) => b.value));
  for (const b of boxes.slice(2)) await page.uncheck(`#predict-emotion-boxes input[value="${b}"]`);
  await drop(bySpeaker.get("emodb-03"));
  const probs = await page.$$eval("#predictions tbody tr", (trs) => trs.map((tr) => JSON.parse(tr.dataset.probabilities)));
  assert.ok(probs.every((p) => Object.keys(p).sort().join() === boxes.slice(0, 2).sort().join() && Math.abs(Object.values(p).reduce((a, b) => a + b, 0) - 1) < 1e-5), JSON.stringify(probs));
  await page.close();
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
