/**
 * The built-in model's figures (scripts/build-default-model.sh). The shipped model hears every
 * shared speaker, so it cannot be scored on them: its figures are the same recipe's
 * cross-validation, written by `ser cv --json` on the same corpora with the same spec:
 *  - corporaOut: leave one corpus out (trained on the others, one clip at a time, each clip
 *    among its corpus's emotions): a voice, room and language the model never heard;
 *  - speakerFolds: speaker-independent 4-fold CV over all of them: new speakers of known corpora.
 * Writes models/default.json (what the CLI's note and the page's paragraph quote) and prints the
 * lines for models/default.txt.
 *   deno run -A scripts/default-model-figures.ts SPEAKER-CV.json CORPUS-CV.json OUT.json
 */
import { readFileSync, writeFileSync } from "node:fs";

const [speakerPath, corpusPath, outPath] = Deno.args;
if (!speakerPath || !corpusPath || !outPath) throw new Error("usage: default-model-figures.ts SPEAKER-CV.json CORPUS-CV.json OUT.json");
type Cv = { by: string; spec: unknown; datasets: string[]; oneClipByCorpus: Record<string, { uar: number; clips: number; classes: number }> };
const read = (p: string, by: string): Cv => {
  const cv = JSON.parse(readFileSync(p, "utf8")) as Cv;
  if (cv.by !== by) throw new Error(`${p} is a cross-validation by ${cv.by}, expected by ${by}.`);
  return cv;
};
const speakers = read(speakerPath, "speaker");
const corpora = read(corpusPath, "dataset");
if (JSON.stringify(speakers.spec) !== JSON.stringify(corpora.spec)) throw new Error("the two cross-validations ran different recipes.");
const round = (o: Cv["oneClipByCorpus"]) => Object.fromEntries(Object.entries(o).map(([d, c]) => [d, { uar: Math.round(c.uar * 1e4) / 1e4, clips: c.clips, classes: c.classes }]));
const mean = (o: Cv["oneClipByCorpus"]) => Math.round(1e4 * Object.values(o).reduce((s, c) => s + c.uar, 0) / Object.keys(o).length) / 1e4;
const out = {
  datasets: speakers.datasets,
  spec: speakers.spec,
  corporaOut: round(corpora.oneClipByCorpus),
  corporaOutMean: mean(corpora.oneClipByCorpus),
  speakerFolds: round(speakers.oneClipByCorpus),
};
for (const [title, o] of [["leave one corpus out (a corpus the model never heard)", out.corporaOut], ["speaker-independent 4-fold CV (new speakers of known corpora)", out.speakerFolds]] as const) {
  console.log(`one clip at a time, ${title}; UAR over each corpus's own emotions:`);
  for (const [d, c] of Object.entries(o)) console.log(`  ${d.padEnd(8)} UAR ${(100 * c.uar).toFixed(1)}%  (${c.clips} clips, ${c.classes} classes, chance ${(100 / c.classes).toFixed(1)}%)`);
}
writeFileSync(outPath, JSON.stringify(out, null, 1) + "\n");
