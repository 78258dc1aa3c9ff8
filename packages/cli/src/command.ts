import { flagHelp, type FlagSpecs } from "./args.ts";

/** Where a command writes; tests and main pass real streams. */
export interface Io {
  stdout(bytes: Uint8Array | string): Promise<void>;
  stderr(text: string): Promise<void>;
  stdoutIsTerminal: boolean;
  /** Progress bars go to stderr: drawn only when it is a terminal. */
  stderrIsTerminal: boolean;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  flags: FlagSpecs;
  /** Extra help text after the flag table. */
  details?: string;
  run(args: string[], io: Io): Promise<void>;
}

export function helpText(c: Command): string {
  return `${c.summary}\n\nUsage: ${c.usage}\n\nOptions:\n${flagHelp(c.flags)}\n${c.details ? `\n${c.details}\n` : ""}`;
}
