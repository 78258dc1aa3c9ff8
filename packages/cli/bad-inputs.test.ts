/**
 * Every bad input gets its documented behaviour and nothing else is lost: one folder holding
 * damaged and unsupported files next to good clips goes through `ser info` (each file's
 * outcome checked) and `ser train` (trains on exactly the good ones); single bad files give
 * `ser features` / `ser predict` a clear error and exit code 1.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ser } from "./test-helpers.ts";
import { sortedNames } from "../core/test/helpers.ts";
import { writeBadInputs } from "./test/bad-inputs.ts";

Deno.test("bad inputs: each is skipped with its reason or read, the CLI exits 0, and training uses exactly the good files", async () => {
  const root = await Deno.makeTempDir({ prefix: "ser-bad-" });
  const expect = writeBadInputs(root);
  const info = await ser("info", root, "--json");
  assert.equal(info.code, 0, info.stderr);
  const summary = JSON.parse(info.stdout);
  const skipped = new Map<string, string>(summary.skipped.map((s: { path: string; reason: string }) => [s.path.slice(root.length + 1), s.reason]));
  for (const [path, outcome] of Object.entries(expect)) {
    if (path === "archive.zip") continue;
    const reason = skipped.get(path);
    if (outcome === "ok") assert.equal(reason, undefined, `${path} should be read, was skipped: ${reason}`);
    else {
      assert.ok(reason !== undefined, `${path} should be skipped`);
      assert.match(reason, outcome, `${path}: ${reason}`);
    }
  }
  const tiny = summary.skipped.filter((s: { path: string }) => s.path.includes("archive.zip/tiny/"));
  assert.equal(tiny.length, 3000, "every tiny entry is accounted for");
  assert.ok(tiny.every((s: { reason: string }) => s.reason === "not an audio file (.txt)"));
  const good = Object.entries(expect).filter(([p, o]) => o === "ok" && p !== "archive.zip").length;
  assert.equal(summary.files, good);

  const t = await ser("train", root, "--out", join(root, "model"), "--model", "mlp", "--epochs", "1", "--validation-size", "0", "--augment", "none");
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stderr, new RegExp(`read ${good} recordings \\(${summary.skipped.length} skipped\\)`));

  for (const name of ["bad/03-01-01-02-01-02-05.wav", "bad/03-01-01-01-02-02-05.wav", "bad/03-01-03-02-01-01-05.wav"]) {
    const f = await ser("features", join(root, name));
    assert.equal(f.code, 1, `${name}: ${f.stderr}`);
    assert.ok(f.stderr.includes(name.split("/").pop()!), `the error names the file: ${f.stderr}`);
    assert.ok(!/\n\s+at /.test(f.stderr), `no stack trace: ${f.stderr}`);
  }
  const p = await ser("predict", "--model", join(root, "model"), join(root, "bad/03-01-01-02-02-01-05.wav"), join(root, "Actor_02", sortedNames(join(root, "Actor_02"))[0]!));
  assert.equal(p.code, 1, "one unreadable file of two: the other is predicted, the exit code says something failed");
  assert.match(p.stdout, /Actor_02.*: \w+/);
  assert.match(p.stderr, /sample 1 is Infinity/);
  await Deno.remove(root, { recursive: true });
});
