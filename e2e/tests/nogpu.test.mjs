// Without WebGPU (an older browser, a machine without a GPU driver) the page says so, falls back
// to TensorFlow.js's CPU backend, and still predicts with a bundle made by the CLI.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { copySlice, RAVDESS, SCREENSHOTS, ser, startPage } from "./helpers.mjs";

let server, browser, stop, dir, bundleZip;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "ser-e2e-nogpu-"));
  const data = join(dir, "data");
  await copySlice(data, ["01", "02", "03"], ["03", "05"]);
  const t = ser("train", data, "--out", join(dir, "model"), "--model", "mlp", "--epochs", "1", "--validation-size", "0", "--test-actors", "03", "--zip");
  assert.equal(t.code, 0, t.stderr);
  bundleZip = join(dir, "model.zip");
  ({ server, browser, stop } = await startPage([], { webgpu: false }));
});

after(() => stop?.());

test("no WebGPU: the page names the fallback and its reason, and predicts on the CPU", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.url}#use`);
  await page.waitForFunction(() => document.getElementById("backend")?.dataset.backend !== undefined, null, { timeout: 60_000 });
  assert.equal(await page.getAttribute("#backend", "data-backend"), "cpu");
  assert.match(await page.textContent("#backend"), /WebGPU is not available: .+; training on the CPU, which is much slower/);
  assert.equal(await page.getAttribute("#backend", "class"), "warning");
  await page.setInputFiles("#bundle-input", bundleZip);
  await page.waitForSelector("#model-info[data-loaded]", { timeout: 60_000 });
  const wav = join(RAVDESS, "Actor_04", readdirSync(join(RAVDESS, "Actor_04")).find((f) => f.split("-")[2] === "05"));
  await page.setInputFiles("#wav-input", wav);
  await page.waitForSelector("#predict-status[data-done]", { timeout: 60_000 });
  const probs = JSON.parse(await page.getAttribute("#predictions tbody tr", "data-probabilities"));
  assert.ok(Math.abs(Object.values(probs).reduce((a, b) => a + b, 0) - 1) < 1e-4);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(SCREENSHOTS, "no-webgpu.png") });
  await page.close();
});
