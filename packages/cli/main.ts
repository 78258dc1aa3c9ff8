/**
 * ser: the speech emotion recognition toolkit's command line (Deno).
 *   deno run -A packages/cli/main.ts <command> [options]   (or: pnpm ser <command> ...)
 * Arguments are parsed in one place (src/args.ts), each command lives in src/commands/, and
 * the process exits here and nowhere else.
 */
import { SerError } from "@ser/core";
import type { Command, Io } from "./src/command.ts";
import { helpText } from "./src/command.ts";
import { featuresCommand } from "./src/commands/features.ts";
import { infoCommand } from "./src/commands/info.ts";
import { trainCommand } from "./src/commands/train.ts";
import { evaluateCommand } from "./src/commands/evaluate.ts";
import { predictCommand } from "./src/commands/predict.ts";
import { cvCommand } from "./src/commands/cv.ts";
import { tuneCommand } from "./src/commands/tune.ts";
import { EXIT, UsageError } from "./src/errors.ts";

export const VERSION = "0.1.0";
export const COMMANDS: Command[] = [infoCommand, trainCommand, evaluateCommand, predictCommand, cvCommand, tuneCommand, featuresCommand];

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `ser ${VERSION}: speech emotion recognition, speaker-independent, on your own machine.

Usage: ser <command> [options]
       ser <command> --help

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join("\n")}

Options:
  -h, --help     show this help
  -V, --version  print the version

Exit codes: 0 ok, 1 runtime error (bad file, failed computation), 2 usage error.
`;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === "--help" || first === "-h" || first === "help") {
      const target = first === "help" ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
      if (first === "help" && rest[0] !== undefined && target === undefined) {
        throw new UsageError(`unknown command '${rest[0]}'.`);
      }
      await io.stdout(target ? helpText(target) : topHelp());
      return first === undefined ? EXIT.usage : EXIT.ok;
    }
    if (first === "--version" || first === "-V") {
      await io.stdout(`ser ${VERSION}\n`);
      return EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === first);
    if (command === undefined) {
      throw new UsageError(
        first.startsWith("-") ? `unknown flag ${first}; a command comes first.` : `unknown command '${first}'.`,
      );
    }
    await command.run(rest, io);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError) {
      const cmd = e.command ?? (COMMANDS.some((c) => c.name === first) ? first : undefined);
      await io.stderr(`error: ${e.message}\nRun 'ser ${cmd ? `${cmd} ` : ""}--help' for usage.\n`);
      return EXIT.usage;
    }
    if (e instanceof SerError || e instanceof Error) {
      await io.stderr(`error: ${e.message}\n`);
      if (!(e instanceof SerError) && Deno.env.get("SER_DEBUG")) await io.stderr(`${e.stack}\n`);
      return EXIT.runtime;
    }
    await io.stderr(`error: ${String(e)}\n`);
    return EXIT.runtime;
  }
}

/**
 * Writes queue per stream: progress lines are written without awaiting (fast epochs come a few
 * milliseconds apart), and a second getWriter() on a stream still held by the first throws.
 */
const queues = new Map<WritableStream<Uint8Array>, Promise<void>>();
function writeAll(stream: WritableStream<Uint8Array>, data: Uint8Array | string): Promise<void> {
  const next = (queues.get(stream) ?? Promise.resolve()).then(() => writeNow(stream, data));
  queues.set(stream, next.catch(() => undefined));
  return next;
}

async function writeNow(stream: WritableStream<Uint8Array>, data: Uint8Array | string): Promise<void> {
  const writer = stream.getWriter();
  try {
    await writer.write(typeof data === "string" ? new TextEncoder().encode(data) : data);
  } catch (e) {
    // The reader went away (`ser features x.wav | head`): that is not an error of ours.
    if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
  } finally {
    writer.releaseLock();
  }
}

export const denoIo: Io = {
  stdout: (data) => writeAll(Deno.stdout.writable, data),
  stderr: (text) => writeAll(Deno.stderr.writable, text),
  stdoutIsTerminal: Deno.stdout.isTerminal(),
  stderrIsTerminal: Deno.stderr.isTerminal(),
};

if (import.meta.main) {
  Deno.exit(await main(Deno.args, denoIo));
}
