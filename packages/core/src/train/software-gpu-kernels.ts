import * as tf from "@tensorflow/tfjs";

/**
 * Kernels for WebGPU adapters that are CPUs in disguise (Mesa's llvmpipe / lavapipe,
 * SwiftShader), swapped in for tfjs-backend-webgpu's BatchMatMul, Conv2D, Conv2DBackpropInput,
 * Conv2DBackpropFilter, Sum and Mean when such an adapter runs.
 *
 * tfjs's programs tile through workgroup shared memory with barriers, which is right for GPUs;
 * a software rasteriser runs 8 invocations per 256-bit lane set on a CPU core, where barriers are
 * costly and registers plentiful. Here each invocation keeps a TR x (4·TC) block of the output in
 * vec4 registers and streams the inner dimension from storage, with no shared memory:
 * `bench/webgpu-matmul.ts` measured 1.7-2.5x tfjs's kernels on llvmpipe for the shapes a cnn1d
 * step runs. The convolution and its filter gradient are implicit GEMMs (no im2col copy): rows
 * are output positions (or filter taps and channels), the inner dimension runs over taps and
 * channels (or batch and time). The input gradient of a stride-1 convolution is the same
 * convolution of dy with the filter flipped and its channel axes swapped (padding fh-1-top,
 * fw-1-left). Every other case falls back to tfjs's own kernels.
 */
const TR = 4;
const TC = 4;

type TensorInfo = tf.TensorInfo;
interface Program {
  variableNames: string[];
  variableComponents: number[];
  outputComponent: number;
  outputShape: number[];
  uniforms: string;
  workgroupSize: [number, number, number];
  dispatchLayout: { x: number[]; y: number[]; z: number[] };
  dispatch: [number, number, number];
  shaderKey: string;
  getUserCode(): string;
}
interface WebGpuBackend {
  runWebGPUProgram(program: Program, inputs: TensorInfo[], dtype: "float32", uniforms: { type: "int32" | "float32"; data: number[] }[]): TensorInfo;
  disposeData(dataId: object): void;
}
type KernelFunc = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }) => TensorInfo | TensorInfo[];

const rows = [...Array(TR).keys()];
const cols = [...Array(TC).keys()];
const each = (f: (r: number, c: number) => string, sep = " ") => rows.map((r) => cols.map((c) => f(r, c)).join(sep)).join(sep);
const accumulate = (a: (r: number) => string) => `${rows.map((r) => `let a${r} = vec4<f32>(${a(r)});`).join(" ")}
        ${each((r, c) => `acc${r}_${c} = fma(a${r}, b${c}, acc${r}_${c});`)}`;

interface TiledKernel {
  /** Input bindings: a scalar-read left factor and a vec4-read right factor. */
  names: [string, string];
  outputShape: number[];
  /** Output rows and vec4 columns (per batch), as numbers for the dispatch and WGSL expressions for the shader. */
  nRows: number;
  n4: number;
  rowsExpr: string;
  n4Expr: string;
  batch?: number;
  uniforms: string;
  shaderKey: string;
  /** WGSL run once per invocation, after row0, col4 and the clamped columns n0… exist. */
  setup: string;
  /** WGSL that adds the inner dimension into acc{r}_{c} (see `accumulate`). */
  loop: string;
  /** Offset of this invocation's batch in the output, in vec4s (default 0). */
  outBase?: string;
}

/**
 * The shape every kernel here shares: an invocation owns a TR x 4·TC block of an
 * [nRows x 4·n4] output, starting at row0 and vec4 column col4; rows and columns past the edge are
 * clamped when read (so reads stay in bounds) and skipped when stored.
 */
function tiledProgram(k: TiledKernel): Program {
  const rank = k.outputShape.length;
  return {
    variableNames: k.names,
    variableComponents: [1, 4],
    outputComponent: 4,
    outputShape: k.outputShape,
    uniforms: k.uniforms,
    workgroupSize: [8, 8, 1],
    // Non-empty y: tfjs then calls main() without a flat index (the layout is otherwise unused).
    dispatchLayout: { x: [rank - 1], y: [...Array(rank - 1).keys()], z: [] },
    dispatch: [Math.ceil(k.n4 / TC / 8), Math.ceil(k.nRows / TR / 8), k.batch ?? 1],
    shaderKey: k.shaderKey,
    getUserCode: () => `
    fn main() {
      let col4 = i32(globalId.x) * ${TC};
      let row0 = i32(globalId.y) * ${TR};
      if (col4 >= ${k.n4Expr} || row0 >= ${k.rowsExpr}) { return; }
      ${cols.map((c) => `let n${c} = min(col4 + ${c}, ${k.n4Expr} - 1);`).join(" ")}
      ${k.setup}
      ${each((r, c) => `var acc${r}_${c} = vec4<f32>(0.0);`)}
      ${k.loop}
      let outBase = ${k.outBase ?? "0"};
      ${each((r, c) => `if (row0 + ${r} < ${k.rowsExpr} && col4 + ${c} < ${k.n4Expr}) { result[outBase + (row0 + ${r}) * ${k.n4Expr} + col4 + ${c}] = acc${r}_${c}; }`, "\n      ")}
    }`,
  };
}

/** C[batch] = op(A[batch]) · B[batch], B not transposed, N a multiple of 4. */
function matMulProgram(outputShape: number[], batch: number, m: number, n4: number, transposeA: boolean): Program {
  return tiledProgram({
    names: ["matA", "matB"],
    outputShape,
    nRows: m,
    n4,
    rowsExpr: "uniforms.mmM",
    n4Expr: "uniforms.mmN4",
    batch,
    uniforms: "mmM : i32, mmK : i32, mmN4 : i32, mmBatchA : i32, mmBatchB : i32,",
    shaderKey: `serMatMul_${TR}x${TC}_${transposeA}`,
    setup: `let M = uniforms.mmM; let K = uniforms.mmK; let N4 = uniforms.mmN4; let z = i32(globalId.z);
      let aBase = (z % uniforms.mmBatchA) * M * K;
      let bBase = (z % uniforms.mmBatchB) * K * N4;
      ${rows.map((r) => `let m${r} = min(row0 + ${r}, M - 1);`).join(" ")}`,
    loop: `for (var k = 0; k < K; k++) {
        ${cols.map((c) => `let b${c} = matB[bBase + k * N4 + n${c}];`).join(" ")}
        ${accumulate((r) => (transposeA ? `matA[aBase + k * M + m${r}]` : `matA[aBase + m${r} * K + k]`))}
      }`,
    outBase: "z * M * N4",
  });
}

/** NHWC convolution, stride 1, dilation 1, explicit top/left padding, Cout a multiple of 4. */
function convProgram(outputShape: [number, number, number, number]): Program {
  const [b, outH, outW, cout] = outputShape;
  return tiledProgram({
    names: ["convX", "convW"],
    outputShape,
    nRows: b * outH * outW,
    n4: cout / 4,
    rowsExpr: "uniforms.cvRows",
    n4Expr: "uniforms.cvCout4",
    uniforms: "cvInH : i32, cvInW : i32, cvCin : i32, cvFh : i32, cvFw : i32, cvPadT : i32, cvPadL : i32, cvOutH : i32, cvOutW : i32, cvRows : i32, cvCout4 : i32,",
    shaderKey: `serConv_${TR}x${TC}`,
    setup: `let inH = uniforms.cvInH; let inW = uniforms.cvInW; let cin = uniforms.cvCin; let cout4 = uniforms.cvCout4;
      let plane = uniforms.cvOutH * uniforms.cvOutW;
      ${rows.map((r) => `let p${r} = min(row0 + ${r}, uniforms.cvRows - 1); let rem${r} = p${r} % plane;
      let bh${r} = (p${r} / plane) * inH; let y${r} = rem${r} / uniforms.cvOutW - uniforms.cvPadT; let x${r} = rem${r} % uniforms.cvOutW - uniforms.cvPadL;`).join("\n      ")}`,
    loop: `for (var i = 0; i < uniforms.cvFh; i++) {
        for (var j = 0; j < uniforms.cvFw; j++) {
          ${rows.map((r) => `let yy${r} = y${r} + i; let xx${r} = x${r} + j;
          let ok${r} = yy${r} >= 0 && yy${r} < inH && xx${r} >= 0 && xx${r} < inW;
          let off${r} = select(0, ((bh${r} + yy${r}) * inW + xx${r}) * cin, ok${r});
          let keep${r} = select(0.0, 1.0, ok${r});`).join("\n          ")}
          let wBase = (i * uniforms.cvFw + j) * cin * cout4;
          for (var c = 0; c < cin; c++) {
            ${cols.map((cc) => `let b${cc} = convW[wBase + c * cout4 + n${cc}];`).join(" ")}
            ${accumulate((r) => `convX[off${r} + c] * keep${r}`)}
          }
        }
      }`,
  });
}

/**
 * Filter gradient of that convolution, dW[(i, j, c), o] = Σ over (b, y, x) of
 * xPad[b, y + i, x + j, c] · dy[b, y, x, o]: a product whose left factor is read straight from x
 * (no im2col copy), over nested batch/row/column loops (no divisions in the inner loop).
 */
function convFilterProgram(filterShape: [number, number, number, number]): Program {
  const [fh, fw, cin, cout] = filterShape;
  return tiledProgram({
    names: ["gradX", "gradDy"],
    outputShape: filterShape,
    nRows: fh * fw * cin,
    n4: cout / 4,
    rowsExpr: "uniforms.fgRows",
    n4Expr: "uniforms.fgCout4",
    uniforms: "fgInH : i32, fgInW : i32, fgCin : i32, fgFw : i32, fgPadT : i32, fgPadL : i32, fgOutH : i32, fgOutW : i32, fgBatch : i32, fgRows : i32, fgCout4 : i32,",
    shaderKey: `serConvFilter_${TR}x${TC}`,
    setup: `let inH = uniforms.fgInH; let inW = uniforms.fgInW; let cin = uniforms.fgCin;
      let outH = uniforms.fgOutH; let outW = uniforms.fgOutW; let cout4 = uniforms.fgCout4;
      ${rows.map((r) => `let m${r} = min(row0 + ${r}, uniforms.fgRows - 1); let c${r} = m${r} % cin; let tap${r} = m${r} / cin;
      let di${r} = tap${r} / uniforms.fgFw - uniforms.fgPadT; let dj${r} = tap${r} % uniforms.fgFw - uniforms.fgPadL;`).join("\n      ")}`,
    loop: `for (var b = 0; b < uniforms.fgBatch; b++) {
        for (var y = 0; y < outH; y++) {
          ${rows.map((r) => `let yy${r} = y + di${r}; let okY${r} = yy${r} >= 0 && yy${r} < inH; let rowBase${r} = (b * inH + yy${r}) * inW;`).join("\n          ")}
          let dyRow = (b * outH + y) * outW;
          for (var x = 0; x < outW; x++) {
            ${cols.map((c) => `let b${c} = gradDy[(dyRow + x) * cout4 + n${c}];`).join(" ")}
            ${rows.map((r) => `let xx${r} = x + dj${r}; let ok${r} = okY${r} && xx${r} >= 0 && xx${r} < inW;`).join(" ")}
            ${accumulate((r) => `gradX[select(0, (rowBase${r} + xx${r}) * cin + c${r}, ok${r})] * select(0.0, 1.0, ok${r})`)}
          }
        }
      }`,
  });
}

/**
 * Sum (or mean) over every axis but the last, as batch-norm gradients and statistics reduce:
 * one invocation per 4 channels walks the rows, summing blocks of 64 rows before adding them to
 * the total (rounding error grows with 64 + rows/64 terms, not with the row count). tfjs's
 * reduction goes through workgroup memory and barriers, slow on a software rasteriser.
 */
function columnSumProgram(outputShape: number[], channels: number): Program {
  return {
    variableNames: ["sumX"],
    variableComponents: [4],
    outputComponent: 4,
    outputShape,
    uniforms: "csRows : i32, csC4 : i32, csScale : f32,",
    workgroupSize: [8, 1, 1],
    dispatchLayout: { x: [outputShape.length - 1], y: outputShape.length > 1 ? [0] : [], z: [] },
    dispatch: [Math.ceil(channels / 4 / 8), 1, 1],
    shaderKey: "serColumnSum",
    getUserCode: () => `
    fn main${outputShape.length > 1 ? "()" : "(index : i32)"} {
      let c4 = i32(globalId.x);
      if (c4 >= uniforms.csC4) { return; }
      var total = vec4<f32>(0.0);
      for (var r0 = 0; r0 < uniforms.csRows; r0 += 64) {
        var block = vec4<f32>(0.0);
        let end = min(r0 + 64, uniforms.csRows);
        for (var r = r0; r < end; r++) { block += sumX[r * uniforms.csC4 + c4]; }
        total += block;
      }
      result[c4] = total * uniforms.csScale;
    }`,
  };
}

const int = (data: number[]) => ({ type: "int32" as const, data });

/** Output padding of a stride-1 "same"/"valid" convolution as TensorFlow computes it (smaller half first). */
function stride1Pads(pad: unknown, fh: number, fw: number): { top: number; left: number } | null {
  if (pad === "valid") return { top: 0, left: 0 };
  if (pad === "same") return { top: Math.floor((fh - 1) / 2), left: Math.floor((fw - 1) / 2) };
  return null;
}

const unitStrides = (a: Record<string, unknown>) => {
  const ones = (v: unknown) => (Array.isArray(v) ? v.every((d) => d === 1) : v === 1 || v === undefined);
  return ones(a.strides) && ones(a.dilations) && (a.dataFormat === undefined || a.dataFormat === "NHWC");
};

function runConv(backend: WebGpuBackend, x: TensorInfo, w: TensorInfo, outH: number, outW: number, top: number, left: number): TensorInfo {
  const [b, inH, inW, cin] = x.shape as [number, number, number, number];
  const [fh, fw, , cout] = w.shape as [number, number, number, number];
  return backend.runWebGPUProgram(convProgram([b, outH, outW, cout]), [x, w], "float32", [
    int([inH]), int([inW]), int([cin]), int([fh]), int([fw]), int([top]), int([left]), int([outH]), int([outW]), int([b * outH * outW]), int([cout / 4]),
  ]);
}

let installed = false;
/** How often each swapped kernel ran here, and how often it handed the call to tfjs's own. */
const counts: Record<string, { ours: number; tfjs: number }> = {};
const count = (name: string, ours: boolean) => {
  const c = (counts[name] ??= { ours: 0, tfjs: 0 });
  if (ours) c.ours++;
  else c.tfjs++;
};

export function softwareGpuKernelCounts(): Readonly<Record<string, { ours: number; tfjs: number }>> {
  return structuredClone(counts);
}

/**
 * Swaps the kernels in for the webgpu backend (idempotent). Call only for software adapters:
 * on real GPUs tfjs's shared-memory tiles are the faster choice.
 */
export function installSoftwareGpuKernels(): boolean {
  if (installed) return true;
  const originals = new Map<string, KernelFunc>();
  for (const name of ["BatchMatMul", "Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", "Sum", "Mean", "Transpose", "Reverse"]) {
    const k = tf.getKernel(name, "webgpu");
    if (!k) return false;
    originals.set(name, k.kernelFunc as unknown as KernelFunc);
  }
  installed = true;
  const transpose = originals.get("Transpose")!;
  const reverse = originals.get("Reverse")!;
  /** `f` returns null for a case it does not handle; tfjs's own kernel runs it then. */
  const swap = (name: string, f: (args: Parameters<KernelFunc>[0]) => TensorInfo | null) => {
    const original = originals.get(name)!;
    const kernelFunc = (args: Parameters<KernelFunc>[0]) => {
      const out = f(args);
      count(name, out !== null);
      return out ?? original(args);
    };
    tf.unregisterKernel(name, "webgpu");
    tf.registerKernel({ kernelName: name, backendName: "webgpu", kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  };

  swap("BatchMatMul", (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    const ra = a.shape.length, rb = b.shape.length;
    const n = b.shape[rb - 1]!;
    if (transposeB || ra !== rb || ra < 2 || ra > 3 || n % 4 !== 0 || a.dtype !== "float32" || b.dtype !== "float32") return null;
    const batchA = ra === 3 ? a.shape[0]! : 1, batchB = rb === 3 ? b.shape[0]! : 1;
    if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
    const batch = Math.max(batchA, batchB);
    const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
    const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
    if (k !== b.shape[rb - 2]) return null;
    const outputShape = ra === 3 ? [batch, m, n] : [m, n];
    return (args.backend as WebGpuBackend).runWebGPUProgram(matMulProgram(outputShape, batch, m, n / 4, Boolean(transposeA)), [a, b], "float32", [
      int([m]), int([k]), int([n / 4]), int([batchA]), int([batchB]),
    ]);
  });

  swap("Conv2D", (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs ?? {};
    const [fh, fw, , cout] = filter.shape as number[];
    const pads = stride1Pads(attrs.pad, fh!, fw!);
    if (!pads || !unitStrides(attrs) || cout! % 4 !== 0 || x.dtype !== "float32") return null;
    const [, inH, inW] = x.shape as number[];
    const outH = attrs.pad === "same" ? inH! : inH! - fh! + 1, outW = attrs.pad === "same" ? inW! : inW! - fw! + 1;
    if (outH < 1 || outW < 1) return null;
    return runConv(args.backend as WebGpuBackend, x, filter, outH, outW, pads.top, pads.left);
  });

  swap("Conv2DBackpropInput", (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs ?? {};
    const [fh, fw, cin] = filter.shape as number[];
    const pads = stride1Pads(attrs.pad, fh!, fw!);
    const inputShape = attrs.inputShape as number[];
    if (!pads || !unitStrides(attrs) || cin! % 4 !== 0 || dy.dtype !== "float32") return null;
    // dx = conv(dy, flip(filter) with in/out channels swapped), padded fh-1-top, fw-1-left; the
    // filter is rearranged with the backend's own kernels, as kernels must not call ops.
    const backend = args.backend as WebGpuBackend;
    const swapped = transpose({ inputs: { x: filter }, backend, attrs: { perm: [0, 1, 3, 2] } }) as TensorInfo;
    const flipped = reverse({ inputs: { x: swapped }, backend, attrs: { dims: [0, 1] } }) as TensorInfo;
    backend.disposeData(swapped.dataId);
    const dx = runConv(backend, dy, flipped, inputShape[1]!, inputShape[2]!, fh! - 1 - pads.top, fw! - 1 - pads.left);
    backend.disposeData(flipped.dataId);
    return dx;
  });

  swap("Conv2DBackpropFilter", (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs ?? {};
    const filterShape = attrs.filterShape as [number, number, number, number];
    const [fh, fw, , cout] = filterShape;
    const pads = stride1Pads(attrs.pad, fh, fw);
    if (!pads || !unitStrides(attrs) || cout % 4 !== 0 || x.dtype !== "float32") return null;
    const [b, inH, inW, cin] = x.shape as number[];
    const [, outH, outW] = dy.shape as number[];
    return (args.backend as WebGpuBackend).runWebGPUProgram(convFilterProgram(filterShape), [x, dy], "float32", [
      int([inH!]), int([inW!]), int([cin!]), int([fw]), int([pads.top]), int([pads.left]), int([outH!]), int([outW!]), int([b!]), int([fh * fw * cin!]), int([cout / 4]),
    ]);
  });

  const columnReduce = (mean: boolean) => (args: Parameters<KernelFunc>[0]): TensorInfo | null => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = (args.attrs ?? {}) as { axis?: number | number[]; keepDims?: boolean };
    const rank = x.shape.length;
    const channels = x.shape[rank - 1]!;
    const axes = new Set((axis === undefined ? [...Array(rank).keys()] : Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)));
    const leading = [...Array(rank - 1).keys()];
    if (rank < 2 || x.dtype !== "float32" || channels % 4 !== 0 || axes.size !== rank - 1 || !leading.every((a) => axes.has(a))) return null;
    const nRows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    if (nRows === 0) return null;
    const outputShape = keepDims ? [...Array(rank - 1).fill(1), channels] : [channels];
    return (args.backend as WebGpuBackend).runWebGPUProgram(columnSumProgram(outputShape, channels), [x], "float32", [
      { type: "int32", data: [nRows] }, { type: "int32", data: [channels / 4] }, { type: "float32", data: [mean ? 1 / nRows : 1] },
    ]);
  };
  swap("Sum", columnReduce(false));
  swap("Mean", columnReduce(true));
  return true;
}

/** Whether the kernels are swapped in (then tfjs's own Conv2D filter gradient is the fast one). */
export function softwareGpuKernelsInstalled(): boolean {
  return installed;
}

/** Whether an adapter description names a software rasteriser (llvmpipe/lavapipe, SwiftShader). */
export function isSoftwareAdapter(adapter: string | undefined): boolean {
  return /llvmpipe|lavapipe|swiftshader|software/i.test(adapter ?? "");
}
