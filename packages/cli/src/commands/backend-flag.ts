import { BACKEND_CHOICES, type BackendChoice, type BackendInfo, type BackendOptions, selectBackend } from "@ser/core/ml.ts";
import { choiceFlag, type FlagSpecs, type Parsed } from "../args.ts";
import type { Io } from "../command.ts";

export const BACKEND_FLAG: FlagSpecs = {
  backend: { type: "string", value: "NAME", description: "auto (WebGPU; WebAssembly where it is faster for the model on a software adapter, or without WebGPU), webgpu, wasm or cpu (default auto)" },
};

/**
 * Without a login session (cron, containers, ssh) XDG_RUNTIME_DIR is unset and Mesa's Vulkan
 * window-system probes print "error: XDG_RUNTIME_DIR is invalid" four times before any output;
 * nothing here draws to a window, so a private per-process folder stands in for it.
 */
function ensureRuntimeDir(): void {
  if (Deno.env.get("XDG_RUNTIME_DIR")) return;
  let dir: string;
  try {
    dir = Deno.makeTempDirSync({ prefix: "ser-runtime-" });
  } catch {
    return; // only the driver's warnings are at stake
  }
  Deno.env.set("XDG_RUNTIME_DIR", dir);
  globalThis.addEventListener("unload", () => {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // already gone
    }
  });
}

/** --backend → core's selectBackend, told which model runs (and whether it trains) so "auto" can pick the fastest. */
export async function startBackend(p: Parsed, io: Io, options: BackendOptions = {}): Promise<BackendInfo> {
  const choice = choiceFlag<BackendChoice>(p, "backend", BACKEND_CHOICES, "auto");
  if (choice !== "cpu" && choice !== "wasm") ensureRuntimeDir();
  const info = await selectBackend(choice, options);
  if (info.warning) await io.stderr(`warning: ${info.warning}\n`);
  const kernels = info.kernels ? "; a software adapter: register-tiled matmul and convolution kernels" : "";
  const why = info.note ? `: ${info.note}` : info.adapter && info.backend !== "webgpu" ? ` (${info.adapter})` : "";
  await io.stderr(`backend: ${info.backend}${info.adapter && info.backend === "webgpu" ? ` (${info.adapter})` : ""}${kernels}${why}\n`);
  return info;
}
