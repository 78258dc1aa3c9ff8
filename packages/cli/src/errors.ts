/** A mistake in how the command was called: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, runtime: 1, usage: 2 } as const;
