import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { RAVDESS, ravdessFile } from "../../test/helpers.ts";
import { createCorpusBuilder, createParallelCorpusBuilder } from "./corpus-builder.ts";
import { createFrontend, DEFAULT_FRONTEND } from "../features/frontend.ts";
import { processRecording, type ProcessedRecording } from "./process-recording.ts";

const frontend = createFrontend(DEFAULT_FRONTEND);
const names = readdirSync(join(RAVDESS, "Actor_02")).sort().slice(0, 5).map((f) => `Actor_02/${f}`);

Deno.test("parallel builder: out-of-order completion gives the sequential corpus; room() holds the reader until a file is done", async () => {
  // A processor whose jobs finish only when the test says so, in reverse order.
  const gates: (() => void)[] = [];
  const builder = createParallelCorpusBuilder(frontend, {}, (_path, bytes) =>
    new Promise<ProcessedRecording>((resolve) => gates.push(() => void processRecording(frontend, bytes).then(resolve))));
  for (const n of names.slice(0, 3)) void builder.accept(n, ravdessFile(n));
  let roomy = false;
  const room = builder.room(3).then(() => (roomy = true));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(roomy, false, "3 in flight: no room below 3");
  const within = (p: Promise<unknown>) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10))]);
  assert.equal(await within(builder.room(4)), true, "room below 4 at once");
  gates.pop()!(); // the newest finishes first
  await room;
  assert.equal(roomy, true);
  for (const n of names.slice(3)) void builder.accept(n, ravdessFile(n));
  while (gates.length) gates.pop()!();
  const parallel = await builder.finish();

  const sequential = createCorpusBuilder(frontend);
  for (const n of names) await sequential.accept(n, ravdessFile(n));
  const expected = await sequential.finish();
  assert.deepEqual(parallel.items.map((i) => i.path), expected.items.map((i) => i.path));
  parallel.items.forEach((it, i) => assert.deepEqual(it.features, expected.items[i]!.features, it.path));
});

Deno.test("without keepWaves the corpus holds features only: the same items and features, no waveforms", async () => {
  const build = async (keepWaves: boolean) => {
    const b = createCorpusBuilder(frontend, {}, [], undefined, keepWaves);
    for (const n of names) await b.accept(n, ravdessFile(n));
    return (await b.finish()).items;
  };
  const kept = await build(true), dropped = await build(false);
  assert.ok(kept.every((it) => it.wave instanceof Float32Array && it.wave.length > 0));
  assert.ok(dropped.every((it) => it.wave === undefined));
  assert.deepEqual(dropped.map((i) => i.features), kept.map((i) => i.features));
});
