import * as tf from "@tensorflow/tfjs";
import { softwareGpuKernelsInstalled } from "./software-gpu-kernels.ts";

/**
 * A faster filter gradient for tfjs's Conv2D (which Conv1D layers use too), registered once.
 *
 * tfjs-backend-webgpu computes Conv2DBackpropFilter with one thread per filter weight, each
 * looping over batch x time: measured on Mesa's software Vulkan driver it took 2.3 s of a 3.4 s
 * cnn1d training step (batch 32, 251 x 80 input). The same gradient is a matrix product,
 * dW[(i, j, c), o] = sum over (b, y, x) of xPad[b, y + i, x + j, c] * dy[b, y, x, o]
 * (im2col, as cuDNN's GEMM algorithms do), and tfjs's matMul kernels are well tuned on every
 * backend. Only the case the models use is rewritten (NHWC, stride 1, dilation 1, "same" or
 * "valid" padding); anything else, and the input gradient, keep tfjs's own code.
 */
let installed = false;

export function installConvFilterGradient(): void {
  if (installed) return;
  installed = true;
  const original = tf.getGradient("Conv2D");
  if (!original) return;
  tf.registerGradient({
    kernelName: "Conv2D",
    inputsToSave: ["x", "filter"],
    gradFunc: (dy, saved, attrs) => {
      const grads = original.gradFunc(dy, saved, attrs);
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const a = attrs as unknown as { strides: number | [number, number]; pad: unknown; dataFormat: string; dilations: number | [number, number] };
      const ones = (v: number | [number, number]) => (Array.isArray(v) ? v.every((d) => d === 1) : v === 1);
      if (a.dataFormat !== "NHWC" || !ones(a.strides) || !ones(a.dilations) || (a.pad !== "same" && a.pad !== "valid")) return grads;
      // With the register-tiled WebGPU kernels (software adapters), Conv2DBackpropFilter itself is
      // an implicit GEMM for these cases: no im2col copy needed.
      if (softwareGpuKernelsInstalled() && tf.getBackend() === "webgpu" && filter.shape[3] % 4 === 0) return grads;
      return { x: grads.x!, filter: () => filterGradient(x, dy as tf.Tensor4D, filter.shape, a.pad as "same" | "valid") };
    },
  });
}

function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], pad: "same" | "valid"): tf.Tensor4D {
  return tf.tidy(() => {
    const [fh, fw, cin, cout] = filterShape;
    const [b, outH, outW] = dy.shape;
    // TensorFlow's "same": total padding f - 1, the smaller half first.
    const padded = pad === "same"
      ? tf.pad(x, [[0, 0], [Math.floor((fh - 1) / 2), Math.ceil((fh - 1) / 2)], [Math.floor((fw - 1) / 2), Math.ceil((fw - 1) / 2)], [0, 0]])
      : x;
    const patches: tf.Tensor4D[] = [];
    for (let i = 0; i < fh; i++) {
      for (let j = 0; j < fw; j++) patches.push(tf.slice(padded, [0, i, j, 0], [b, outH, outW, cin]));
    }
    const cols = tf.reshape(patches.length === 1 ? patches[0]! : tf.concat(patches, 3), [b * outH * outW, fh * fw * cin]);
    const dW = tf.matMul(cols, tf.reshape(dy, [b * outH * outW, cout]), true, false);
    return tf.reshape(dW, [fh, fw, cin, cout]);
  });
}
