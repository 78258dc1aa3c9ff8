/**
 * Argument parsing for every command, in one place. Built on node:util's parseArgs (Deno std
 * lives on JSR, which these machines cannot reach), with our own checks so that every mistake
 * is reported as a sentence naming the flag and the value.
 */
import { parseArgs } from "node:util";
import { UsageError } from "./errors.ts";

export interface FlagSpec {
  type: "string" | "boolean";
  /** Shown in help, e.g. "N" or "FILE". */
  value?: string;
  description: string;
  short?: string;
  multiple?: boolean;
}

export type FlagSpecs = Record<string, FlagSpec>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parse(command: string, args: string[], specs: FlagSpecs): Parsed {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, s] of Object.entries(specs)) {
    options[name] = { type: s.type, ...(s.short ? { short: s.short } : {}), ...(s.multiple ? { multiple: true } : {}) };
  }
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens ?? []) {
    if (t.kind !== "option") continue;
    const spec = specs[t.name];
    if (spec === undefined) {
      throw new UsageError(`unknown flag ${t.rawName} for '${command}'.`, command);
    }
    if (spec.type === "string" && (t.value === undefined || t.value === "")) {
      throw new UsageError(`flag --${t.name} needs a value (${spec.value ?? "VALUE"}).`, command);
    }
    if (spec.type === "boolean" && t.value !== undefined) {
      throw new UsageError(`flag --${t.name} takes no value, got '${t.value}'.`, command);
    }
  }
  const { values, positionals } = parseArgs({ args, options, strict: false, allowPositionals: true });
  return { values: values as Parsed["values"], positionals };
}

export function stringFlag(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return Array.isArray(v) ? v[v.length - 1] : typeof v === "string" ? v : undefined;
}

export function intFlag(p: Parsed, name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const raw = stringFlag(p, name);
  if (raw === undefined) return fallback;
  if (!/^[+-]?\d+$/.test(raw.trim())) throw new UsageError(`--${name} must be an integer, got '${raw}'.`);
  const v = Number(raw);
  if (v < min || v > max) {
    throw new UsageError(`--${name} must be ${max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`}, got ${raw}.`);
  }
  return v;
}

export function numberFlag(p: Parsed, name: string, min = -Infinity, max = Infinity): number | undefined {
  const raw = stringFlag(p, name);
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got '${raw}'.`);
  if (v < min || v > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${raw}.`);
  return v;
}

export function choiceFlag<T extends string>(p: Parsed, name: string, choices: readonly T[], fallback: T): T {
  const raw = stringFlag(p, name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got '${raw}'.`);
  }
  return raw as T;
}

/** Renders a command's flag table for --help. */
export function flagHelp(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const left = `${s.short ? `-${s.short}, ` : "    "}--${name}${s.type === "string" ? ` ${s.value ?? "VALUE"}` : ""}`;
    return [left, s.description] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return rows.map(([l, d]) => `  ${l.padEnd(width)}${d}`).join("\n");
}
