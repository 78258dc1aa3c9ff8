/**
 * The live page's promise, measured without a browser: a stream of one unseen speaker's clips
 * of one emotion, heard as the page hears the microphone (a window of the bundle's clip length
 * every 0.5 s, pushed into one live session of core's predictor), should show that emotion as
 * the majority label. For each test speaker of the bundle and each emotion, the speaker's clips
 * of that emotion are joined into one stream; the shown (smoothed) labels are tallied.
 *   pnpm bench:live -- --model DIR [--dir ../shared/datasets/ravdess] [--smooth N] [--hold N]
 * (--warm: each session first hears all of the speaker's clips, every emotion, then pauses: what
 * the statistics cost when built from one emotion rather than the voice's range.)
 * (--smooth and --hold set the live session's smoothWindows and holdUpdates; the defaults are
 * those of 3 s and 1 s at the hop, core's live-defaults.ts: the page's at the default 0.5 s.) Prints, per stream, the majority label and its share, the majority best guess and the
 * label changes, and how many streams show their own emotion as the majority (against chance).
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { decodeWav, parseName } from "@ser/core";
import { createPredictor, loadBundle, selectBackend } from "@ser/core/ml.ts";
import { readBundle, readInputs } from "@ser/cli/io";

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args,
  options: { warm: { type: "boolean", default: false }, model: { type: "string" }, dir: { type: "string" }, "hop-s": { type: "string", default: "0.5" }, smooth: { type: "string" }, hold: { type: "string" } },
});
if (!values.model) throw new Error("bench:live needs --model DIR (a bundle trained with a held-out test split).");
await selectBackend("auto");
const bundle = await loadBundle(await readBundle(values.model));
const predictor = await createPredictor(bundle);
const testSpeakers = new Set((bundle.meta.dataset.testSpeakers ?? []) as string[]);
if (testSpeakers.size === 0) throw new Error("the bundle names no test speakers.");
const dir = values.dir ?? join(import.meta.dirname!, "..", "..", "shared", "datasets", "ravdess");
const hopS = Number(values["hop-s"]);

// Each test speaker's clips per emotion, in file order, decoded.
const streams = new Map<string, { speaker: string; emotion: string; parts: Float32Array[]; sampleRateHz: number }>();
for await (const ev of readInputs([dir])) {
  if (ev.kind !== "file" || !ev.path.endsWith(".wav")) continue;
  const info = parseName(ev.path);
  if (typeof info === "string" || !testSpeakers.has(info.speaker) || !bundle.meta.labels.includes(info.emotion)) continue;
  const wav = decodeWav(ev.bytes, { source: ev.path });
  const key = `${info.speaker} ${info.emotion}`;
  const s = streams.get(key) ?? { speaker: info.speaker, emotion: info.emotion, parts: [], sampleRateHz: wav.sampleRateHz };
  s.parts.push(wav.samples);
  streams.set(key, s);
}
let hits = 0, guessHits = 0, totalChanges = 0;
const rows: string[] = [];
for (const s of [...streams.values()].sort((a, b) => `${a.speaker}${a.emotion}`.localeCompare(`${b.speaker}${b.emotion}`))) {
  const total = s.parts.reduce((n, p) => n + p.length, 0);
  const audio = new Float32Array(total);
  let at = 0;
  for (const p of s.parts) audio.set(p, (at += p.length) - p.length);
  const session = predictor.createSession({ hopS, smoothWindows: values.smooth === undefined ? undefined : Number(values.smooth), holdUpdates: values.hold === undefined ? undefined : Number(values.hold) });
  const win = Math.round(bundle.meta.frontend.durationS * s.sampleRateHz);
  const hop = Math.round(hopS * s.sampleRateHz);
  if (values.warm) {
    const range = [...streams.values()].filter((o) => o.speaker === s.speaker).flatMap((o) => o.parts);
    const heard = new Float32Array(range.reduce((n, p) => n + p.length, 0));
    range.reduce((at, p) => (heard.set(p, at), at + p.length), 0);
    for (let end = win; end <= heard.length; end += hop) await session.push(heard.slice(end - win, end), s.sampleRateHz);
    session.pause();
  }
  const tally = new Map<string, number>();
  const guesses = new Map<string, number>();
  let shown = 0, changes = 0, previous = "";
  for (let end = win; end <= audio.length; end += hop) {
    const p = await session.push(audio.slice(end - win, end), s.sampleRateHz);
    // Silence (core's SILENCE_DB) is shown as such on the page: tallied, never an emotion.
    const label = p.kind === "silence" ? "silence" : p.smoothed.notSure ? "not sure" : p.smoothed.label;
    const guess = p.kind === "silence" ? "silence" : p.smoothed.label;
    tally.set(label, (tally.get(label) ?? 0) + 1);
    guesses.set(guess, (guesses.get(guess) ?? 0) + 1);
    if (shown > 0 && label !== previous) changes++;
    previous = label;
    shown++;
  }
  const [top, count] = [...tally.entries()].sort((a, b) => b[1] - a[1])[0] ?? ["-", 0];
  const [guess] = [...guesses.entries()].sort((a, b) => b[1] - a[1])[0] ?? ["-"];
  if (top === s.emotion) hits++;
  if (guess === s.emotion) guessHits++;
  totalChanges += changes;
  rows.push(`${s.speaker} ${s.emotion.padEnd(9)} ${String(shown).padStart(4)} updates: majority ${top} (${((100 * count) / Math.max(1, shown)).toFixed(0)} %), best guess ${guess}, ${changes} changes${top === s.emotion ? "" : "  ✗"}`);
}
console.log(rows.join("\n"));
console.log(`${guessHits} of ${streams.size} have it as the majority best guess (not-sure windows counted by their best guess); ${(totalChanges / streams.size).toFixed(1)} label changes per stream`);
console.log(`${hits} of ${streams.size} one-emotion streams show their emotion as the majority label (chance ${(streams.size / bundle.meta.labels.length).toFixed(1)}); model ${values.model}, windows of ${bundle.meta.frontend.durationS} s every ${hopS} s`);
predictor.dispose();
