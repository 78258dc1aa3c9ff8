import * as tf from "@tensorflow/tfjs";

type KernelArgs = { inputs: Record<string, tf.TensorInfo>; backend: { disposeData(id: object): void }; attrs: Record<string, unknown> };

let installed = false;

/**
 * tfjs-backend-wasm 4.22 multiplies through XNNPACK only when neither operand is transposed; a
 * transposed operand falls to a scalar loop (measured here, 32x512 by 512x256: 0.40 ms
 * untransposed, 5.0 ms with transposeB, 8.5 ms with transposeA). Every dense layer's backward
 * pass asks for both (dW = xᵀ·dy, dx = dy·Wᵀ), so the default mlp spent 85 % of an epoch there.
 * This swaps in a BatchMatMul that transposes the operand first with the backend's own
 * Transpose kernel and then multiplies untransposed: same products, the mlp's epoch
 * 0.29 s -> 0.11 s (bench/train-speed.ts --model mlp). Idempotent; only the wasm backend's
 * kernel changes.
 */
export function installWasmKernels(): boolean {
  if (installed) return true;
  const matMul = tf.getKernel("BatchMatMul", "wasm");
  const transpose = tf.getKernel("Transpose", "wasm");
  if (!matMul || !transpose) return false;
  const swapLast = (x: tf.TensorInfo, backend: KernelArgs["backend"]) => {
    const perm = x.shape.map((_, i) => i);
    const r = perm.length;
    [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
    return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } } as never) as tf.TensorInfo;
  };
  tf.unregisterKernel("BatchMatMul", "wasm");
  tf.registerKernel({
    ...matMul,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args as unknown as KernelArgs;
      if (!attrs.transposeA && !attrs.transposeB) return matMul.kernelFunc(args);
      const a = attrs.transposeA ? swapLast(inputs.a!, backend) : inputs.a!;
      const b = attrs.transposeB ? swapLast(inputs.b!, backend) : inputs.b!;
      try {
        return matMul.kernelFunc({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } } as never);
      } finally {
        if (a !== inputs.a) backend.disposeData(a.dataId);
        if (b !== inputs.b) backend.disposeData(b.dataId);
      }
    },
  });
  installed = true;
  return true;
}
