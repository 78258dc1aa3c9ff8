/**
 * The live page's promise, measured without a browser: a stream of one unseen speaker's clips
 * of one emotion, heard as the page hears the microphone (a window of the bundle's clip length
 * every 0.5 s, pushed into one live session of core's predictor), should show that emotion as
 * the majority label (the page's cadence: a window every hop from the first, the latest
 * clip-length heard, shorter at first). For each test speaker of the bundle and each emotion, the speaker's clips
 * of that emotion are joined into one stream; the shown (smoothed) labels are tallied.
 *   pnpm bench:live -- --model DIR[,DIR…] [--dir CORPUS[,CORPUS…]] [--narrow | --emotions LIST]
 *                      [--warm | --warm-emotions LIST | --continuous [--seed 42]] [--discount LIST]
 *                      [--hop-s 0.5] [--window-s S] [--smooth N] [--hold N] [--out FILE.json]
 * --hop-s: seconds between windows (the page's 0.5 by default).
 * Several models (folds of one recipe, each with its own test speakers: bench/live-folds.sh)
 * stream each one's test speakers and the tallies are summed, so more speakers than one split
 * holds back are heard. Corpora default to the three shared ones; any corpus core names (WAV
 * or FLAC) streams. --narrow: each stream chooses among its corpus's emotions the model knows
 * (as cross-corpus figures are reported); --emotions angry,happy,neutral,sad: only those
 * emotions' streams, each choosing among them (the page's emotion choice).
 * --warm: each session first hears all of the speaker's clips, every emotion, then pauses: what
 * the statistics cost when built from one emotion rather than the voice's range. --warm-emotions
 * LIST: warm on those emotions' clips only (e.g. neutral: a voice first heard reading calmly),
 * whose own streams are then not scored (they were heard already).
 * --continuous: one session per speaker hears all of the speaker's streams one after another (an
 * order drawn with --seed, default 42, a pause between emotions), its voice's statistics carried from one
 * emotion to the next, as a few minutes of varied speech at the microphone are heard; each
 * stream is still scored on its own windows. The first stream of each speaker is heard as fresh.
 * --window-s S: windows of S seconds rather than the bundle's clip length (the page's and the CLI's).
 * --smooth and --hold set the live session's smoothWindows and holdUpdates; the defaults are
 * those of 3 s and 1 s at the hop (core's live-defaults.ts: the page's at the default 0.5 s).
 * --discount 1,2,4: the sessions' enrolmentDiscount (default core's), several heard side by side
 * on the same windows (one feature extraction per window); with several, each corpus is also
 * scored with the discount chosen on the other corpora's streams (leave one corpus out).
 * Prints, per stream, the majority label and its share, the majority best guess and the label
 * changes, then per corpus and in all how many streams show their own emotion as the majority.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createRng, decodeAudio, enrolmentDiscount, type Frontend, openFrontend, parseName } from "@ser/core";
import { createPredictor, loadBundle, type ModelName, type Predictor, readBundleMeta, selectBackend } from "@ser/core/ml.ts";
import { readBundle, readInputs } from "@ser/cli/io";

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args,
  options: {
    model: { type: "string" },
    dir: { type: "string" },
    "hop-s": { type: "string", default: "0.5" },
    "window-s": { type: "string" },
    smooth: { type: "string" },
    hold: { type: "string" },
    narrow: { type: "boolean", default: false },
    emotions: { type: "string" },
    warm: { type: "boolean", default: false },
    "warm-emotions": { type: "string" },
    continuous: { type: "boolean", default: false },
    seed: { type: "string", default: "42" },
    discount: { type: "string" },
    out: { type: "string" },
  },
});
if (!values.model) throw new Error("bench:live needs --model DIR[,DIR…] (bundles trained with held-out test speakers).");
const shared = join(import.meta.dirname!, "..", "..", "shared", "datasets");
const dirs = values.dir ? values.dir.split(",") : ["ravdess", "emodb", "nemo"].map((c) => join(shared, c));
const hopS = Number(values["hop-s"]);
if (values.narrow && values.emotions) throw new Error("bench:live: --narrow (each corpus's emotions) or --emotions LIST, not both.");
/** --warm-emotions: the emotions a warm session hears first (all of the speaker's by default). */
const warmEmotions = values["warm-emotions"]?.split(",").map((e) => e.trim());
if (warmEmotions) values.warm = true;
if (values.warm && values.continuous) throw new Error(`bench:live: ${warmEmotions ? "--warm-emotions" : "--warm"} (emotions heard first) or --continuous (one emotion after another), not both.`);
const seed = Number(values.seed);
if (!Number.isInteger(seed)) throw new Error(`bench:live --seed must be an integer, got '${values.seed}'.`);
const windowS = values["window-s"] === undefined ? undefined : Number(values["window-s"]);
if (windowS !== undefined && !(windowS > 0 && Number.isFinite(windowS))) throw new Error(`bench:live --window-s must be a positive number of seconds, got '${values["window-s"]}'.`);
/** The order each speaker's streams are heard in with --continuous, drawn once for the run. */
const rng = createRng(seed);
/** --emotions: only streams of these, each choosing among them (the page's emotion choice, e.g. angry,happy,neutral,sad). */
const asked = values.emotions?.split(",").map((e) => e.trim());
/** Core's rule for each, checked before any audio is read; ascending, so a tie in the leave-one-corpus-out pick goes to the smaller. */
const discounts = (values.discount ? [...new Set(values.discount.split(",").map(Number))] : [undefined]).map((d) => {
  try {
    return enrolmentDiscount(d);
  } catch (e) {
    throw new Error(`bench:live --discount '${values.discount}': ${(e as Error).message}`);
  }
}).sort((a, b) => a - b);
// The models first: only their held-back speakers' clips are decoded.
const files = await Promise.all(values.model.split(",").map(async (dir) => ({ dir, files: await readBundle(dir) })));
// As `ser predict` picks, before any model loads: WebAssembly over a software WebGPU adapter for the models it runs faster.
await selectBackend("auto", { model: readBundleMeta(files[0]!.files).model.name as ModelName });
const bundles = await Promise.all(files.map(async ({ dir, files }) => ({ dir, bundle: await loadBundle(files) })));
for (const [flag, list] of [["--emotions", asked], ["--warm-emotions", warmEmotions]] as const) {
  for (const e of list ?? []) if (!bundles.some(({ bundle }) => bundle.meta.labels.includes(e))) throw new Error(`bench:live ${flag}: no model knows '${e}' (${bundles[0]!.bundle.meta.labels.join(", ")}).`);
}
const heldBack = new Set(bundles.flatMap(({ bundle }) => (bundle.meta.dataset.testSpeakers ?? []) as string[]));

interface Stream {
  dataset: string;
  speaker: string;
  emotion: string;
  parts: Float32Array[];
  sampleRateHz: number;
}

/** Every clip of the corpora, grouped into one stream per speaker and emotion (file order). */
const streams = new Map<string, Stream>();
/** Each corpus's emotions (what --narrow chooses among, less those the model lacks). */
const corpusEmotions = new Map<string, Set<string>>();
for await (const ev of readInputs(dirs)) {
  if (ev.kind !== "file" || !/\.(wav|flac)$/i.test(ev.path)) continue;
  const info = parseName(ev.path);
  if (typeof info === "string") continue;
  corpusEmotions.set(info.dataset, (corpusEmotions.get(info.dataset) ?? new Set()).add(info.emotion));
  if (!heldBack.has(info.speaker) || (asked && !asked.includes(info.emotion) && !warmEmotions?.includes(info.emotion))) continue;
  const audio = await decodeAudio(ev.bytes, { source: ev.path });
  const key = `${info.speaker} ${info.emotion}`;
  const s = streams.get(key) ?? { dataset: info.dataset, speaker: info.speaker, emotion: info.emotion, parts: [], sampleRateHz: audio.sampleRateHz };
  if (audio.sampleRateHz !== s.sampleRateHz) throw new Error(`${ev.path}: ${audio.sampleRateHz} Hz where the speaker's other clips are ${s.sampleRateHz} Hz.`);
  s.parts.push(audio.samples);
  streams.set(key, s);
}

const join1 = (parts: readonly Float32Array[]) => {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};

/**
 * One encoder for every model (folds of one recipe) that remembers the last window's features:
 * the sessions of each discount hear the same window object, so it is extracted once.
 */
const memoised = (f: Frontend): Frontend => {
  let input: Float32Array | undefined, rate = 0, prepared: Float32Array | undefined, features: Float32Array | undefined;
  return {
    config: f.config, shape: f.shape, size: f.size, dims: f.dims, clipSamples: f.clipSamples,
    prepare(samples, sampleRateHz) {
      if (samples !== input || sampleRateHz !== rate) [input, rate, prepared, features] = [samples, sampleRateHz, f.prepare(samples, sampleRateHz), undefined];
      return prepared!;
    },
    extract(wave, out, offset) {
      if (wave === prepared && offset === undefined && features) return out.set(features);
      f.extract(wave, out, offset);
      if (wave === prepared && offset === undefined) features = out.slice();
    },
  };
};
const frontend = memoised(await openFrontend(bundles[0]!.bundle.meta.frontend));

interface Row {
  discount: number;
  model: string;
  dataset: string;
  speaker: string;
  emotion: string;
  /** Its place in the speaker's session (--continuous; 0 otherwise): how many emotions were heard before it. */
  order: number;
  updates: number;
  majority: string;
  share: number;
  bestGuess: string;
  changes: number;
  seconds: number;
}
const rows: Row[] = [];
/** What each model was trained on and tested with (the JSON's record of the recipe). */
const models: { dir: string; inputs: readonly string[]; testSpeakers: readonly string[]; spec: unknown }[] = [];
for (const { dir, bundle } of bundles) {
  models.push({ dir, inputs: bundle.meta.dataset.inputs ?? [], testSpeakers: bundle.meta.dataset.testSpeakers ?? [], spec: bundle.meta.training?.spec });
  const predictor: Predictor = await createPredictor({ ...bundle, frontend });
  const testSpeakers = new Set((bundle.meta.dataset.testSpeakers ?? []) as string[]);
  if (testSpeakers.size === 0) throw new Error(`${dir}: the bundle names no test speakers.`);
  const labels = bundle.meta.labels;
  const mine = [...streams.values()].filter((s) => testSpeakers.has(s.speaker) && labels.includes(s.emotion));
  if (mine.length === 0) throw new Error(`${dir}: none of its test speakers (${[...testSpeakers].join(", ")}) is in ${dirs.join(", ")}.`);
  const win = (s: Stream) => Math.round((windowS ?? bundle.meta.frontend.durationS) * s.sampleRateHz);
  mine.sort((a, b) => `${a.speaker} ${a.emotion}`.localeCompare(`${b.speaker} ${b.emotion}`));
  // One session per stream, or with --continuous one per speaker hearing its streams in a drawn order.
  const groups = values.continuous
    ? [...new Set(mine.map((s) => s.speaker))].map((speaker) => rng.shuffle(mine.filter((s) => s.speaker === speaker)))
    : mine.filter((s) => (!asked || asked.includes(s.emotion)) && !warmEmotions?.includes(s.emotion)).map((s) => [s]);
  for (const group of groups) {
    const first = group[0]!;
    const emotions = values.narrow ? labels.filter((l) => corpusEmotions.get(first.dataset)!.has(l)) : asked ? labels.filter((l) => asked.includes(l)) : undefined;
    const sessions = discounts.map((discount) => ({
      discount,
      session: predictor.createSession({
        hopS,
        enrolmentDiscount: discount,
        ...(emotions ? { emotions } : {}),
        ...(values.smooth === undefined ? {} : { smoothWindows: Number(values.smooth) }),
        ...(values.hold === undefined ? {} : { holdUpdates: Number(values.hold) }),
      }),
    }));
    for (const [order, s] of group.entries()) {
      const tallies = sessions.map(() => ({ tally: new Map<string, number>(), guesses: new Map<string, number>(), changes: 0, previous: "" }));
      const w = win(s), hop = Math.round(hopS * s.sampleRateHz);
      if (values.warm) {
        const heard = join1(mine.filter((o) => o.speaker === s.speaker && (!warmEmotions || warmEmotions.includes(o.emotion))).flatMap((o) => o.parts));
        if (heard.length < hop) throw new Error(`bench:live: ${s.speaker} has no clips of ${warmEmotions?.join(", ") ?? "any emotion"} to warm on.`);
        for (let end = hop; end <= heard.length; end += hop) {
          const window = heard.slice(Math.max(0, end - w), end);
          for (const { session } of sessions) await session.push(window, s.sampleRateHz);
        }
        for (const { session } of sessions) session.pause();
      }
      const audio = join1(s.parts);
      let shown = 0;
      // As the page listens: a window every hop from the first, the latest clip-length of what has been heard (shorter at first).
      for (let end = hop; end <= audio.length; end += hop) {
        const window = audio.slice(Math.max(0, end - w), end);
        for (const [i, { session }] of sessions.entries()) {
          const t = tallies[i]!;
          const p = await session.push(window, s.sampleRateHz);
          // Silence (core's SILENCE_DB) is shown as such on the page: tallied, never an emotion.
          const label = p.kind === "silence" ? "silence" : p.smoothed.notSure ? "not sure" : p.smoothed.label;
          const guess = p.kind === "silence" ? "silence" : p.smoothed.label;
          t.tally.set(label, (t.tally.get(label) ?? 0) + 1);
          t.guesses.set(guess, (t.guesses.get(guess) ?? 0) + 1);
          if (shown > 0 && label !== t.previous) t.changes++;
          t.previous = label;
        }
        shown++;
      }
      for (const [i, { discount, session }] of sessions.entries()) {
        const t = tallies[i]!;
        // Between emotions the speaker pauses: the label shown starts again, the voice's statistics stay.
        session.pause();
        const [majority, count] = [...t.tally.entries()].sort((a, b) => b[1] - a[1])[0] ?? ["-", 0];
        const [bestGuess] = [...t.guesses.entries()].sort((a, b) => b[1] - a[1])[0] ?? ["-"];
        const row = { discount, model: dir, dataset: s.dataset, speaker: s.speaker, emotion: s.emotion, order, updates: shown, majority, share: count / Math.max(1, shown), bestGuess, changes: t.changes, seconds: audio.length / s.sampleRateHz };
        rows.push(row);
        console.log(`${s.speaker} ${s.emotion.padEnd(9)}${values.continuous ? ` #${order + 1}` : ""}${discounts.length > 1 ? ` ÷${discount}` : ""} ${String(shown).padStart(4)} updates: majority ${majority} (${(100 * row.share).toFixed(0)} %), best guess ${bestGuess}, ${t.changes} changes${majority === s.emotion ? "" : "  ✗"}`);
      }
    }
  }
  predictor.dispose();
}

/** Hits by majority label and by best guess, and label changes, over some streams. */
const summarise = (rs: readonly Row[]) => ({
  streams: rs.length,
  speakers: new Set(rs.map((r) => r.speaker)).size,
  majority: rs.filter((r) => r.majority === r.emotion).length,
  bestGuess: rs.filter((r) => r.bestGuess === r.emotion).length,
  changesPerStream: rs.reduce((n, r) => n + r.changes, 0) / Math.max(1, rs.length),
  /** Streams differ in length (an nEMO speaker's emotion runs a minute, a RAVDESS actor's 17 s): changes per minute compare them. */
  changesPerMinute: (60 * rs.reduce((n, r) => n + r.changes, 0)) / Math.max(1e-9, rs.reduce((n, r) => n + r.seconds, 0)),
});
// A stream shorter than one hop shows nothing on the page: not scored.
const tooShort = rows.filter((r) => r.updates === 0 && r.discount === discounts[0]);
const results = discounts.map((discount) => {
  const scored = rows.filter((r) => r.updates > 0 && r.discount === discount);
  const byCorpus = Object.fromEntries([...new Set(scored.map((r) => r.dataset))].sort().map((d) => [d, summarise(scored.filter((r) => r.dataset === d))]));
  // --continuous: each speaker's first emotion (a fresh session) apart from the later ones.
  const byOrder = values.continuous ? { first: summarise(scored.filter((r) => r.order === 0)), later: summarise(scored.filter((r) => r.order > 0)) } : undefined;
  return { discount, all: summarise(scored), byCorpus, ...(byOrder ? { byOrder } : {}) };
});
if (tooShort.length > 0) console.log(`not scored, shorter than one hop: ${tooShort.map((r) => `${r.speaker} ${r.emotion}`).join(", ")}`);
const what = `models ${values.model}, windows every ${hopS} s${values.narrow ? ", narrowed to each corpus's emotions" : asked ? `, choosing among ${asked.join(", ")}` : ""}${values.warm ? `, warmed on the speaker's ${warmEmotions ? warmEmotions.join(", ") : "every emotion"}` : ""}${values.continuous ? `, each speaker's emotions heard one after another in one session (seed ${seed})` : ""}`;
for (const { discount, all, byCorpus, byOrder } of results) {
  if (discounts.length > 1) console.log(`enrolment discount ${discount}:`);
  for (const [d, s] of Object.entries(byCorpus)) console.log(`${d}: ${s.majority} of ${s.streams} streams (${s.speakers} speakers) show their emotion as the majority label, ${s.bestGuess} by best guess; ${s.changesPerStream.toFixed(1)} label changes per stream (${s.changesPerMinute.toFixed(1)} a minute)`);
  console.log(`${all.bestGuess} of ${all.streams} have it as the majority best guess (not-sure windows counted by their best guess); ${all.changesPerStream.toFixed(1)} label changes per stream (${all.changesPerMinute.toFixed(1)} a minute)`);
  console.log(`${all.majority} of ${all.streams} one-emotion streams show their emotion as the majority label; ${what}`);
  if (byOrder) console.log(`  each speaker's first emotion (a fresh session): ${byOrder.first.majority} of ${byOrder.first.streams}; every later one: ${byOrder.later.majority} of ${byOrder.later.streams}`);
}
/**
 * Several discounts: each corpus scored with the one whose streams of the other corpora show
 * their emotion most often (ties: the smaller discount), so no corpus picks its own.
 */
const leaveOneCorpusOut = discounts.length > 1
  ? Object.fromEntries(Object.keys(results[0]!.byCorpus).map((corpus) => {
    const others = (r: (typeof results)[number]) => Object.entries(r.byCorpus).reduce((n, [d, s]) => n + (d === corpus ? 0 : s.majority), 0);
    const chosen = results.reduce((best, r) => (others(r) > others(best) ? r : best));
    const s = chosen.byCorpus[corpus]!;
    return [corpus, { discount: chosen.discount, majority: s.majority, bestGuess: s.bestGuess, streams: s.streams, changesPerMinute: s.changesPerMinute }];
  }))
  : undefined;
if (leaveOneCorpusOut) {
  for (const [d, r] of Object.entries(leaveOneCorpusOut)) console.log(`${d}, discount chosen on the other corpora (${r.discount}): ${r.majority} of ${r.streams} (${r.bestGuess} by best guess)`);
  const sum = Object.values(leaveOneCorpusOut).reduce((a, r) => ({ majority: a.majority + r.majority, streams: a.streams + r.streams }), { majority: 0, streams: 0 });
  console.log(`leaving each corpus out to choose the discount: ${sum.majority} of ${sum.streams}`);
}
const single = results.length === 1 ? { all: results[0]!.all, byCorpus: results[0]!.byCorpus, ...(results[0]!.byOrder ? { byOrder: results[0]!.byOrder } : {}) } : { byDiscount: results, leaveOneCorpusOut };
if (values.out) writeFileSync(values.out, JSON.stringify({ command: `pnpm bench:live -- ${Deno.args.filter((a) => a !== "--").join(" ")}`, createdAt: new Date().toISOString(), models, hopS, narrow: values.narrow, emotions: asked ?? null, warm: values.warm ? warmEmotions ?? "all" : false, continuous: values.continuous, ...(values.continuous ? { seed } : {}), windowS: windowS ?? null, smooth: values.smooth === undefined ? null : Number(values.smooth), hold: values.hold === undefined ? null : Number(values.hold), discounts, ...single, tooShort: tooShort.map((r) => `${r.speaker} ${r.emotion}`), rows }, null, 1) + "\n");
