import { writeFile } from "node:fs/promises";
import type { Frontend } from "@ser/core";
import { DEFAULT_SEARCH_SPACE, MODEL_NAMES, type ModelName, runTune, type TrialResult } from "@ser/core/ml.ts";
import { choiceFlag, intFlag, numberFlag, parse, stringFlag } from "../args.ts";
import { type Command, helpText } from "../command.ts";
import { UsageError } from "../errors.ts";
import { loadCorpus } from "../io/corpus.ts";
import { BACKEND_FLAG, startBackend } from "./backend-flag.ts";
import { CORPUS_FLAGS, corpusOptions, WORKER_FLAGS, workerCount, corpusInputs, cacheDir } from "./corpus-flags.ts";

const pct = (x: number) => (100 * x).toFixed(1);

export const tuneCommand: Command = {
  name: "tune",
  summary: "hyperparameter search scored on speaker-independent folds; prints a leaderboard, writes the best config",
  usage: "ser tune <path…> [--trials N] [--budget-minutes M] [--search halving|random] [--out best.json]",
  flags: {
    trials: { type: "string", value: "N", description: "configurations to try (default 9)" },
    "budget-minutes": { type: "string", value: "M", description: "no new trial starts after M minutes (default 30)" },
    search: { type: "string", value: "NAME", description: "halving (successive halving, default) or random (every trial at full epochs)" },
    folds: { type: "string", value: "K", description: "speaker folds each trial is scored on (default 3)" },
    epochs: { type: "string", value: "N", description: "epochs of a full-budget trial (default 30)" },
    models: { type: "string", value: "LIST", description: `models to search over (default mlp; ${MODEL_NAMES.join(", ")})` },
    out: { type: "string", value: "FILE", description: "write the best configuration here, for 'ser train --config FILE' (default: written nowhere)" },
    json: { type: "string", value: "FILE", description: "write every trial as JSON" },
    seed: { type: "string", value: "N", description: "seed for the search, folds and training (default 42)" },
    ...BACKEND_FLAG,
    ...CORPUS_FLAGS,
    ...WORKER_FLAGS,
    help: { type: "boolean", short: "h", description: "show this help" },
  },
  details: `Searched: learning rate (log-uniform 2e-4..3e-3), batch size (16, 32, 64), dropout (0.1..0.6),
augmentation set (none .. noise,gain,shift,specaugment), MFCC count (20, 40), normalisation
(per speaker or none), and the models given. Each trial trains K times, each time on K-1 folds of
speakers, and is scored by UAR on the speakers of the remaining fold; nothing inside a fold sees its
scoring speakers (no early stopping, fixed epochs). The leaderboard picks a configuration, it is
not a test score for it: keep some speakers out of the search and test the winner on them, e.g.
  ser tune ravdess/Actor_0{1..9} --trials 12 --out best.json && ser train ravdess --config best.json --test-actors 10,11,12 --out model`,
  async run(args, io) {
    const p = parse("tune", args, this.flags);
    if (p.values.help) return io.stdout(helpText(this));
    const inputs = corpusInputs(p, "tune");
    const trials = intFlag(p, "trials", 9, 1, 1000);
    const budgetMinutes = numberFlag(p, "budget-minutes", 0.01, 10000) ?? 30;
    const search = choiceFlag(p, "search", ["halving", "random"] as const, "halving");
    const folds = intFlag(p, "folds", 3, 2, 20);
    const epochs = intFlag(p, "epochs", 30, 1, 10000);
    const seed = intFlag(p, "seed", 42, 0);
    const models = (stringFlag(p, "models") ?? "mlp").split(",").map((m) => m.trim()) as ModelName[];
    for (const m of models) if (!(MODEL_NAMES as readonly string[]).includes(m)) throw new UsageError(`--models: unknown model '${m}'; choose from ${MODEL_NAMES.join(", ")}.`);
    const out = stringFlag(p, "out");
    const corpus = { ...corpusOptions(p), workers: workerCount(p), cacheDir: cacheDir(p) };
    // One model searched: "auto" can pick its fastest backend; several keep the general choice.
    await startBackend(p, io, models.length === 1 ? { model: models[0] as ModelName, training: true } : {});
    let speakers = 0;
    const results = await runTune({
      loadItems: async (fe: Frontend, views) => {
        const frontend = fe.config;
        const t0 = performance.now();
        const { items, summary } = await loadCorpus(inputs, { ...corpus, frontend: fe, views });
        speakers = summary.speakers.length;
        if (speakers < folds) throw new UsageError(`--folds ${folds} needs at least ${folds} speakers; the data has ${speakers}.`);
        await io.stderr(`features (${frontend.kind}, ${frontend.nMfcc} MFCC, normalise ${frontend.normalization}): ${items.length} recordings in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
        return items;
      },
      space: { ...DEFAULT_SEARCH_SPACE, models },
      trials,
      folds,
      seed,
      search,
      maxEpochs: epochs,
      budgetMs: budgetMinutes * 60_000,
      onTrial: (r, done, planned) => void io.stderr(`trial ${r.id + 1} (${done}/${planned}), ${r.epochs} epochs: UAR ${pct(r.meanUar)} ± ${pct(r.stdUar)}  ${describe(r)}\n`),
    });
    if (results.length === 0) throw new Error(`no trial finished within --budget-minutes ${budgetMinutes}.`);
    const lines = [
      `${search === "halving" ? "successive halving" : "random search"}: ${results.length} configurations scored on ${folds} speaker folds (${speakers} speakers), seed ${seed}; each row is its last (longest) run`,
      "validation UAR chooses a configuration; it is not a test score (test the winner on speakers not searched)",
      "",
      "rank  trial  epochs  UAR % (mean ± std)  configuration",
      ...results.map((r, i) => `${String(i + 1).padStart(4)}  ${String(r.id + 1).padStart(5)}  ${String(r.epochs).padStart(6)}  ${`${pct(r.meanUar)} ± ${pct(r.stdUar)}`.padStart(18)}  ${describe(r)}`),
      "",
    ];
    await io.stdout(lines.join("\n"));
    const best = results[0]!;
    if (out) {
      // The trial's own spec input: `ser train --config` resolves it to exactly the spec it was scored with.
      await writeFile(out, JSON.stringify({ generator: "ser tune", score: { meanUar: best.meanUar, stdUar: best.stdUar, folds, note: "validation UAR on the searched speakers, not a test score" }, spec: best.input }, null, 1) + "\n");
      await io.stdout(`best configuration written to ${out}; use it with: ser train <path…> --config ${out} --out model\n`);
    } else {
      await io.stdout(`best configuration: ${JSON.stringify(best.input)} (--out FILE writes it for 'ser train --config FILE')\n`);
    }
    const json = stringFlag(p, "json");
    if (json) await writeFile(json, JSON.stringify({ search, folds, seed, trials: results }, null, 1));
  },
};

function describe(r: TrialResult): string {
  const c = r.config;
  return `${c.model} lr ${c.learningRate} batch ${c.batchSize} dropout ${c.dropout} augment ${c.augment} mfcc ${c.nMfcc} normalize ${c.normalize} views ${r.spec.views.join(",") || "none"}`;
}
