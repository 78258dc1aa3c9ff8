/**
 * How fast can a matrix product run on this WebGPU adapter, against what tfjs-backend-webgpu's
 * own matMul achieves, for the shapes a cnn1d training step multiplies (im2col of batch 32 x
 * 125 frames by 320 or 640 inputs into 128 channels; a dense 2000 x 128 x 256)? Both numbers
 * include one dispatch, a copy of the result and its readback, so they compare like for like.
 * The raw kernels have no shared-memory tiles: each invocation accumulates a block of C in
 * registers, which suits a software rasteriser (llvmpipe runs 8 invocations per AVX lane set and
 * makes workgroup barriers expensive). An exploration for BENCHMARKS.md, not a kernel in use.
 *   deno run -A bench/webgpu-matmul.ts [--json]
 */
import { parseArgs } from "node:util";
import { selectBackend, tf } from "@ser/core/ml.ts";

const { values } = parseArgs({ args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args, options: { json: { type: "boolean" } } });
const SHAPES: [number, number, number][] = [[4000, 320, 128], [4000, 640, 128], [2000, 128, 256]];
/** Rows x vec4 column groups accumulated per invocation. */
const TILES: [number, number][] = [[4, 1], [4, 2], [4, 4], [8, 1]];
const REPS = 5;

function kernel(rows: number, colGroups: number): string {
  const r = [...Array(rows).keys()];
  const c = [...Array(colGroups).keys()];
  return `
struct Dims { M: u32, K: u32, N4: u32 }
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> C: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> d: Dims;
@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let col4 = g.x * ${colGroups}u;
  let row0 = g.y * ${rows}u;
  if (col4 >= d.N4 || row0 >= d.M) { return; }
  ${r.map((i) => c.map((j) => `var acc${i}_${j} = vec4<f32>(0.0);`).join(" ")).join("\n  ")}
  for (var k = 0u; k < d.K; k++) {
    ${c.map((j) => `let b${j} = B[k * d.N4 + col4 + ${j}u];`).join(" ")}
    ${r.map((i) => `let a${i} = vec4<f32>(A[min(row0 + ${i}u, d.M - 1u) * d.K + k]);`).join(" ")}
    ${r.map((i) => c.map((j) => `acc${i}_${j} = fma(a${i}, b${j}, acc${i}_${j});`).join(" ")).join("\n    ")}
  }
  ${r.map((i) => c.map((j) => `if (row0 + ${i}u < d.M) { C[(row0 + ${i}u) * d.N4 + col4 + ${j}u] = acc${i}_${j}; }`).join(" ")).join("\n  ")}
}`;
}

const backend = await selectBackend("webgpu");
const adapter = await navigator.gpu.requestAdapter();
if (!adapter || backend.backend !== "webgpu") throw new Error("no WebGPU adapter: this benchmark needs one (Mesa's lavapipe works).");
const device = await adapter.requestDevice();
const gflops = (m: number, k: number, n: number, ms: number) => (2 * m * k * n) / ms / 1e6;
const rows: { figure: string; unit: string; ours: number; peer: { name: string; value: number } }[] = [];

for (const [M, K, N] of SHAPES) {
  const a = tf.randomNormal([M, K], 0, 1, "float32", 1);
  const b = tf.randomNormal([K, N], 0, 1, "float32", 2);
  const [A, B] = [await a.data() as Float32Array<ArrayBuffer>, await b.data() as Float32Array<ArrayBuffer>];
  // tfjs's own kernel (the program it picks for this shape), result read back each time.
  let tfMs = 0;
  for (let rep = -1; rep < REPS; rep++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    if (rep >= 0) tfMs += (performance.now() - t0) / REPS;
  }
  const expected = await tf.tidy(() => tf.matMul(a, b)).data();
  a.dispose();
  b.dispose();

  const upload = (data: ArrayBufferView<ArrayBuffer>, usage: number) => {
    const buf = device.createBuffer({ size: data.byteLength, usage: usage | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(buf, 0, data);
    return buf;
  };
  const bufs = [
    upload(A, GPUBufferUsage.STORAGE),
    upload(B, GPUBufferUsage.STORAGE),
    device.createBuffer({ size: M * N * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC }),
    upload(new Uint32Array([M, K, N / 4, 0]), GPUBufferUsage.UNIFORM),
  ];
  const readback = device.createBuffer({ size: M * N * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  let best = { ms: Infinity, tile: "" };
  for (const [tr, tc] of TILES) {
    const pipeline = device.createComputePipeline({ layout: "auto", compute: { module: device.createShaderModule({ code: kernel(tr, tc) }), entryPoint: "main" } });
    const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: bufs.map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const run = async () => {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(Math.ceil(N / 4 / tc / 8), Math.ceil(M / tr / 8));
      pass.end();
      enc.copyBufferToBuffer(bufs[2]!, 0, readback, 0, M * N * 4);
      device.queue.submit([enc.finish()]);
      await readback.mapAsync(GPUMapMode.READ);
      const out = new Float32Array(readback.getMappedRange().slice(0));
      readback.unmap();
      return out;
    };
    const out = await run();
    let maxErr = 0;
    for (let i = 0; i < out.length; i++) maxErr = Math.max(maxErr, Math.abs(out[i]! - expected[i]!) / (1 + Math.abs(expected[i]!)));
    if (maxErr > 1e-4) throw new Error(`raw kernel ${tr}x${4 * tc} disagrees with tf.matMul on ${M}x${K}x${N}: relative error ${maxErr}`);
    const t0 = performance.now();
    for (let rep = 0; rep < REPS; rep++) await run();
    const ms = (performance.now() - t0) / REPS;
    if (ms < best.ms) best = { ms, tile: `${tr}x${4 * tc}` };
  }
  for (const b of bufs) b.destroy();
  readback.destroy();
  rows.push({
    figure: `Matmul ${M}x${K}x${N} on ${backend.adapter ?? "webgpu"}: register-tiled WGSL (best tile ${best.tile})`,
    unit: "GFLOP/s",
    ours: gflops(M, K, N, best.ms),
    peer: { name: "tfjs-webgpu matMul", value: gflops(M, K, N, tfMs) },
  });
}
if (values.json) console.log(JSON.stringify(rows));
else for (const r of rows) console.log(`${r.figure}: ${r.ours.toFixed(2)} GFLOP/s; ${r.peer.name} ${r.peer.value.toFixed(2)} (${(r.ours / r.peer.value).toFixed(2)}x)`);
