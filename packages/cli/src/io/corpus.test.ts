import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFrontend, DEFAULT_FRONTEND } from "@ser/core";
import { RAVDESS } from "../../../core/test/helpers.ts";
import { loadCorpus } from "./corpus.ts";

// Two actors' clips plus the bad inputs a real folder has: a truncated WAV, a text file and a
// byte-identical copy. The worker pool must give exactly the in-process corpus.
function makeCorpus(): string {
  const dir = mkdtempSync(join(tmpdir(), "ser-pool-"));
  for (const actor of ["Actor_02", "Actor_05"]) {
    mkdirSync(join(dir, actor));
    for (const f of readdirSync(join(RAVDESS, actor)).filter((f) => f.endsWith(".wav")).sort().slice(0, 10)) {
      copyFileSync(join(RAVDESS, actor, f), join(dir, actor, f));
    }
  }
  const first = readdirSync(join(dir, "Actor_02")).sort()[0]!;
  copyFileSync(join(dir, "Actor_02", first), join(dir, "Actor_05", first));
  writeFileSync(join(dir, "Actor_02", "03-01-05-02-02-02-02.wav"), new Uint8Array([82, 73, 70, 70, 1, 2, 3]));
  writeFileSync(join(dir, "notes.txt"), "not audio");
  return dir;
}

Deno.test("feature worker pool: same items, features, order and skips as in-process ingestion", async () => {
  const dir = makeCorpus();
  try {
    const frontend = createFrontend(DEFAULT_FRONTEND);
    const options = { dataset: "auto" as const, labels: {}, frontend };
    const serial = await loadCorpus([dir], { ...options, workers: 1 });
    const pooled = await loadCorpus([dir], { ...options, workers: 2 });
    assert.equal(serial.items.length, 20);
    assert.deepEqual(pooled.items.map((i) => i.path), serial.items.map((i) => i.path));
    for (let i = 0; i < serial.items.length; i++) {
      const a = serial.items[i]!, b = pooled.items[i]!;
      assert.deepEqual(b.features, a.features, `features of ${a.path}`);
      assert.deepEqual(b.wave, a.wave, `waveform of ${a.path}`);
      assert.equal(b.durationS, a.durationS);
    }
    assert.deepEqual(pooled.summary.skipped, serial.summary.skipped);
    const reasons = serial.summary.skipped.map((s) => s.reason).join("\n");
    assert.match(reasons, /duplicate: same bytes as/);
    assert.match(reasons, /not an audio file \(\.txt\)/);
    const corrupt = serial.summary.skipped.find((s) => s.path.endsWith("03-01-05-02-02-02-02.wav"));
    assert.ok(corrupt, reasons);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
