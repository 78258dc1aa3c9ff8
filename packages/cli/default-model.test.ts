/**
 * The built-in model (models/default.zip, scripts/build-default-model.sh): `ser predict` without
 * --model uses it, says so, and hears a speaker it never trained on; the figures quoted for it
 * belong to it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { RAVDESS, REPO_ROOT } from "../core/test/helpers.ts";
import builtin from "../../models/default.json" with { type: "json" };
import { readBundle } from "./src/io/bundle-io.ts";
import { DEFAULT_MODEL_NOTE, DEFAULT_MODEL_PATH } from "./src/io/default-model.ts";
import { ser } from "./test-helpers.ts";

const report = Deno.readTextFileSync(join(REPO_ROOT, "models/default.txt"));

Deno.test("the figures the CLI and the page quote (models/default.json) belong to the shipped bundle and its report", async () => {
  // The speakers the figures were measured on are the bundle's own held-out speakers.
  const meta = JSON.parse(new TextDecoder().decode((await readBundle(DEFAULT_MODEL_PATH))["ser.json"]));
  assert.deepEqual([...meta.dataset.testSpeakers].sort(), builtin.testSpeakers);
  assert.match(report, /held-out speakers ravdess-01, ravdess-04, ravdess-11, emodb-03, emodb-08/);
  for (const [corpus, f] of Object.entries(builtin.oneClipByCorpus)) {
    assert.match(report, new RegExp(`^\\s*${corpus}\\s+UAR ${(100 * f.uar).toFixed(1)}%  \\(${f.clips} clips, ${f.classes} classes\\)`, "m"));
  }
  assert.ok(DEFAULT_MODEL_NOTE.includes(`${(100 * builtin.oneClipByCorpus.ravdess.uar).toFixed(1)} % UAR over 8 emotions`), DEFAULT_MODEL_NOTE);
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
