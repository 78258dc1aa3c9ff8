// Shared e2e plumbing: a static server for the built page, Debian's Chromium with WebGPU on
// SwiftShader, and the real CLI (Deno) for the other side of every comparison.
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const DIST = join(REPO, "packages/web/dist");
export const RAVDESS = resolve(REPO, "..", "shared", "datasets", "ravdess");
export const SCREENSHOTS = join(REPO, "e2e", "screenshots");

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm", ".svg": "image/svg+xml" };

/** Serves DIST on 127.0.0.1 (any free port); resolves to { url, close }. */
export function serveDist() {
  if (!existsSync(join(DIST, "index.html"))) throw new Error(`${DIST} is not built: run pnpm --filter @ser/web build`);
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    let file = join(DIST, path);
    if (!file.startsWith(DIST) || !existsSync(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    if (statSync(file).isDirectory()) file = join(file, "index.html");
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() })));
}

const WEBGPU_ARGS = [
  "--enable-unsafe-webgpu", "--enable-features=Vulkan", "--use-vulkan=swiftshader", "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
];

/** Debian's Chromium; with `webgpu: false` WebGPU stays off (a browser or machine without it). */
export function launchChromium(extraArgs = [], { webgpu = true } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ...(webgpu ? WEBGPU_ARGS : ["--disable-features=WebGPU,Vulkan", "--disable-gpu"]),
      ...extraArgs,
    ],
  });
}

// A feature cache of this test file's own, never one that other runs or dev work filled.
let cacheHome;

/** Runs the CLI (deno from node_modules) and returns { code, stdout, stderr }. */
export function ser(...args) {
  cacheHome ??= mkdtempSync(join(tmpdir(), "ser-e2e-cache-"));
  const r = spawnSync(join(REPO, "node_modules/.bin/deno"), ["run", "-A", join(REPO, "packages/cli/main.ts"), ...args], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? "/tmp", XDG_CACHE_HOME: cacheHome },
    maxBuffer: 64 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the static server and Chromium for a test file; `stop` closes both. */
export async function startPage(extraArgs = [], options = {}) {
  const { mkdirSync } = await import("node:fs");
  mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await serveDist();
  const browser = await launchChromium(extraArgs, options);
  return { server, browser, stop: async () => { await browser.close(); server.close(); } };
}

/** Copies RAVDESS actors' files of the given emotion codes into target/Actor_NN/; returns their paths. */
export async function copySlice(target, actors, emotions) {
  const { copyFileSync, mkdirSync, readdirSync } = await import("node:fs");
  const out = [];
  for (const actor of actors) {
    mkdirSync(join(target, `Actor_${actor}`), { recursive: true });
    for (const f of readdirSync(join(RAVDESS, `Actor_${actor}`))) {
      if (!emotions.includes(f.split("-")[2])) continue;
      copyFileSync(join(RAVDESS, `Actor_${actor}`, f), join(target, `Actor_${actor}`, f));
      out.push(join(target, `Actor_${actor}`, f));
    }
  }
  return out;
}

/** Shows one of the page's steps (data, train, results, search, use), as a user clicks its tab. */
export async function step(page, name) {
  await page.click(`#step-${name}`);
  await page.waitForSelector(`#panel-${name}:not([hidden])`);
}

export const STEPS = ["data", "train", "results", "search", "use"];

/**
 * What makes the page wider than its window: the page's own overflow, and the elements that
 * reach past the right edge outside a box that scrolls sideways by design (.scroll, .scroll-x).
 */
export async function overflow(page) {
  return page.evaluate(() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    wide: [...document.querySelectorAll("body *")].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > window.innerWidth + 1 && !el.closest(".scroll, .scroll-x");
    }).map((el) => el.id || `${el.tagName.toLowerCase()}.${el.className}`).slice(0, 10),
  }));
}

/** Each step at 1280 and 390 px: a screenshot (SCREENSHOTS/<prefix>-<step>-<width>.png) and no sideways overflow at 390. */
export async function screenshotSteps(page, prefix) {
  const failures = [];
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    for (const name of STEPS) {
      await step(page, name);
      await page.screenshot({ path: join(SCREENSHOTS, `${prefix}-${name}-${width}.png`), fullPage: true });
      if (width === 390) {
        const o = await overflow(page);
        if (o.page > 1 || o.wide.length > 0) failures.push(`${name}: page ${o.page}px wider; ${o.wide.join(", ")}`);
      }
    }
  }
  return failures;
}
