/**
 * Every flag the README and docs/ name is accepted by the command they name it for. A flag
 * belongs to a command when it follows `ser <command>` in the same code span or code line, or
 * when a code span (a flag table's cells too) starting with it sits in a section headed `ser <command>` (### `ser train …`).
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { COMMANDS } from "./main.ts";

const ROOT = join(import.meta.dirname!, "..", "..");
const NAMES = COMMANDS.map((c) => c.name);
const accepted = (command: string, flag: string) => Object.hasOwn(COMMANDS.find((c) => c.name === command)!.flags, flag);

function docs(): string[] {
  const files = [join(ROOT, "README.md")];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith(".md")) files.push(join(dir, e.name));
    }
  };
  walk(join(ROOT, "docs"));
  return files;
}

/** [command, flag, where] for every attributable flag of one Markdown file. */
export function flagMentions(text: string, file: string): [string, string, string][] {
  const out: [string, string, string][] = [];
  const commandIn = (s: string) => new RegExp(`(?:^|[\\s\`(])ser (${NAMES.join("|")})\\b`).exec(s);
  const flagsOf = (s: string) => [...s.matchAll(/(?:^|[\s`(\[|])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!);
  let section: string | undefined;
  let inBlock = false;
  text.split("\n").forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    if (/^```/.test(line)) {
      inBlock = !inBlock;
      return;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading && !inBlock) {
      section = commandIn(` ${heading[1]!.replace(/`/g, " ")}`)?.[1];
      return;
    }
    // Code lines and inline code spans: flags after `ser <command>` are that command's.
    const spans = inBlock ? [line] : [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    for (const span of spans) {
      // A pipeline or a list of commands: each `ser X` owns the flags up to the next one.
      const parts = span.split(/(?=\bser (?:info|train|evaluate|predict|cv|tune|features)\b)/);
      for (const part of parts) {
        const m = commandIn(` ${part}`);
        if (m) for (const f of flagsOf(part)) out.push([m[1]!, f, where]);
        else if (!inBlock && section && /^--/.test(part.trim())) for (const f of flagsOf(part)) out.push([section, f, where]);
      }
    }
  });
  return out;
}

Deno.test("the checker attributes flags to the command named before them, and to the section's command", () => {
  const md = "### `ser train <path…>`\n| `--epochs N` | 60 |\nsee `--lr`, and `ser cv a --by dataset`\n```sh\nser predict x.wav --json\n```\n";
  assert.deepEqual(flagMentions(md, "x").map(([c, f]) => `${c} ${f}`), ["train epochs", "train lr", "cv by", "predict json"]);
});

Deno.test("every flag the README and docs/ name is accepted by its command", () => {
  const bad: string[] = [];
  let checked = 0;
  for (const file of docs()) {
    for (const [command, flag, where] of flagMentions(readFileSync(file, "utf8"), file.slice(ROOT.length + 1))) {
      checked++;
      if (flag !== "help" && !accepted(command, flag)) bad.push(`${where}: ser ${command} does not accept --${flag}`);
    }
  }
  assert.ok(checked > 30, `only ${checked} flag mentions found: the checker is not reading the docs`);
  assert.deepEqual(bad, []);
});

Deno.test("the README stays short: at most 250 lines (reference material lives in docs/)", () => {
  const lines = readFileSync(join(ROOT, "README.md"), "utf8").split("\n").length;
  assert.ok(lines <= 250, `README.md has ${lines} lines`);
});
