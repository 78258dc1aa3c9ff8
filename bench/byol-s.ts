/**
 * BYOL-S 512 embedding speed on one core over clips of the shared RAVDESS subset, against the
 * PyTorch reference (../shared/models/byol-s-512/reference_embed.py, one thread) run in the same
 * invocation on the same clips.
 *   deno run -A --config deno.json bench/byol-s.ts [--dir PATH] [--n N (default 100; 0 = all)]
 * Ours: decodeWav -> createResampler 48 -> 16 kHz (timed apart) -> createByolS().embed (log-mel +
 * network, wasm SIMD). PyTorch: soundfile + scipy resample_poly (timed apart) -> the reference's
 * numpy log-mel + torch network. Also prints the cosine similarity of the two embeddings per clip
 * (they differ by the resamplers, see byol-s.test.ts).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createResampler, decodeWav } from "@ser/core";
import { createByolS } from "../packages/core/src/features/encoders/byol-s.ts";

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args,
  options: { dir: { type: "string" }, n: { type: "string" }, js: { type: "boolean" } },
});
const root = join(import.meta.dirname!, "..");
const dir = values.dir ?? join(root, "..", "shared", "datasets", "ravdess");
const modelDir = join(root, "..", "shared", "models", "byol-s-512");
const n = Number(values.n ?? 100);

function walk(d: string): string[] {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? walk(p) : name.toLowerCase().endsWith(".wav") ? [p] : [];
  }).sort();
}

let files = walk(dir);
if (files.length === 0) throw new Error(`no WAV files under ${dir}`);
if (n > 0) files = files.slice(0, n);

// --- ours
let t0 = performance.now();
const enc = createByolS({ implementation: values.js ? "js" : "auto" });
const buildMs = performance.now() - t0;
const resamplers = new Map<number, ReturnType<typeof createResampler>>();
t0 = performance.now();
const waves = files.map((f) => {
  const w = decodeWav(readFileSync(f), { source: f });
  if (w.sampleRateHz === 16000) return w.samples;
  let rs = resamplers.get(w.sampleRateHz);
  if (!rs) resamplers.set(w.sampleRateHz, rs = createResampler({ fromHz: w.sampleRateHz, toHz: 16000 }));
  const out = new Float32Array(rs.outputLength(w.samples.length));
  rs.process(w.samples, out);
  return out;
});
const loadMs = (performance.now() - t0) / files.length;
const ours = waves.map(() => new Float32Array(512));
enc.embed(waves[0]!, ours[0]!); // warm-up
t0 = performance.now();
for (let i = 0; i < waves.length; i++) enc.embed(waves[i]!, ours[i]!);
const oursMs = (performance.now() - t0) / files.length;
const seconds = waves.reduce((s, w) => s + w.length / 16000, 0) / files.length;
console.log(`${files.length} clips of ${dir} (mean ${seconds.toFixed(2)} s at 16 kHz)`);
console.log(`ours (${enc.implementation}): plan built in ${buildMs.toFixed(0)} ms; decode + resample ${loadMs.toFixed(2)} ms/clip; embed ${oursMs.toFixed(2)} ms/clip`);

// --- PyTorch reference, one thread
const python = "/usr/bin/python3";
if (!existsSync(python) || !existsSync(join(modelDir, "reference_embed.py"))) {
  console.error(`${python} or ${modelDir}/reference_embed.py missing: the PyTorch peer is skipped.`);
} else {
  const list = join(tmpdir(), `ser-bench-byol-${Deno.pid}.json`);
  writeFileSync(list, JSON.stringify({ files, stats: [enc.normStats.mean, enc.normStats.std] }));
  const harness = `
import json, sys, time
sys.path.insert(0, sys.argv[1])
import torch, reference_embed as ref
torch.set_num_threads(1)
cfg = json.load(open(sys.argv[2])); m, s = cfg["stats"]
model = ref.Encoder(); model.load_state_dict(torch.load(ref.CKPT, map_location="cpu")); model.eval()
t = time.perf_counter(); ys = [ref.load16k(f) for f in cfg["files"]]; load = time.perf_counter() - t
def emb(y):
    x = torch.from_numpy((ref.log_mel(y) - m) / s)[None, None]
    fr = model.frames(x)[0]
    return fr.max(0)[0] + fr.mean(0)
with torch.no_grad():
    emb(ys[0])
    t = time.perf_counter(); out = [emb(y).tolist() for y in ys]; dt = time.perf_counter() - t
json.dump({"load_ms": 1000 * load / len(ys), "embed_ms": 1000 * dt / len(ys), "embeddings": out}, sys.stdout)
`;
  const env = { ...Deno.env.toObject(), OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" };
  const r = spawnSync(python, ["-c", harness, modelDir, list], { env, encoding: "utf8", maxBuffer: 1 << 30 });
  Deno.removeSync(list);
  if (r.status !== 0) {
    console.error(`PyTorch peer failed: ${r.stderr.trim().split("\n").at(-1)}`);
  } else {
    const py = JSON.parse(r.stdout) as { load_ms: number; embed_ms: number; embeddings: number[][] };
    let minCos = Infinity, sumCos = 0;
    py.embeddings.forEach((e, i) => {
      const a = ours[i]!;
      let dot = 0, na = 0, nb = 0;
      for (let j = 0; j < 512; j++) {
        dot += a[j]! * e[j]!;
        na += a[j]! * a[j]!;
        nb += e[j]! * e[j]!;
      }
      const c = dot / Math.sqrt(na * nb);
      minCos = Math.min(minCos, c);
      sumCos += c;
    });
    console.log(`PyTorch (1 thread): soundfile + resample_poly ${py.load_ms.toFixed(2)} ms/clip; embed ${py.embed_ms.toFixed(2)} ms/clip`);
    console.log(`ours / PyTorch embed: ${(oursMs / py.embed_ms).toFixed(2)}x`);
    console.log(`cosine(ours, PyTorch) per clip (different resamplers): mean ${(sumCos / files.length).toFixed(5)}, min ${minCos.toFixed(5)}`);
  }
}
