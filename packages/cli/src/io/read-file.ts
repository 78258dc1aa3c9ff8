import { readFile } from "node:fs/promises";

/** Reads a file, turning the OS error into a sentence that names the path. */
export async function readInputFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    throw readError(path, e);
  }
}

/** The OS error of reading `path` as a sentence that names it. */
export function readError(path: string, e: unknown): Error {
  const code = (e as { code?: string }).code;
  const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory, not a file"
    : code === "EACCES" ? "permission denied" : (e as Error).message;
  return new Error(`cannot read '${path}': ${why}.`);
}
