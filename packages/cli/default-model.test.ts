/**
 * The built-in model (models/default.zip, scripts/build-default-model.sh): `ser predict` without
 * --model uses it, says so, and hears a speaker it never trained on; the figure the CLI quotes is
 * the one its build report measured.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { RAVDESS, REPO_ROOT } from "../core/test/helpers.ts";
import { DEFAULT_MODEL_NOTE } from "./src/io/default-model.ts";
import { ser } from "./test-helpers.ts";

const report = Deno.readTextFileSync(join(REPO_ROOT, "models/default.txt"));

Deno.test("the built-in model's report holds out the speakers the CLI calls unseen, and the CLI and the page quote its figure", () => {
  assert.match(report, /held-out speakers ravdess-01, ravdess-04, ravdess-11, emodb-03, emodb-08/);
  const ravdess = report.match(/^\s*ravdess\s+UAR (\d+\.\d)%/m);
  assert.ok(ravdess, "models/default.txt has the per-corpus one-clip line for RAVDESS");
  assert.ok(DEFAULT_MODEL_NOTE.includes(`${ravdess[1]} % UAR`), `the note quotes ${ravdess[1]} %: ${DEFAULT_MODEL_NOTE}`);
  const page = Deno.readTextFileSync(join(REPO_ROOT, "packages/web/index.html"));
  assert.ok(page.includes(`(${ravdess[1]} % UAR`), `the page quotes ${ravdess[1]} % beside its built-in model button`);
  const emodb = report.match(/^\s*emodb\s+UAR (\d+\.\d)%/m);
  assert.ok(emodb, "models/default.txt has the per-corpus one-clip line for EmoDB");
  assert.ok(page.includes(`${Math.round(Number(emodb[1]))} % of German ones`), `the page quotes ${emodb[1]} % rounded for EmoDB`);
});

Deno.test("ser predict without --model uses the built-in model and hears an unseen speaker's anger", async () => {
  // Actor 01 is one of the built-in model's held-out speakers: its eight angry clips.
  const dir = join(RAVDESS, "Actor_01");
  const angry = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.split("-")[2] === "05").sort().map((n) => join(dir, n));
  assert.equal(angry.length, 8);
  const r = await ser("predict", ...angry, "--json");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /using the built-in model \(models\/default\.zip/);
  const rows = JSON.parse(r.stdout);
  assert.equal(rows.length, 8);
  // Measured: 5 of 8 called angry (chance: 1 in 9 labels).
  const hits = rows.filter((p: { label: string }) => p.label === "angry").length;
  assert.ok(hits >= 4, `angry for ${hits} of 8 clips`);
});
