import { createIngestor, type CorpusSummary, describeFiles, describeSpeakers, orderLabels, summarizeCorpus } from "@ser/core";
import { parse, stringFlag } from "../args.ts";
import { type Command, helpText } from "../command.ts";
import { UsageError } from "../errors.ts";
import { readInputs } from "../io/read-inputs.ts";
import { CORPUS_FLAGS, corpusOptions, corpusInputs } from "./corpus-flags.ts";
import { writeFile } from "node:fs/promises";

export const infoCommand: Command = {
  name: "info",
  summary: "describe datasets in folders or zips: counts per dataset, emotion, speaker; skipped files",
  usage: "ser info <path…> [options]",
  flags: {
    ...CORPUS_FLAGS,
    json: { type: "boolean", description: "print the summary as JSON instead of tables" },
    out: { type: "string", value: "FILE", short: "o", description: "write the output to FILE" },
    help: { type: "boolean", short: "h", description: "show this help" },
  },
  details: `Paths may be folders (read recursively) or .zip archives (streamed, never unpacked to disk),
several at once and of different datasets. Dataset, speaker, gender and emotion come from the
file names (RAVDESS, SAVEE, CREMA-D, TESS); CREMA-D genders come from VideoDemographics.csv
when it is among the inputs. Files that cannot be used are listed with the reason.

Examples:
  ser info ../shared/datasets/ravdess
  ser info ravdess.zip CREMA-D.zip --emotions angry,happy,neutral,sad --merge calm=neutral --json`,
  async run(args, io) {
    const p = parse("info", args, this.flags);
    if (p.values.help) return io.stdout(helpText(this));
    const inputs = corpusInputs(p, "info", "at least one folder or zip");
    const ingestor = createIngestor(corpusOptions(p));
    for await (const ev of readInputs(inputs)) {
      if (ev.kind === "file") await ingestor.accept(ev.path, ev.bytes);
      else if (ev.kind === "skip") ingestor.skip(ev.path, ev.reason);
    }
    const { items, skipped } = ingestor.finish();
    const summary = summarizeCorpus(items, skipped);
    const text = p.values.json ? JSON.stringify(summary, null, 1) + "\n" : renderSummary(summary);
    const out = stringFlag(p, "out");
    if (out) await writeFile(out, text);
    else await io.stdout(text);
    if (items.length === 0) {
      throw new Error(`no usable recordings in ${inputs.join(", ")}: ${skipped.length} entries were skipped${p.values.json ? "" : " (reasons above)"}.`);
    }
  },
};

function duration(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.round(s % 60);
  return h > 0 ? `${h}h ${m}m ${sec}s` : m > 0 ? `${m}m ${sec}s` : `${s.toFixed(1)}s`;
}

function table(rows: string[][], align: ("l" | "r")[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => "  " + r.map((cell, c) => align[c] === "r" ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)).join("  ").trimEnd()).join("\n");
}

export function renderSummary(s: CorpusSummary): string {
  const lines: string[] = [];
  lines.push(describeFiles(s));
  if (s.files > 0) {
    lines.push(`total duration ${duration(s.durationS)}; sample rates: ${Object.entries(s.sampleRatesHz).map(([r, n]) => `${r} Hz (${n})`).join(", ")}`);
    lines.push(describeSpeakers(s));
    lines.push("", "Datasets");
    lines.push(table([["dataset", "files", "speakers", "male", "female", "unknown", "duration"], ...s.datasets.map((d) => [
      d.dataset, String(d.files), String(d.speakers), String(d.genders.male), String(d.genders.female), String(d.genders.unknown), duration(d.durationS),
    ])], ["l", "r", "r", "r", "r", "r", "r"]));
    lines.push("", "Emotions");
    const emotions = orderLabels(Object.keys(s.emotions));
    lines.push(table([["emotion", ...s.datasets.map((d) => d.dataset), ...(s.datasets.length > 1 ? ["total"] : [])], ...emotions.map((e) => [
      e, ...s.datasets.map((d) => String(d.emotions[e] ?? 0)), ...(s.datasets.length > 1 ? [String(s.emotions[e])] : []),
    ])], ["l", ...s.datasets.map(() => "r" as const), "r"]));
    lines.push("", "Speakers");
    lines.push(table([["speaker", "gender", "files", "duration"], ...s.speakers.map((sp) => [
      sp.speaker, sp.gender, String(sp.files), duration(sp.durationS),
    ])], ["l", "l", "r", "r"]));
  }
  if (s.skipped.length > 0) {
    lines.push("", `Skipped (${s.skipped.length})`);
    for (const k of s.skipped) lines.push(`  ${k.path}: ${k.reason}`);
  }
  return lines.join("\n") + "\n";
}
