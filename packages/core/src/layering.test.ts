/**
 * Core is layered one way: serving (inference), ser.json (bundle), specs, features and shards
 * never import the experiment layer, which builds on them; the tfjs-free public API (mod.ts's
 * layers) never loads tfjs, not even through another file.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const SRC = import.meta.dirname!;
const filesIn = (folder: string) =>
  readdirSync(join(SRC, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
    .map((e) => join(e.parentPath, e.name));

/** What a file imports or re-exports, as [specifier, type-only]. Dynamic imports count as loads. */
function importsOf(file: string): { target: string; typeOnly: boolean }[] {
  const text = readFileSync(file, "utf8");
  const out = [...text.matchAll(/^(import|export)(\s+type)?\b[^;]*?from "([^"]+)"/gms)].map((m) => ({ target: m[3]!, typeOnly: Boolean(m[2]) }));
  for (const m of text.matchAll(/import\("([^"]+)"\)/g)) out.push({ target: m[1]!, typeOnly: false });
  return out;
}

Deno.test("core layering: inference, bundle, spec, features, shards, ingest, data and metrics never import experiment/", () => {
  for (const folder of ["inference", "bundle", "spec", "features", "shards", "ingest", "data", "metrics", "dsp", "audio"]) {
    const up = filesIn(folder).flatMap((f) => importsOf(f).filter((i) => /(^|\/)experiment\//.test(i.target)).map((i) => `${relative(SRC, f)} → ${i.target}`));
    assert.deepEqual(up, [], `${folder}/ imports the experiment layer`);
  }
});

Deno.test("core layering: spec, features, shards, ingest, data, dsp and audio never load tfjs, directly or through another file", () => {
  for (const folder of ["spec", "features", "shards", "ingest", "data", "dsp", "audio"]) {
    for (const start of filesIn(folder)) {
      const seen = new Set<string>();
      const walk = (file: string, path: string[]): void => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const i of importsOf(file)) {
          if (i.typeOnly) continue;
          assert.ok(!i.target.startsWith("@tensorflow/"), `${[...path, relative(SRC, file)].join(" → ")} loads ${i.target}`);
          if (i.target.startsWith(".")) walk(join(dirname(file), i.target), [...path, relative(SRC, file)]);
        }
      };
      walk(start, []);
    }
  }
});
