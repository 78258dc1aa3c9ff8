/**
 * The register-tiled kernels (packages/core/src/train/software-gpu-kernels.ts) against
 * tfjs-backend-webgpu's own, through tfjs on the same adapter in one run: the products and
 * convolutions a cnn1d training step runs (im2col-sized products, the three Conv1D layers
 * forward). Each figure includes tfjs's dispatch and a readback, the same for both.
 *   deno run -A bench/webgpu-matmul.ts [--json]
 * On a real GPU the swap is not made by `ser` (tfjs's shared-memory tiles are the right choice
 * there); this benchmark measures it anyway, to show which side of that line an adapter is on.
 */
import { parseArgs } from "node:util";
import { installSoftwareGpuKernels, tf } from "@ser/core/ml.ts";

const { values } = parseArgs({ args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args, options: { json: { type: "boolean" } } });
const REPS = 5;

// tfjs's own kernels first: setBackend directly, since selectBackend would swap ours in.
if (!(await tf.setBackend("webgpu")) || tf.getBackend() !== "webgpu") throw new Error("no WebGPU adapter: this benchmark needs one (Mesa's lavapipe works).");
await tf.ready();
const adapter = await navigator.gpu.requestAdapter();
const name = adapter?.info ? [adapter.info.vendor, adapter.info.architecture, adapter.info.description].filter(Boolean).join(" ") : "webgpu";

interface Case {
  figure: string;
  flops: number;
  inputs: () => tf.Tensor[];
  op: (xs: tf.Tensor[]) => tf.Tensor;
}
const conv = (b: number, t: number, cin: number, cout: number): Case => ({
  figure: `Conv1D forward, batch ${b} x ${t} frames, ${cin} -> ${cout} channels, kernel 5`,
  flops: 2 * b * t * 5 * cin * cout,
  inputs: () => [tf.randomNormal([b, t, cin], 0, 1, "float32", 1), tf.randomNormal([5, cin, cout], 0, 1, "float32", 2)],
  op: ([x, w]) => tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 1, "same"),
});
const CASES: Case[] = [
  ...([[4000, 320, 128], [4000, 640, 128], [2000, 128, 256]] as const).map(([m, k, n]): Case => ({
    figure: `Matmul ${m}x${k}x${n}`,
    flops: 2 * m * k * n,
    inputs: () => [tf.randomNormal([m, k], 0, 1, "float32", 1), tf.randomNormal([k, n], 0, 1, "float32", 2)],
    op: ([a, b]) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
  })),
  conv(32, 251, 80, 64),
  conv(32, 125, 64, 128),
  conv(32, 62, 128, 128),
];

/** GFLOP/s of the op (median of REPS after a warm-up that compiles the shader) and its output. */
async function measure(c: Case): Promise<{ gflops: number; out: Float32Array }> {
  const xs = c.inputs();
  const times: number[] = [];
  let out: Float32Array = new Float32Array();
  for (let rep = -1; rep < REPS; rep++) {
    const t0 = performance.now();
    const y = c.op(xs);
    out = new Float32Array(await y.data() as Float32Array);
    y.dispose();
    if (rep >= 0) times.push(performance.now() - t0);
  }
  tf.dispose(xs);
  times.sort((a, b) => a - b);
  return { gflops: c.flops / times[Math.floor(REPS / 2)]! / 1e6, out };
}

const theirs = [];
for (const c of CASES) theirs.push(await measure(c));
installSoftwareGpuKernels();
const rows = [];
for (const [i, c] of CASES.entries()) {
  const ours = await measure(c);
  const ref = theirs[i]!.out;
  let worst = 0;
  for (let j = 0; j < ref.length; j++) worst = Math.max(worst, Math.abs(ours.out[j]! - ref[j]!) / (1 + Math.abs(ref[j]!)));
  if (worst > 1e-4) throw new Error(`${c.figure}: the register-tiled kernel disagrees with tfjs's (relative error ${worst})`);
  rows.push({ figure: `${c.figure} on ${name}: register-tiled kernel`, unit: "GFLOP/s", ours: ours.gflops, peer: { name: "tfjs-webgpu's kernel", value: theirs[i]!.gflops } });
}
if (values.json) console.log(JSON.stringify(rows));
else for (const r of rows) console.log(`${r.figure}: ${r.ours.toFixed(2)} GFLOP/s; ${r.peer.name} ${r.peer.value.toFixed(2)} (${(r.ours / r.peer.value).toFixed(2)}x)`);
