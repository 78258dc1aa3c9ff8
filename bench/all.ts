/**
 * `pnpm bench`: every benchmark in one run, one table (figure, ours, peer, ratio), each peer
 * measured in the same run on the same machine. With --write the table replaces the one in
 * BENCHMARKS.md. The accuracy benchmark (cross-validation, tens of minutes) is separate:
 * `pnpm bench:accuracy`.
 *   deno run -A bench/all.ts [--write] [--skip-scale]
 */
import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

interface Row {
  figure: string;
  unit: string;
  ours: number;
  lowerIsBetter?: boolean;
  peer?: { name: string; value: number };
}

const { values } = parseArgs({ args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args, options: { write: { type: "boolean" }, "skip-scale": { type: "boolean" } } });
const here = import.meta.dirname!;
const deno = (script: string) => [Deno.execPath(), "run", "-A", join(here, script)];
const pageBuilt = existsSync(join(here, "..", "packages", "web", "dist", "index.html")) && existsSync("/usr/bin/chromium");
const scripts = [
  deno("features.ts"),
  // `ser features` end to end on a long file against librosa, and an hour in bounded memory.
  deno("features-cli.ts"),
  deno("ingest.ts"),
  [...deno("ingest.ts"), "--features", "stats"],
  // The page's feature pool, in Chromium (needs the built page).
  ...(pageBuilt ? [["node", join(here, "page-ingest.mjs")], ["node", join(here, "page-live.mjs")]] : []),
  deno("train-speed.ts"),
  // The default mlp on the backend `ser train` picks, and on WebGPU for comparison.
  [...deno("train-speed.ts"), "--model", "mlp"],
  [...deno("train-speed.ts"), "--model", "mlp", "--backend", "webgpu"],
  // One clip through a loaded predictor, and a live window.
  deno("inference.ts"),
  deno("webgpu-matmul.ts"),
  ...(values["skip-scale"] ? [] : [deno("scale.ts")]),
];
if (!pageBuilt) console.error("page not built or no /usr/bin/chromium: the page ingestion benchmark is skipped (pnpm --filter @ser/web build).");
const rows: Row[] = [];
for (const [cmd, ...args] of scripts) {
  const name = args.filter((a) => a !== "run" && a !== "-A").join(" ");
  console.error(`running ${name}…`);
  const r = spawnSync(cmd!, [...args, "--json"], { encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`${name} failed with exit code ${r.status}`);
  rows.push(...(JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Row[]));
}
const ratio = (x: number) => (x >= 1 ? `${fmt(x)}x better` : `${fmt(1 / x)}x worse`);
const fmt = (v: number) => (!Number.isFinite(v) ? "-" : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const table = [["figure", "unit", "ours", "peer", "peer value", "ours vs peer"], ...rows.map((r) => [
  r.figure,
  r.unit,
  fmt(r.ours),
  r.peer?.name ?? "-",
  r.peer ? fmt(r.peer.value) : "-",
  // "2.0x better" / "33x worse" read the same whichever way the unit points.
  r.peer ? ratio(r.lowerIsBetter ? r.peer.value / r.ours : r.ours / r.peer.value) : "-",
])];
const machine = `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${Deno.build.target}, Deno ${Deno.version.deno}; ${new Date().toISOString().slice(0, 10)}`;
const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
console.log(machine);
for (const r of table) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd());
if (values.write) {
  const md = [`Machine: ${machine}`, "", `| ${table[0]!.join(" | ")} |`, `|${table[0]!.map(() => " --- ").join("|")}|`, ...table.slice(1).map((r) => `| ${r.join(" | ")} |`)].join("\n");
  const path = join(here, "..", "BENCHMARKS.md");
  const text = readFileSync(path, "utf8");
  const start = "<!-- bench:table:start -->", end = "<!-- bench:table:end -->";
  if (!text.includes(start) || !text.includes(end)) throw new Error(`${path} lacks the ${start} / ${end} markers.`);
  writeFileSync(path, text.slice(0, text.indexOf(start) + start.length) + "\n" + md + "\n" + text.slice(text.indexOf(end)));
  console.error(`table written to ${path}`);
}
