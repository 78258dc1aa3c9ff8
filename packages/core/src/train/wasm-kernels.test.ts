import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../rng.ts";
import { createModel } from "../models/models.ts";
import { selectBackend, WASM_TRAINS } from "./backend.ts";
import { fit } from "./fit.ts";
import { installWasmKernels } from "./wasm-kernels.ts";

/**
 * The wasm backend's BatchMatMul with transposed operands (wasm-kernels.ts) against tfjs's cpu
 * backend on the same inputs, and a few mlp training steps on both: the products are XNNPACK's
 * against plain JavaScript loops, float32 sums in another order: 1e-6 of the largest value on
 * products (measured 1.3e-7) and on the weights after 8 Adam steps (measured 2.1e-7).
 */
const rng = createRng(5);
const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal());

function close(a: Float32Array, b: Float32Array, rel: number, what: string) {
  let scale = 0, diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  }
  assert.ok(diff <= rel * scale, `${what}: max difference ${diff} over scale ${scale}`);
}

Deno.test("wasm BatchMatMul with transposed operands equals the cpu backend's, batched and not", async () => {
  const cases: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
    { a: [37, 19], b: [37, 20], ta: true, tb: false },
    { a: [17, 33], b: [21, 33], ta: false, tb: true },
    { a: [9, 5], b: [7, 9], ta: true, tb: true },
    { a: [3, 7, 5], b: [3, 8, 7], ta: true, tb: true },
    { a: [2, 6, 4], b: [1, 6, 5], ta: true, tb: false },
  ];
  const inputs = cases.map((c) => ({ ...c, av: values(c.a.reduce((x, y) => x * y)), bv: values(c.b.reduce((x, y) => x * y)) }));
  const run = async () => {
    const out: Float32Array[] = [];
    for (const c of inputs) {
      const p = tf.tidy(() => {
        const a: tf.Tensor = tf.tensor(c.av, c.a), b: tf.Tensor = tf.tensor(c.bv, c.b);
        return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, c.ta, c.tb);
      });
      out.push((await p.data()) as Float32Array);
      p.dispose();
    }
    return out;
  };
  await selectBackend("cpu");
  const expected = await run();
  assert.equal((await selectBackend("wasm")).backend, "wasm");
  assert.ok(installWasmKernels(), "our BatchMatMul is the wasm backend's");
  const before = tf.memory().numTensors;
  const got = await run();
  assert.equal(tf.memory().numTensors, before, "the transposed copies are released");
  got.forEach((g, i) => close(g, expected[i]!, 1e-6, `case ${i}`));
  await selectBackend("cpu");
});

Deno.test("an mlp trains on wasm to the weights the cpu backend reaches; wasm refuses to train 2-D convolutions", async () => {
  const n = 64, dims = 40, classes = 4;
  const x = values(n * dims);
  const y = Int32Array.from({ length: n }, (_, i) => i % classes);
  const train = async () => {
    const model = createModel("mlp", { inputShape: [dims], nClasses: classes, seed: 3 });
    await fit(model, { n, shape: [dims], x, y }, { epochs: 2, batchSize: 16, learningRate: 1e-3, schedule: "constant", patience: 0, sampleWeights: Float32Array.from({ length: n }, (_, i) => 0.5 + (i % 3) / 2), l2: 0.03, seed: 1, nClasses: classes });
    const w = new Float32Array(await Promise.all(model.getWeights().map((t) => t.data())).then((a) => a.flatMap((v) => [...v])));
    model.dispose();
    return w;
  };
  await selectBackend("cpu");
  const onCpu = await train();
  await selectBackend("wasm", { model: "mlp", training: true });
  const onWasm = await train();
  close(onWasm, onCpu, 1e-6, "weights after 8 steps");
  assert.ok(WASM_TRAINS.has("cnn1d") && !WASM_TRAINS.has("cnn2d"));
  await assert.rejects(selectBackend("wasm", { model: "cnn2d", training: true }), /cannot train the cnn2d/);
  await selectBackend("cpu");
});
