import assert from "node:assert/strict";
import { createModel, MODEL_NAMES } from "./models.ts";
import { selectBackend } from "../train/backend.ts";

/** Parameter counts documented in the README (80-dim MFCC+delta x 251 frames, 128 stats with prosody, 8 classes). */
const PARAMS: Record<string, number> = { mlp: 66952, cnn1d: 118024, crnn: 99593, cnn2d: 61272, transformer: 84808 };

Deno.test("model factories build uncompiled softmax models with the documented parameter counts", async () => {
  await selectBackend("cpu");
  for (const name of MODEL_NAMES) {
    const m = createModel(name, { inputShape: name === "mlp" ? [128] : [251, 80], nClasses: 8, seed: 1 });
    assert.equal(m.countParams(), PARAMS[name], name);
    assert.deepEqual(m.outputs[0]!.shape, [null, 8]);
    assert.equal((m as unknown as { optimizer?: unknown }).optimizer, undefined, "uncompiled");
    m.dispose();
  }
});

Deno.test("model factories name a wrong input shape", () => {
  assert.throws(() => createModel("mlp", { inputShape: [251, 80], nClasses: 8, seed: 1 }), /model 'mlp' needs a pooled feature vector/);
  assert.throws(() => createModel("cnn1d", { inputShape: [110], nClasses: 8, seed: 1 }), /needs a feature sequence/);
});

Deno.test("seeded dropout draws a fresh mask per call, the same sequence per seed, and is identity at inference", async () => {
  const { SeededDropout } = await import("./seeded-dropout.ts");
  const tf = await import("@tensorflow/tfjs");
  await selectBackend("cpu");
  const x = tf.ones([1, 64]);
  const masks = async (seed: number) => {
    const d = new SeededDropout({ rate: 0.5, seed });
    const out = [];
    for (let i = 0; i < 3; i++) out.push(Array.from(await (d.apply(x, { training: true }) as import("@tensorflow/tfjs").Tensor).data()));
    const inference = Array.from(await (d.apply(x, { training: false }) as import("@tensorflow/tfjs").Tensor).data());
    return { out, inference };
  };
  const a = await masks(3);
  const b = await masks(3);
  assert.deepEqual(a.out, b.out);
  assert.notDeepEqual(a.out[0], a.out[1]);
  assert.ok(a.out[0]!.every((v) => v === 0 || v === 2), "kept units are scaled by 1/keep");
  assert.ok(a.inference.every((v) => v === 1));
});
