import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
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
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(tmp, name), bytes);
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

/** Reads a bundle from a folder or a .zip. */
export async function readBundle(path: string): Promise<BundleFiles> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new Error(`cannot read model '${path}': no such folder or zip.`);
  }
  if (!info.isDirectory()) return bundleFromZip(await readFile(path));
  const files: BundleFiles = {};
  for (const name of await readdir(path)) {
    if (name.endsWith(".json") || name.endsWith(".bin")) files[name] = await readFile(join(path, name));
  }
  return files;
}
