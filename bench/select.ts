/**
 * Honest selection: nested speaker cross-validation over candidate front ends / normalisations
 * (core's nestedSelection). Each outer fold's test actors never inform the choice: candidates are
 * scored by inner folds on the outer fold's training actors only, by one-clip UAR.
 *   pnpm bench:select [-- --candidates byol-s/speaker/random,byol-s/none,stats/speaker/random
 *                        --folds 4 --inner-folds 3 --seed 42 --dir PATH --label NAME]
 * A candidate is features/normalize[/enrolment]; everything else is resolveTrainingSpec's default.
 * Writes bench/results/selection-<label>.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { corpusKey, type FrontendKind, type Normalization, openFrontend, type PreparedItem, resolveTrainingSpec, TRAIN_DEFAULTS, type Enrolment } from "@ser/core";
import { MEETING_PROTOCOLS, nestedSelection, type SelectionCandidate, selectBackend } from "@ser/core/ml.ts";
import { loadCorpus, defaultWorkerCount } from "@ser/cli/io";

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args,
  options: {
    dir: { type: "string" },
    candidates: { type: "string", default: "byol-s/speaker/random,byol-s/none,stats/speaker/random" },
    folds: { type: "string", default: "4" },
    "inner-folds": { type: "string", default: "3" },
    seed: { type: "string", default: String(TRAIN_DEFAULTS.seed) },
    label: { type: "string", default: "default" },
  },
});
const dir = values.dir ?? join(import.meta.dirname!, "..", "..", "shared", "datasets", "ravdess");
const backend = await selectBackend("auto");
const seed = Number(values.seed);
const corpora = new Map<string, readonly PreparedItem[]>();
const candidates: SelectionCandidate[] = [];
for (const name of values.candidates!.split(",")) {
  const [features, normalize, enrolment] = name.split("/") as [FrontendKind, Normalization, Enrolment | undefined];
  const spec = resolveTrainingSpec({ features, normalize, ...(enrolment ? { enrolment } : {}), seed });
  const frontend = await openFrontend(spec.frontend);
  const key = corpusKey(spec);
  if (!corpora.has(key)) corpora.set(key, (await loadCorpus([dir], { dataset: "auto", labels: {}, frontend, workers: defaultWorkerCount(), views: spec.views })).items);
  candidates.push({ name, spec, frontend, items: corpora.get(key)! });
}
const pct = (x: number) => (100 * x).toFixed(1);
const r = await nestedSelection({
  candidates,
  folds: Number(values.folds),
  innerFolds: Number(values["inner-folds"]),
  seed,
  onInner: (k, c, u) => console.error(`outer fold ${k}: ${c} inner one-clip UAR ${pct(u)}`),
  onOuter: (f) => console.error(`outer fold ${f.fold}: chose ${f.chosen}; test ${f.testSpeakers.join(",")}: one clip ${pct(f.protocols["one-clip"].uar)}, enrolled ${pct(f.protocols.enrolled.uar)}, skewed ${pct(f.protocols.skewed.uar)}`),
});
console.log(`${dir}: nested ${values.folds}x${values["inner-folds"]} speaker CV choosing among ${values.candidates} by one-clip UAR; backend ${backend.backend}`);
for (const p of MEETING_PROTOCOLS) console.log(`  ${p.padEnd(9)} UAR ${pct(r.mean[p].uar)} ± ${pct(r.std[p].uar)}  accuracy ${pct(r.mean[p].accuracy)}`);
console.log(`  chosen per outer fold: ${r.folds.map((f) => f.chosen).join(", ")}`);
const outDir = join(import.meta.dirname!, "results");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, `selection-${values.label}.json`), JSON.stringify({ command: `pnpm bench:select -- ${Deno.args.filter((a) => a !== "--").join(" ")}`, dir, backend: backend.backend, createdAt: new Date().toISOString(), ...r }, null, 1) + "\n");
