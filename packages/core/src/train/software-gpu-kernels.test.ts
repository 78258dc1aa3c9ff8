import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../rng.ts";
import { selectBackend } from "./backend.ts";
import { installSoftwareGpuKernels, isSoftwareAdapter, softwareGpuKernelCounts } from "./software-gpu-kernels.ts";

/**
 * The register-tiled kernels against tfjs's cpu backend (an independent implementation) on the
 * same random inputs, for the shapes and edge cases the models hit: tile remainders (rows and
 * columns not multiples of the 4 x 16 tile), batched and transposed products, "same" padding
 * with even kernels (asymmetric), "valid" padding, and both convolution gradients through
 * tf.grads. Tolerance: 1e-4 relative (float32 sums over up to ~700 terms in another order).
 */
const rng = createRng(11);
const random = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);

interface Case {
  name: string;
  run: (inputs: tf.Tensor[]) => tf.Tensor[];
  shapes: number[][];
}

/** Output, input gradient and filter gradient of sum(conv(x, w) · g), for 3-D (conv1d) or 4-D inputs. */
function convCase(name: string, shapes: number[][], pad: "same" | "valid"): Case {
  const conv = (x: tf.Tensor, w: tf.Tensor) =>
    x.rank === 3 ? tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 1, pad) : tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, pad);
  return {
    name,
    shapes,
    run: ([x, w, g]) => [conv(x!, w!), ...tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(conv(xx, ww), g!)))([x!, w!])],
  };
}

const CASES: Case[] = [
  { name: "matMul 37x19 · 19x20", shapes: [[37, 19], [19, 20]], run: ([a, b]) => [tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D)] },
  { name: "matMul with transposeA, 300x40ᵀ · 300x12", shapes: [[300, 40], [300, 12]], run: ([a, b]) => [tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false)] },
  { name: "batched matMul 3x5x7 · 3x7x8", shapes: [[3, 5, 7], [3, 7, 8]], run: ([a, b]) => [tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D)] },
  { name: "broadcast batch matMul 1x9x6 · 4x6x16", shapes: [[1, 9, 6], [4, 6, 16]], run: ([a, b]) => [tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D)] },
  { name: "matMul with N not a multiple of 4 (tfjs's kernel)", shapes: [[6, 5], [5, 7]], run: ([a, b]) => [tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D)] },
  convCase("conv1d k5 same and both gradients (as Conv1D layers run)", [[3, 29, 8], [5, 8, 12], [3, 29, 12]], "same"),
  convCase("conv2d 4x2 same (even kernel, asymmetric padding) and both gradients", [[2, 6, 7, 4], [4, 2, 4, 8], [2, 6, 7, 8]], "same"),
  convCase("conv2d 3x3 valid and both gradients", [[2, 7, 9, 4], [3, 3, 4, 4], [2, 5, 7, 4]], "valid"),
  {
    name: "sum and mean over all but the last axis, kept dims or not (batch-norm statistics)",
    shapes: [[7, 301, 12]],
    run: ([x]) => [tf.sum(x!, [0, 1]), tf.mean(x!, [0, 1], true), tf.sum(tf.reshape(x!, [1, 7, 301, 12]), [0, 1, 2]), tf.mean(x!, [1]), tf.sum(x!)],
  },
  {
    name: "strided conv1d (tfjs's kernel)",
    shapes: [[2, 20, 4], [5, 4, 8]],
    run: ([x, w]) => [tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 2, "same")],
  },
];

Deno.test("software-GPU kernels equal tfjs's cpu backend on products, convolutions and their gradients", async () => {
  const info = await selectBackend("webgpu").catch(() => null);
  if (!info) throw new Error("this test needs WebGPU (scripts/setup-system.sh installs Mesa's software Vulkan driver)");
  assert.ok(installSoftwareGpuKernels(), "kernels installed");
  for (const c of CASES) {
    const data = c.shapes.map((s) => random(s));
    const inputs = await Promise.all(data.map(async (t) => ({ values: await t.data() as Float32Array, shape: t.shape })));
    data.forEach((t) => t.dispose());
    const results: Float32Array[][] = [];
    for (const backend of ["webgpu", "cpu"]) {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
      const outs = tf.tidy(() => c.run(xs));
      results.push(await Promise.all(outs.map(async (o) => await o.data() as Float32Array)));
      tf.dispose([...xs, ...outs]);
      assert.equal(tf.memory().numTensors, before, `${c.name}: no tensor leaks on ${backend}`);
    }
    const [gpu, cpu] = results as [Float32Array[], Float32Array[]];
    assert.equal(gpu.length, cpu.length);
    for (const [k, ref] of cpu.entries()) {
      let worst = 0;
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(gpu[k]![i]! - ref[i]!) / (1 + Math.abs(ref[i]!)));
      assert.ok(worst < 1e-4, `${c.name}, output ${k}: relative error ${worst}`);
    }
  }
  await tf.setBackend("webgpu");
  // The comparisons above ran the new kernels, not only tfjs's: every one handled its cases,
  // and the strided convolution and the N = 7 product went to tfjs's kernels.
  const counts = softwareGpuKernelCounts();
  const least: Record<string, number> = { BatchMatMul: 3, Conv2D: 3, Conv2DBackpropInput: 3, Conv2DBackpropFilter: 3, Sum: 2, Mean: 1 };
  for (const [name, n] of Object.entries(least)) assert.ok(counts[name]!.ours >= n, `${name}: ${JSON.stringify(counts[name])}`);
  assert.ok(counts.BatchMatMul!.tfjs >= 1 && counts.Conv2D!.tfjs >= 1, JSON.stringify(counts));
});

Deno.test("software adapters are recognised by their description", () => {
  assert.ok(isSoftwareAdapter("65541 (llvmpipe (LLVM 15.0.6, 256 bits))"));
  assert.ok(isSoftwareAdapter("google swiftshader"));
  assert.ok(!isSoftwareAdapter("nvidia ampere (NVIDIA H100)"));
  assert.ok(!isSoftwareAdapter(undefined));
});
