import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { type BundleFiles, bundleFromZip, bundleToZip } from "@ser/core/ml.ts";

/**
 * Writes a bundle folder atomically: files go to a temporary sibling folder that is renamed
 * into place only when complete, so an interrupted run never leaves a half-written model
 * where a good one was.
 */
export async function writeBundleDir(dir: string, files: BundleFiles): Promise<void> {
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${Deno.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) {
    // Assets may sit in subfolders ("assets/encoder.bin"); names never climb out of the bundle.
    if (name.split("/").some((part) => part === ".." || part === "") || name.startsWith("/")) throw new Error(`bundle file name '${name}' is not a relative path inside the bundle.`);
    await mkdir(dirname(join(tmp, name)), { recursive: true });
    await writeFile(join(tmp, name), bytes);
  }
  const old = join(dirname(dir), `.${basename(dir)}.old-${Deno.pid}`);
  let hadOld = false;
  try {
    await stat(dir);
    await rename(dir, old);
    hadOld = true;
  } catch { /* no previous bundle */ }
  await rename(tmp, dir);
  if (hadOld) await rm(old, { recursive: true, force: true });
}

export async function writeBundleZip(path: string, files: BundleFiles): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  await writeFile(tmp, bundleToZip(files));
  await rename(tmp, path);
}

/** Reads a bundle from a folder (every file, subfolders included, as relative paths) or a .zip. */
export async function readBundle(path: string): Promise<BundleFiles> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new Error(`cannot read model '${path}': no such folder or zip.`);
  }
  if (!info.isDirectory()) return bundleFromZip(await readFile(path));
  const files: BundleFiles = {};
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const rel = relative(path, join(entry.parentPath, entry.name)).split(sep).join("/");
    files[rel] = await readFile(join(path, rel));
  }
  return files;
}
