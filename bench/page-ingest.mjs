// Feature extraction in the page (Chromium, the built site): the trainer worker's pool with one
// worker against the default (one per core), on every file of the shared RAVDESS subset,
// dropped as a folder. Prints JSON rows like the other benchmarks with --json.
//   node bench/page-ingest.mjs [--json]   (needs: pnpm --filter @ser/web build, /usr/bin/chromium)
import { join } from "node:path";
import { RAVDESS, startPage } from "../e2e/tests/helpers.mjs";

const json = process.argv.includes("--json");
const { server, browser, stop } = await startPage();
async function run(workers) {
  const page = await browser.newPage();
  await page.goto(`${server.url}${workers ? `?workers=${workers}` : ""}`);
  await page.setInputFiles("#folder-input", RAVDESS);
  await page.waitForSelector("#data-summary[data-files]", { timeout: 600_000 });
  await page.click("#step-train");
  await page.fill("#train-epochs", "1");
  await page.click("#train-start");
  await page.waitForSelector("#train-results[data-report]", { timeout: 900_000 });
  const m = (await page.textContent("#train-results")).match(/Features for (\d+) recordings in ([\d.]+) s on (\d+) worker/);
  await page.close();
  return { files: Number(m[1]), seconds: Number(m[2]), workers: Number(m[3]) };
}
try {
  const one = await run(1);
  const pool = await run(0);
  const rows = [
    { figure: `Page: features for ${one.files} files (the default front end: BYOL-S and its narrowband view), 1 worker`, unit: "s", lowerIsBetter: true, ours: one.seconds },
    { figure: `Page: features, ${pool.workers} workers`, unit: "s", lowerIsBetter: true, ours: pool.seconds, peer: { name: "same, 1 worker", value: one.seconds } },
  ];
  if (json) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.figure}: ${r.ours.toFixed(1)} s${r.peer ? ` (speed-up ${(r.peer.value / r.ours).toFixed(2)}x)` : ""}`);
} finally {
  await stop();
}
