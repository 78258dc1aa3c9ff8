import assert from "node:assert/strict";
import { strToU8 } from "fflate";
import { createModel } from "../models/models.ts";
import { untrainedBundle } from "../../test/bundles.ts";
import { predictProbabilities } from "../train/fit.ts";
import { createFrontend, DEFAULT_FRONTEND } from "../features/frontend.ts";
import { bundleFromZip, bundleToZip, loadBundle, saveBundle } from "./bundle.ts";

async function makeBundle() {
  const frontend = createFrontend({ ...DEFAULT_FRONTEND, kind: "stats" });
  const { model, meta } = await untrainedBundle(frontend.config);
  return { model, meta, files: await saveBundle(model, meta), frontend };
}

Deno.test("a saved bundle loads back, as a folder's files and as a zip, with identical predictions", async () => {
  const { model, files, frontend } = await makeBundle();
  const x = { n: 2, shape: frontend.shape, x: Float32Array.from({ length: 2 * frontend.size }, (_, i) => Math.sin(i)), y: new Int32Array(2) };
  const before = await predictProbabilities(model, x);
  for (const f of [files, bundleFromZip(bundleToZip(files))]) {
    const { model: loaded, meta } = await loadBundle(f);
    assert.deepEqual(meta.labels, ["neutral", "happy", "sad"]);
    assert.deepEqual(await predictProbabilities(loaded, x), before);
    loaded.dispose();
  }
  model.dispose();
});

Deno.test("broken bundles fail with a clear message", async () => {
  const { model, files, meta } = await makeBundle();
  model.dispose();
  const cases: [Record<string, Uint8Array>, RegExp][] = [
    [{ ...files, "ser.json": strToU8("{not json") }, /ser\.json is not valid JSON/],
    [{ ...files, "ser.json": strToU8(JSON.stringify({ ...meta, formatVersion: 99 })) }, /format version 99 is not supported/],
    [{ ...files, "ser.json": strToU8(JSON.stringify({ ...meta, format: "other" })) }, /not a ser model bundle/],
    [Object.fromEntries(Object.entries(files).filter(([k]) => k !== "weights.bin")), /missing the weight file weights\.bin/],
    [{ ...files, "weights.bin": files["weights.bin"]!.subarray(0, 100) }, /weight files hold 100 bytes but model\.json describes/],
    [{ ...files, "ser.json": strToU8(JSON.stringify({ ...meta, labels: ["neutral", "happy"] })) }, /the network has 3 outputs but ser\.json lists 2 labels/],
    [{ ...files, "ser.json": strToU8(JSON.stringify({ ...meta, frontend: { ...meta.frontend, nMfcc: 20 } })) }, /scaler has \d+ dimensions but its front end produces/],
    [{ ...files, "model.json": strToU8("[]") }, /lacks modelTopology/],
  ];
  for (const [f, pattern] of cases) await assert.rejects(loadBundle(f), pattern);
  assert.throws(() => bundleFromZip(strToU8("not a zip")), /model bundle zip could not be read/);
});

Deno.test("assets travel with a bundle: folder files -> zip (with or without an enclosing folder) -> files, byte for byte", async () => {
  const { model, meta } = await makeBundle();
  const asset = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) & 255);
  const files = await saveBundle(model, meta, { "assets/encoder.bin": asset, "NOTICE.txt": strToU8("MIT") });
  model.dispose();
  const nested = bundleToZip(Object.fromEntries(Object.entries(files).map(([k, v]) => [`model/${k}`, v])));
  for (const f of [files, bundleFromZip(bundleToZip(files)), bundleFromZip(nested)]) {
    const loaded = await loadBundle(f);
    assert.deepEqual(Object.keys(loaded.assets).sort(), ["NOTICE.txt", "assets/encoder.bin"]);
    assert.deepEqual(loaded.assets["assets/encoder.bin"], asset);
    loaded.model.dispose();
  }
  await assert.rejects(saveBundle(createModel("mlp", { inputShape: [...meta.model.inputShape], nClasses: 3, seed: 4 }), meta, { "ser.json": asset }), /would overwrite the bundle's own ser\.json/);
});
