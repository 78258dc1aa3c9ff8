import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { createZipReader, DEFAULT_ZIP_LIMITS, type ZipLimits } from "@ser/core";

export type InputEvent =
  | { kind: "file"; path: string; bytes: Uint8Array }
  | { kind: "skip"; path: string; reason: string }
  | { kind: "elsewhere"; path: string };

/** Which files to read; the others are reported as read elsewhere (a feature shard's other files), unread. */
export type InputFilter = (path: string) => boolean;

/**
 * Every file under the given paths: folders recursively (in sorted order), zip archives
 * streamed entry by entry (never unpacked to disk, never whole in memory), plain files as they are.
 * Unreadable paths are errors (the user named them); problems inside them are skips.
 */
export async function* readInputs(paths: string[], limits: ZipLimits = DEFAULT_ZIP_LIMITS, wants: InputFilter = () => true): AsyncGenerator<InputEvent> {
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch {
      throw new Error(`cannot read '${p}': no such file or folder.`);
    }
    if (info.isDirectory()) yield* walk(p, limits, wants);
    else yield* readFileOrZip(p, limits, wants);
  }
}

async function* walk(dir: string, limits: ZipLimits, wants: InputFilter): AsyncGenerator<InputEvent> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const e of entries) {
    const p = join(dir, e.name);
    // Symbolic links are followed (datasets are often linked in from elsewhere); a dangling one is a skip.
    let kind: "dir" | "file" | "other" = e.isDirectory() ? "dir" : e.isFile() ? "file" : "other";
    if (e.isSymbolicLink()) {
      try {
        const target = await stat(p);
        kind = target.isDirectory() ? "dir" : target.isFile() ? "file" : "other";
      } catch {
        yield { kind: "skip", path: p, reason: "broken symbolic link" };
        continue;
      }
    }
    if (kind === "dir") yield* walk(p, limits, wants);
    else if (kind === "file") yield* readFileOrZip(p, limits, wants);
  }
}

async function* readFileOrZip(path: string, limits: ZipLimits, wants: InputFilter): AsyncGenerator<InputEvent> {
  if (!/\.zip$/i.test(path)) {
    if (!wants(path)) {
      yield { kind: "elsewhere", path };
      return;
    }
    try {
      yield { kind: "file", path, bytes: await readFile(path) };
    } catch (e) {
      yield { kind: "skip", path, reason: `cannot read: ${(e as Error).message}` };
    }
    return;
  }
  const reader = createZipReader(basename(path), limits);
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  // An archive streams through whole (entries are not seekable); entries another shard reads are only named.
  const filtered = (ev: InputEvent): InputEvent => ev.kind === "file" && !wants(ev.path) ? { kind: "elsewhere", path: ev.path } : ev;
  for await (const chunk of stream) {
    for (const ev of reader.push(chunk as Uint8Array, false)) yield filtered(toInput(ev, path));
  }
  for (const ev of reader.push(new Uint8Array(0), true)) yield filtered(toInput(ev, path));
}

function toInput(ev: ReturnType<ReturnType<typeof createZipReader>["push"]>[number], zipPath: string): InputEvent {
  // Entry paths start with the archive's base name; show them under the path the user gave.
  // (plain concatenation: an entry named "../../x.wav" must not be resolved against real folders)
  const path = `${zipPath}/${ev.path.slice(basename(zipPath).length + 1)}`;
  return ev.kind === "entry" ? { kind: "file", path, bytes: ev.bytes } : { kind: "skip", path: ev.path === basename(zipPath) ? zipPath : path, reason: ev.reason };
}
