/** Runs the real CLI in a Deno subprocess, as a user would. Test-only. */
import { join } from "node:path";
import { REPO_ROOT } from "../core/test/helpers.ts";

const TEST_CACHE = Deno.makeTempDirSync({ prefix: "ser-test-cache-" });

export async function ser(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; bytes: Uint8Array }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(REPO_ROOT, "packages/cli/main.ts"), ...args],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
    // A feature cache of this test run's own: never one filled by other code.
    env: { XDG_RUNTIME_DIR: Deno.env.get("XDG_RUNTIME_DIR") ?? "/tmp", XDG_CACHE_HOME: TEST_CACHE },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr), bytes: out.stdout };
}
