/**
 * Training speed of a model (models.ts) against the same model in PyTorch on the CPU
 * (bench/train_torch.py), same data shape, batch size and optimizer, in one run.
 *   deno run -A bench/train-speed.ts [--model cnn1d|mlp] [--n N] [--epochs 2] [--backend auto|webgpu|wasm|cpu]
 * cnn1d: 256 random [251 x 80] items (the MFCC + delta front end). mlp: 716 random [512]
 * vectors (RAVDESS's pooled BYOL-S embeddings), class weights and the L2 penalty 0.03 as the
 * default mlp trains. 8 classes: speed does not depend on the values. Seconds per epoch are the
 * median after one warm-up epoch, which pays for shader compilation. "auto" is what `ser train`
 * picks for the model (selectBackend with the model named).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createRng, sampleWeights } from "@ser/core";
import { createModel, fit, selectBackend, tf } from "@ser/core/ml.ts";

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args, // pnpm passes a literal "--" through
  options: { model: { type: "string" }, n: { type: "string" }, epochs: { type: "string" }, backend: { type: "string" }, "batch-size": { type: "string" }, json: { type: "boolean" } },
});
const modelName = (values.model ?? "cnn1d") as "cnn1d" | "mlp";
if (modelName !== "cnn1d" && modelName !== "mlp") throw new Error(`--model must be cnn1d or mlp, got '${modelName}'.`);
const mlp = modelName === "mlp";
const n = Number(values.n ?? (mlp ? 716 : 256));
const epochs = Number(values.epochs ?? (mlp ? 5 : 2));
const batchSize = Number(values["batch-size"] ?? 32);
const [frames, dims, classes] = mlp ? [1, 512, 8] : [251, 80, 8];
const shape = mlp ? [dims] : [frames, dims];

const backend = await selectBackend((values.backend ?? "auto") as "auto", { model: modelName, training: true });
if (backend.warning) console.error(`warning: ${backend.warning}`);
const rng = createRng(7);
const x = new Float32Array(n * frames * dims);
for (let i = 0; i < x.length; i++) x[i] = rng.normal();
const y = new Int32Array(n).map(() => Math.floor(rng.next() * classes));
const model = createModel(modelName, { inputShape: shape, nClasses: classes, seed: 1 });
const result = await fit(model, { n, shape, x, y }, {
  epochs: epochs + 1, batchSize, learningRate: 1e-3, schedule: "constant", patience: 0, ...(mlp ? { sampleWeights: sampleWeights(Array.from(y, (c) => ({ dataset: "bench", emotion: String(c) })), "class") } : {}), l2: mlp ? 0.03 : 0, seed: 1, nClasses: classes,
});
model.dispose();
const times = result.history.slice(1).map((h) => h.seconds).sort((a, b) => a - b);
const ours = times[Math.floor(times.length / 2)]!;

const where = `${backend.backend}${backend.adapter ? ` (${backend.backend === "webgpu" ? "" : "over "}${backend.adapter})` : ""}`;
const rows: [string, string, string][] = [[`tfjs ${tf.version_core} on ${where}`, ours.toFixed(2), (n / ours).toFixed(1)]];
let torchSeconds: number | undefined;
const script = join(import.meta.dirname!, "train_torch.py");
if (existsSync("/usr/bin/python3")) {
  for (const threads of [1, navigator.hardwareConcurrency]) {
    const r = spawnSync("/usr/bin/python3", [script, String(n), String(frames), String(dims), String(epochs + 1), String(threads), modelName], { encoding: "utf8" });
    if (r.status !== 0) {
      console.error(`PyTorch peer unavailable (${r.stderr.trim().split("\n").at(-1)}); install Debian's python3-torch to run it.`);
      break;
    }
    const o = JSON.parse(r.stdout) as { secondsPerEpoch: number; torch: string };
    torchSeconds ??= o.secondsPerEpoch;
    torchSeconds = Math.min(torchSeconds, o.secondsPerEpoch);
    rows.push([`PyTorch ${o.torch} CPU, ${threads} thread${threads > 1 ? "s" : ""}`, o.secondsPerEpoch.toFixed(2), (n / o.secondsPerEpoch).toFixed(1)]);
  }
}
if (values.json) {
  console.log(JSON.stringify([{
    figure: `Train ${modelName}, ${n} items of ${mlp ? dims : `${frames}x${dims}`}, batch ${batchSize} (${where})`,
    unit: "s/epoch",
    lowerIsBetter: true,
    ours,
    peer: torchSeconds === undefined ? undefined : { name: "PyTorch CPU (best of 1, 2 threads)", value: torchSeconds },
  }]));
  Deno.exit(0);
}
console.log(`${modelName}, ${n} items of ${mlp ? dims : `${frames} x ${dims}`}, batch ${batchSize}, Adam; median of ${epochs} epochs after a warm-up epoch`);
const w = Math.max(...rows.map((r) => r[0].length)) + 2;
console.log(`${"runtime".padEnd(w)}${"s/epoch".padEnd(10)}samples/s`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w)}${b.padEnd(10)}${c}`);
if (torchSeconds !== undefined) console.log(`ours / best PyTorch time per epoch: ${(ours / torchSeconds).toFixed(1)}x`);
