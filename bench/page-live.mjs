// The live page's window latency in Chromium (the built site): a default bundle (`ser train` on
// three RAVDESS actors) loaded in the page, the microphone faked with a real RAVDESS recording,
// and the round trip of each 2.5 s window through the model worker (features, model, transfer)
// as the page measures it (#live-bars data-latency-ms), over 20 windows after 3 warm-up ones.
// The cadence is 0.5 s. Prints JSON rows like the other benchmarks with --json.
//   node bench/page-live.mjs [--json]   (needs: pnpm --filter @ser/web build, /usr/bin/chromium)
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copySlice, RAVDESS, ser, startPage } from "../e2e/tests/helpers.mjs";

const json = process.argv.includes("--json");
const dir = mkdtempSync(join(tmpdir(), "ser-bench-page-live-"));
const data = join(dir, "data");
await copySlice(data, ["01", "02", "03"], ["01", "02", "03", "04", "05", "06", "07", "08"]);
const t = ser("train", data, "--out", join(dir, "model"), "--epochs", "1", "--validation-size", "0", "--test-actors", "03", "--zip", "--cache", "off");
if (t.code !== 0) throw new Error(`ser train failed: ${t.stderr}`);
const angry = readdirSync(join(RAVDESS, "Actor_05")).find((f) => f.split("-")[2] === "05" && f.split("-")[3] === "02");
const { server, browser, stop } = await startPage([
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream",
  `--use-file-for-fake-audio-capture=${join(RAVDESS, "Actor_05", angry)}`,
]);
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}#use`);
  await page.setInputFiles("#bundle-input", join(dir, "model.zip"));
  await page.waitForSelector("#model-info[data-loaded]", { timeout: 120_000 });
  await page.waitForFunction(() => !document.getElementById("live-start").disabled);
  await page.click("#live-start");
  const ms = [];
  for (let k = 1; ms.length < 20; k++) {
    await page.waitForFunction((n) => Number(document.getElementById("live-bars").dataset.updates ?? 0) >= n, k, { timeout: 120_000 });
    if (k > 3) ms.push(Number(await page.getAttribute("#live-bars", "data-latency-ms")));
  }
  await page.click("#live-stop");
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  const rows = [{ figure: "Page: live window round trip (2.5 s, default bundle, model worker), median of 20", unit: "ms", lowerIsBetter: true, ours: median, peer: { name: "cadence", value: 500 } }];
  if (json) console.log(JSON.stringify(rows));
  else console.log(`live window in the page: median ${median.toFixed(1)} ms, max ${ms.at(-1).toFixed(1)} ms over ${ms.length} windows (cadence 500 ms)`);
} finally {
  await stop();
  rmSync(dir, { recursive: true, force: true });
}
