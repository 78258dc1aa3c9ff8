import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createModel } from "../models/models.ts";
import { type ArrayDataset, fit, predictProbabilities } from "./fit.ts";
import { selectBackend } from "./backend.ts";
import { createRng } from "../rng.ts";

/** Two separable classes of short sequences: class 1 has a bump in the first dims. */
function toyData(n: number, seed: number): ArrayDataset {
  const rng = createRng(seed);
  const shape = [12, 6];
  const x = new Float32Array(n * 72);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let j = 0; j < 72; j++) x[i * 72 + j] = rng.normal() * 0.5 + (y[i] === 1 && j % 6 < 2 ? 1 : 0);
  }
  return { n, shape, x, y };
}

const base = { epochs: 4, batchSize: 8, learningRate: 5e-3, schedule: "constant" as const, patience: 0, seed: 3, nClasses: 2 };

Deno.test("fit learns a separable toy task on the CPU backend, deterministically per seed", async () => {
  await selectBackend("cpu");
  const train = toyData(64, 1);
  const run = async () => {
    const model = createModel("cnn1d", { inputShape: [12, 6], nClasses: 2, seed: 5 });
    const r = await fit(model, train, { ...base, epochs: 6 });
    const p = await predictProbabilities(model, toyData(32, 2));
    model.dispose();
    return { r, p };
  };
  const a = await run();
  const b = await run();
  assert.ok(a.r.history.at(-1)!.accuracy > 0.9, `train accuracy ${a.r.history.at(-1)!.accuracy}`);
  assert.ok(a.r.history.at(-1)!.loss < a.r.history[0]!.loss);
  assert.deepEqual(a.p, b.p, "same seed, same predictions");
});

Deno.test("fit leaks no tensors: the live tensor count is flat across epochs", async () => {
  await selectBackend("cpu");
  const model = createModel("mlp", { inputShape: [20], nClasses: 3, seed: 1 });
  const rng = createRng(4);
  const data: ArrayDataset = { n: 30, shape: [20], x: Float32Array.from({ length: 600 }, () => rng.normal()), y: Int32Array.from({ length: 30 }, (_, i) => i % 3) };
  const counts: number[] = [];
  await fit(model, data, { ...base, nClasses: 3, epochs: 5, validation: data, patience: 2, onEpoch: () => counts.push(tf.memory().numTensors) });
  assert.ok(counts.length >= 3);
  assert.equal(new Set(counts.slice(1)).size, 1, `tensor counts per epoch: ${counts.join(", ")}`);
  const before = tf.memory().numTensors;
  await predictProbabilities(model, data);
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
});

Deno.test("fit stops on cancel, and on patience, restoring the best validation weights", async () => {
  await selectBackend("cpu");
  const train = toyData(48, 7);
  const controller = new AbortController();
  const model = createModel("mlp", { inputShape: [72], nClasses: 2, seed: 2 });
  const flat = { ...train, shape: [72] };
  const r = await fit(model, flat, { ...base, epochs: 50, onEpoch: (l) => { if (l.epoch === 2) controller.abort(); }, signal: controller.signal });
  assert.equal(r.cancelled, true);
  assert.ok(r.history.length <= 3);
  const noisy: ArrayDataset = { ...flat, y: Int32Array.from(flat.y, (_, i) => (i * 7) % 2) };
  const r2 = await fit(model, flat, { ...base, epochs: 40, patience: 3, validation: noisy });
  assert.equal(r2.stoppedEarly, true);
  assert.ok(r2.bestEpoch <= r2.history.length - 3);
  model.dispose();
});

Deno.test("WebGPU and CPU give the same predictions for the same weights (shader parity)", async () => {
  const info = await selectBackend("auto");
  if (info.backend !== "webgpu") {
    // CI installs Mesa's Vulkan driver and sets SER_REQUIRE_WEBGPU, so there this cannot pass silently.
    assert.ok(!Deno.env.get("SER_REQUIRE_WEBGPU"), `WebGPU is required here: ${info.warning}`);
    console.warn(`skipping parity: ${info.warning}`);
    return;
  }
  const data = toyData(16, 9);
  const outputs: Float32Array[] = [];
  for (const backend of ["cpu", "webgpu"] as const) {
    await tf.setBackend(backend);
    for (const name of ["cnn1d", "crnn", "transformer"] as const) {
      const model = createModel(name, { inputShape: [12, 6], nClasses: 2, seed: 11 });
      outputs.push(await predictProbabilities(model, data));
      model.dispose();
    }
  }
  for (let m = 0; m < 3; m++) {
    const a = outputs[m]!;
    const b = outputs[m + 3]!;
    let err = 0;
    for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i]! - b[i]!));
    assert.ok(err < 1e-4, `model ${m}: max difference ${err}`);
  }
  await tf.setBackend("cpu");
});

Deno.test("fit resumes from a checkpoint to exactly the result of an uninterrupted run (weights, Adam state, best weights, augmentation stream)", async () => {
  await selectBackend("cpu");
  const train = toyData(48, 4);
  const validation = toyData(16, 6);
  // fillItem draws from the epoch's stream, so the replayed stream is checked too.
  const fillItem = (i: number, out: Float32Array, rng: ReturnType<typeof createRng>) => {
    out.set(train.x.subarray(i * 72, (i + 1) * 72));
    out[0] = out[0]! + 0.1 * rng.normal();
  };
  const options = { ...base, epochs: 5, schedule: "cosine" as const, validation, fillItem };
  const fresh = () => createModel("cnn1d", { inputShape: [12, 6], nClasses: 2, seed: 9 });
  const straight = fresh();
  const whole = await fit(straight, train, options);
  const reference = await predictProbabilities(straight, validation);
  straight.dispose();

  // Interrupted after epoch 2 (its checkpoint kept), then resumed in a new model.
  const checkpoints: Parameters<NonNullable<typeof options extends never ? never : Parameters<typeof fit>[2]["onCheckpoint"]>>[0][] = [];
  const controller = new AbortController();
  const first = fresh();
  await fit(first, train, { ...options, signal: controller.signal, onCheckpoint: (c) => { checkpoints.push(c); if (c.epoch === 2) controller.abort(); } });
  first.dispose();
  const last = checkpoints.at(-1)!;
  assert.equal(last.epoch, 2);
  assert.equal(last.history.length, 2);
  const before = tf.memory().numTensors;
  const second = fresh();
  const resumed = await fit(second, train, { ...options, resume: last });
  assert.deepEqual(resumed.history.map((h) => h.loss), whole.history.map((h) => h.loss));
  assert.equal(resumed.bestEpoch, whole.bestEpoch);
  assert.deepEqual(await predictProbabilities(second, validation), reference);
  second.dispose();
  assert.equal(tf.memory().numTensors, before, "resuming leaks no tensors");

  const other = createModel("mlp", { inputShape: [72], nClasses: 2, seed: 1 });
  await assert.rejects(fit(other, { ...train, shape: [72] }, { ...base, resume: last }), /checkpoint's weights do not fit this model/);
  other.dispose();
});

Deno.test("a lost GPU device stops training with a clear error, and the run resumes on the CPU from its checkpoint", async () => {
  const info = await selectBackend("auto");
  if (info.backend !== "webgpu") {
    assert.ok(!Deno.env.get("SER_REQUIRE_WEBGPU"), `WebGPU is required here: ${info.warning}`);
    return;
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../test/device-loss-run.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "piped",
    env: { XDG_RUNTIME_DIR: Deno.env.get("XDG_RUNTIME_DIR") ?? "/tmp" },
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const r = JSON.parse(text.trim().split("\n").at(-1)!);
  assert.equal(r.backend, "webgpu");
  assert.match(r.error, /^device-lost: the GPU device was lost during training \(destroyed/);
  assert.match(r.error, new RegExp(`checkpoint of epoch ${r.checkpointEpoch} is kept`));
  assert.ok(r.checkpointEpoch >= 1 && r.checkpointEpoch <= 2);
  assert.equal(r.resumedEpochs, 5, "resumed to the end on the CPU");
  await tf.setBackend("cpu");
});

Deno.test("the L2 penalty shrinks the weight kernels and rejects a negative value", async () => {
  await selectBackend("cpu");
  const train = { ...toyData(64, 9), shape: [72] };
  const sumSquares = async (model: tf.LayersModel, kernels: boolean) => {
    let s = 0;
    for (const w of model.trainableWeights) {
      if (/kernel/.test(w.originalName) !== kernels) continue;
      for (const v of await w.read().data()) s += v * v;
    }
    return s;
  };
  const run = async (l2: number) => {
    const model = createModel("mlp", { inputShape: [72], nClasses: 2, seed: 4 });
    const initial = await sumSquares(model, true);
    const res = await fit(model, train, { ...base, epochs: 8, l2 });
    const r = { kernels: await sumSquares(model, true), biases: await sumSquares(model, false), initial, firstLoss: res.history[0]!.loss };
    model.dispose();
    return r;
  };
  const free = await run(0);
  const decayed = await run(0.5);
  assert.ok(decayed.kernels < 0.8 * free.kernels, `Σ‖W‖² ${decayed.kernels} with L2 0.5 against ${free.kernels} without`);
  assert.ok(decayed.biases > 0, "biases still train");
  // The loss shown is the cross-entropy alone (two classes: about ln 2 at the start), not the
  // penalty, which at the start alone (0.25 · Σ‖W‖²) is many times larger.
  assert.ok(decayed.firstLoss < 1, `first epoch's loss ${decayed.firstLoss}`);
  assert.ok(0.25 * decayed.initial > 10 * decayed.firstLoss, `penalty ${0.25 * decayed.initial}, loss ${decayed.firstLoss}`);
  const model = createModel("mlp", { inputShape: [72], nClasses: 2, seed: 4 });
  await assert.rejects(fit(model, train, { ...base, l2: -1 }), /L2 penalty must be 0 or positive, got -1/);
  model.dispose();
});
