// The page is usable by keyboard and readable both at 1280x800 and on a phone-sized window:
// every control has an accessible name, the steps are tabs the arrow keys move between, Tab
// reaches a step's controls in reading order, and no step forces horizontal scrolling at 360 px.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { overflow, SCREENSHOTS, STEPS, startPage, step } from "./helpers.mjs";

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
  for (let i = 0; i < 70; i++) {
    await page.keyboard.press("Tab");
    order.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName));
  }
  const want = ["step-data", "zip-input", "folder-input", "rec-emotion", "rec-actor", "rec-start", "filter-dataset", "filter-emotion", "filter-speaker"];
  const positions = want.map((id) => order.indexOf(id));
  assert.ok(positions.every((p) => p >= 0), `reached by Tab: ${order.join(", ")}`);
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, `in reading order: ${order.join(", ")}`);
  // One tab stop for the steps; other steps' controls are not in the way.
  assert.ok(!order.includes("step-train") && !order.includes("train-model"), order.join(", "));
  await page.screenshot({ path: join(SCREENSHOTS, "page-1280.png") });
  // The arrow keys move between steps; the address names the step shown.
  await page.focus("#step-data");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.getAttribute("#step-train", "aria-selected"), "true");
  assert.ok(await page.isVisible("#train-model") && !(await page.isVisible("#zip-input")));
  assert.equal(await page.evaluate(() => document.activeElement.id), "step-train");
  await page.keyboard.press("End");
  assert.equal(await page.evaluate(() => location.hash), "#use");
  assert.ok(await page.isVisible("#builtin-model"));
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.getAttribute("#step-data", "aria-selected"), "true", "wraps around");
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

test("a 360 px wide window needs no horizontal scrolling on any step", async () => {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  await page.goto(server.url);
  for (const name of STEPS) {
    await step(page, name);
    const o = await overflow(page);
    assert.ok(o.page <= 1 && o.wide.length === 0, `${name}: the page is ${o.page}px wider than the window: ${o.wide.join(", ")}`);
  }
  await step(page, "data");
  await page.screenshot({ path: join(SCREENSHOTS, "page-360.png"), fullPage: true });
  await page.close();
});
