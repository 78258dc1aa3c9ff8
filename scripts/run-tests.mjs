#!/usr/bin/env node
// Runs every package's type check and tests through turbo, streams their output, and ends with
// one line "N passed, N failed[, N skipped]" summed over all suites (CI reads that line).
import { spawn } from "node:child_process";

const env = {
  ...process.env,
  NO_COLOR: "1",
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
  XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? "/tmp",
};
const args = ["turbo", "run", "check", "test", "--continue", "--concurrency=1", "--output-logs=full", ...process.argv.slice(2)];
const child = spawn("pnpm", ["exec", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });

let passed = 0;
let failed = 0;
let skipped = 0;
let suites = 0;
let pending = "";
// Deno: "ok | 12 passed (3 steps) | 0 failed | 1 ignored (40ms)"; Playwright/node: "N passed", "N failed".
const DENO = /(?:^|\s)(ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed(?: \(\d+ steps?\))?(?: \| (\d+) ignored)?/;

// node --test (TAP): "# pass 2", "# fail 0", "# skipped 0" at the end of each run.
const NODE = /(?:^|\s)# (pass|fail|skipped) (\d+)\s*$/;

function scan(line) {
  const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
  const n = NODE.exec(plain);
  if (n) {
    if (n[1] === "pass") {
      suites++;
      passed += Number(n[2]);
    } else if (n[1] === "fail") failed += Number(n[2]);
    else skipped += Number(n[2]);
    return;
  }
  const m = DENO.exec(plain);
  if (m) {
    suites++;
    passed += Number(m[2]);
    failed += Number(m[3]);
    skipped += Number(m[4] ?? 0);
  }
}

function pipe(stream, sink) {
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    sink.write(chunk);
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    lines.forEach(scan);
  });
}
pipe(child.stdout, process.stdout);
pipe(child.stderr, process.stderr);

child.on("close", (code) => {
  scan(pending);
  if (code !== 0 && failed === 0) {
    // A type check or a suite that could not start failed without a test count: count it once.
    console.log("\nA task failed outside the test counts (type check or a suite that did not start).");
    failed = 1;
  }
  console.log(`\n${suites} suites`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
