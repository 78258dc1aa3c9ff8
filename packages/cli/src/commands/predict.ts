import { applyNorm, applyStandardScaler, createFrontend, decodeWav, rowStats } from "@ser/core";
import { loadBundle, tf } from "@ser/core/ml.ts";
import { parse, stringFlag } from "../args.ts";
import { type Command, helpText } from "../command.ts";
import { UsageError } from "../errors.ts";
import { readBundle } from "../io/bundle-io.ts";
import { readInputFile } from "../io/read-file.ts";
import { BACKEND_FLAG, startBackend } from "./backend-flag.ts";

export const predictCommand: Command = {
  name: "predict",
  summary: "predict the emotion of WAV files with a trained model",
  usage: "ser predict --model DIR|ZIP <file.wav…> [--json]",
  flags: {
    model: { type: "string", value: "DIR", short: "m", description: "model bundle folder or zip (required)" },
    json: { type: "boolean", description: "print JSON: one object per file with label and probabilities" },
    ...BACKEND_FLAG,
    help: { type: "boolean", short: "h", description: "show this help" },
  },
  async run(args, io) {
    const p = parse("predict", args, this.flags);
    if (p.values.help) return io.stdout(helpText(this));
    const modelPath = stringFlag(p, "model");
    if (!modelPath) throw new UsageError("predict needs --model DIR (a bundle written by 'ser train').");
    if (p.positionals.length === 0) throw new UsageError("predict needs at least one WAV file.");
    await startBackend(p, io);
    const { model, meta } = await loadBundle(await readBundle(modelPath));
    const frontend = createFrontend(meta.frontend);
    const results: { file: string; label?: string; probabilities?: Record<string, number>; error?: string }[] = [];
    const inputs: { file: string; x: Float32Array }[] = [];
    for (const file of p.positionals) {
      try {
        const wav = decodeWav(await readInputFile(file), { source: file });
        const x = new Float32Array(frontend.size);
        frontend.extract(frontend.prepare(wav.samples, wav.sampleRateHz), x);
        if (meta.frontend.normalization === "utterance") applyNorm(x, frontend.dims, rowStats([x], frontend.dims));
        inputs.push({ file, x });
      } catch (e) {
        results.push({ file, error: (e as Error).message });
      }
    }
    if (meta.frontend.normalization === "speaker" && inputs.length > 0) {
      // The model expects features normalised per speaker: the files given together are taken as one speaker.
      const stats = rowStats(inputs.map((i) => i.x), frontend.dims);
      for (const i of inputs) applyNorm(i.x, frontend.dims, stats);
      if (inputs.length < 5) await io.stderr(`warning: this model normalises per speaker; with ${inputs.length} file(s) the speaker statistics are rough. Pass several clips of the same speaker together.\n`);
    }
    for (const { file, x } of inputs) {
      applyStandardScaler(meta.scaler, x);
      const t = tf.tidy(() => model.predict(tf.tensor(x, [1, ...frontend.shape])) as tf.Tensor);
      const probs = await t.data();
      t.dispose();
      let best = 0;
      probs.forEach((v, i) => { if (v > probs[best]!) best = i; });
      results.push({ file, label: meta.labels[best]!, probabilities: Object.fromEntries(meta.labels.map((l, i) => [l, probs[i]!])) });
    }
    model.dispose();
    if (p.values.json) await io.stdout(JSON.stringify(results, null, 1) + "\n");
    else {
      for (const r of results) {
        if (r.error) await io.stderr(`error: ${r.error}\n`);
        else {
          const top = Object.entries(r.probabilities!).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([l, v]) => `${l} ${(100 * v).toFixed(1)}%`).join(", ");
          await io.stdout(`${r.file}: ${r.label}  (${top})\n`);
        }
      }
    }
    const failed = results.filter((r) => r.error).length;
    if (failed > 0) throw new Error(`${failed} of ${results.length} files could not be read.`);
  },
};
