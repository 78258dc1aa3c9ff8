// The page is usable by keyboard and readable both at 1280x800 and on a phone-sized window:
// every control has an accessible name, Tab reaches the controls in reading order, and
// nothing forces horizontal scrolling at 360 px.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { SCREENSHOTS, startPage } from "./helpers.mjs";

let server, browser, stop;

before(async () => {
  ({ server, browser, stop } = await startPage());
});

after(() => stop?.());

test("every control has an accessible name and Tab reaches them in reading order", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  const unnamed = await page.evaluate(() => [...document.querySelectorAll("button, input, select, meter, canvas, audio")].filter((el) => {
    const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
    const name = el.getAttribute("aria-label") || el.closest("label")?.textContent?.trim() || label?.textContent?.trim() || (el.tagName === "BUTTON" ? el.textContent.trim() : "");
    return !name;
  }).map((el) => el.id || el.outerHTML.slice(0, 80)));
  assert.deepEqual(unnamed, []);
  const order = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    order.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName));
  }
  const want = ["zip-input", "folder-input", "rec-emotion", "rec-actor", "rec-start", "filter-dataset", "filter-emotion", "filter-speaker", "train-model", "train-epochs", "train-seed", "bundle-input"];
  const positions = want.map((id) => order.indexOf(id));
  assert.ok(positions.every((p) => p >= 0), `reached by Tab: ${order.join(", ")}`);
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, `in reading order: ${order.join(", ")}`);
  await page.screenshot({ path: join(SCREENSHOTS, "page-1280.png") });
  await page.close();
});

test("loading the page logs no console error, fetches nothing that fails (favicon included) and nothing off its origin", async () => {
  const page = await browser.newPage();
  const errors = [];
  const failed = [];
  const offOrigin = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
  page.on("request", (r) => !r.url().startsWith(server.url) && !/^(data|blob):/.test(r.url()) && offOrigin.push(r.url()));
  await page.goto(server.url);
  await page.waitForLoadState("networkidle");
  assert.deepEqual(errors, []);
  assert.deepEqual(failed, []);
  assert.deepEqual(offOrigin, []);
  assert.equal(await page.evaluate(() => document.querySelector('link[rel="icon"]')?.getAttribute("href")), "./favicon.svg");
  await page.close();
});

test("a 360 px wide window needs no horizontal scrolling", async () => {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  await page.goto(server.url);
  const overflow = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    wide: [...document.querySelectorAll("main *")].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest(".scroll")).map((el) => el.id || el.tagName).slice(0, 10),
  }));
  assert.ok(overflow.page <= 1, `page is ${overflow.page}px wider than the window: ${overflow.wide.join(", ")}`);
  await page.screenshot({ path: join(SCREENSHOTS, "page-360.png"), fullPage: true });
  await page.close();
});
