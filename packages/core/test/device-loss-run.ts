/**
 * Run by fit.test.ts in its own process (a destroyed GPU device cannot be brought back in the
 * same one): trains on WebGPU, destroys the device after epoch 2, and resumes on the CPU from
 * the last checkpoint. Prints one JSON line.
 */
import { createModel, fit, type FitCheckpoint, selectBackend, tf } from "../src/ml.ts";

const info = await selectBackend("webgpu");
const data = { n: 64, shape: [10], x: new Float32Array(640).map((_, i) => Math.sin(i * 0.7)), y: new Int32Array(64).map((_, i) => i % 2) };
const options = { epochs: 5, batchSize: 16, learningRate: 1e-3, schedule: "constant" as const, patience: 0, seed: 1, nClasses: 2 };
let last: FitCheckpoint | undefined;
let error = "";
try {
  await fit(createModel("mlp", { inputShape: [10], nClasses: 2, seed: 1 }), data, {
    ...options,
    onCheckpoint: (c) => void (last = c),
    onEpoch: (l) => {
      if (l.epoch === 2) (tf.backend() as unknown as { device: { destroy(): void } }).device.destroy();
    },
  });
} catch (e) {
  error = `${(e as { code?: string }).code}: ${(e as Error).message}`;
}
await selectBackend("cpu");
const resumed = await fit(createModel("mlp", { inputShape: [10], nClasses: 2, seed: 1 }), data, { ...options, resume: last });
console.log(JSON.stringify({ backend: info.backend, error, checkpointEpoch: last?.epoch, resumedEpochs: resumed.history.length }));
