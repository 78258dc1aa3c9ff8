import { type BackendChoice, type BackendInfo, selectBackend } from "@ser/core/ml.ts";
import { choiceFlag, type FlagSpecs, type Parsed } from "../args.ts";
import type { Io } from "../command.ts";

export const BACKEND_FLAG: FlagSpecs = {
  backend: { type: "string", value: "NAME", description: "auto (WebGPU, else CPU with a warning), webgpu or cpu (default auto)" },
};

export async function startBackend(p: Parsed, io: Io): Promise<BackendInfo> {
  const choice = choiceFlag<BackendChoice>(p, "backend", ["auto", "webgpu", "cpu"], "auto");
  const info = await selectBackend(choice);
  if (info.warning) await io.stderr(`warning: ${info.warning}\n`);
  const kernels = info.kernels ? "; a software adapter: register-tiled matmul and convolution kernels" : "";
  await io.stderr(`backend: ${info.backend}${info.adapter ? ` (${info.adapter})` : ""}${kernels}\n`);
  return info;
}
