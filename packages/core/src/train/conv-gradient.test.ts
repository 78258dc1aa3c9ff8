import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createRng } from "../rng.ts";
import { selectBackend } from "./backend.ts";
import { installConvFilterGradient } from "./conv-gradient.ts";

/** dL/dW for L = sum(conv2d(x, W) * g), straight from the definition (TensorFlow's padding rule). */
function directFilterGradient(
  x: Float32Array, xShape: readonly number[], g: Float32Array, gShape: readonly number[], fShape: readonly number[], pad: "same" | "valid",
): Float64Array {
  const [b, h, w, cin] = xShape as [number, number, number, number];
  const [outH, outW, cout] = gShape as [number, number, number];
  const [fh, fw] = fShape as [number, number];
  const top = pad === "same" ? Math.floor((fh - 1) / 2) : 0;
  const left = pad === "same" ? Math.floor((fw - 1) / 2) : 0;
  const dW = new Float64Array(fh * fw * cin * cout);
  for (let n = 0; n < b; n++) {
    for (let y = 0; y < outH; y++) {
      for (let xo = 0; xo < outW; xo++) {
        for (let i = 0; i < fh; i++) {
          for (let j = 0; j < fw; j++) {
            const yy = y + i - top, xx = xo + j - left;
            if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
            for (let c = 0; c < cin; c++) {
              const xv = x[((n * h + yy) * w + xx) * cin + c]!;
              for (let o = 0; o < cout; o++) {
                const k = ((i * fw + j) * cin + c) * cout + o;
                dW[k] = dW[k]! + xv * g[((n * outH + y) * outW + xo) * cout + o]!;
              }
            }
          }
        }
      }
    }
  }
  return dW;
}

const CASES = [
  { name: "conv1d k5 same (as Conv1D layers run)", x: [3, 1, 17, 4], f: [1, 5, 4, 6], pad: "same" as const },
  { name: "conv2d 3x3 same", x: [2, 7, 9, 3], f: [3, 3, 3, 5], pad: "same" as const },
  { name: "conv2d 4x2 same (even kernel: asymmetric padding)", x: [2, 6, 8, 2], f: [4, 2, 2, 3], pad: "same" as const },
  { name: "conv2d 3x3 valid", x: [2, 7, 9, 3], f: [3, 3, 3, 4], pad: "valid" as const },
];

async function checkOn(backend: "cpu" | "webgpu"): Promise<void> {
  await tf.setBackend(backend);
  installConvFilterGradient();
  const rng = createRng(5);
  for (const c of CASES) {
    const xv = Float32Array.from({ length: c.x.reduce((a, b) => a * b) }, () => rng.normal());
    const wv = Float32Array.from({ length: c.f.reduce((a, b) => a * b) }, () => rng.normal());
    const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
    const w = tf.tensor4d(wv, c.f as [number, number, number, number]);
    const out = tf.conv2d(x, w, 1, c.pad);
    const gv = Float32Array.from({ length: out.size }, () => rng.normal());
    const g = tf.tensor(gv, out.shape);
    const grad = tf.grad((wt: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, wt as tf.Tensor4D, 1, c.pad), g)));
    const dW = grad(w);
    const got = await dW.data();
    const want = directFilterGradient(xv, c.x, gv, out.shape.slice(1), c.f, c.pad);
    let err = 0, scale = 0;
    for (let i = 0; i < want.length; i++) {
      err = Math.max(err, Math.abs(got[i]! - want[i]!));
      scale = Math.max(scale, Math.abs(want[i]!));
    }
    assert.ok(err <= 1e-4 * Math.max(1, scale), `${backend}, ${c.name}: max error ${err} (largest value ${scale})`);
    tf.dispose([x, w, out, g, dW]);
  }
}

Deno.test("conv filter gradient as im2col matMul equals the direct sum (cpu backend, within 1e-4 relative)", async () => {
  await checkOn("cpu");
});

Deno.test("conv filter gradient equals the direct sum on WebGPU (the register-tiled kernel on a software adapter, else im2col matMul)", async () => {
  const info = await selectBackend("auto");
  if (info.backend !== "webgpu") {
    assert.ok(!Deno.env.get("SER_REQUIRE_WEBGPU"), `WebGPU is required here: ${info.warning}`);
    return;
  }
  await checkOn("webgpu");
  await tf.setBackend("cpu");
});
