/** Test helpers: fixture and real-data paths, a .npy reader, error measures. Test-only (uses Deno I/O). */
import { fileURLToPath as fromFileUrl } from "node:url";
import { join } from "node:path";

export const FIXTURES = fromFileUrl(new URL("./fixtures/", import.meta.url));
export const REPO_ROOT = fromFileUrl(new URL("../../../", import.meta.url));
/** The shared RAVDESS subset lives beside the repository (see README). */
export const RAVDESS = join(REPO_ROOT, "..", "shared", "datasets", "ravdess");

/** The names in a folder, sorted: Deno's readDir gives the filesystem's order, which differs between machines. */
export function sortedNames(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

export function ravdessFile(rel: string): Uint8Array {
  return Deno.readFileSync(join(RAVDESS, rel));
}

export interface NpyArray {
  shape: number[];
  data: Float64Array;
}

/** Reads a little-endian float32/float64 .npy file (format 1.0 / 2.0); a 2-D Fortran-order one comes back in C order. */
export function readNpy(path: string): NpyArray {
  const bytes = Deno.readFileSync(path);
  const magic = String.fromCharCode(...bytes.subarray(1, 6));
  if (bytes[0] !== 0x93 || magic !== "NUMPY") throw new Error(`${path}: not a .npy file`);
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? "").split(",").map((s) => s.trim()).filter(Boolean)
    .map(Number);
  if (fortran && shape.length !== 2) throw new Error(`${path}: Fortran order is read for 2-D arrays only`);
  const body = bytes.slice(start + headerLen);
  let data: Float64Array;
  if (descr === "<f8") data = new Float64Array(body.buffer, 0, body.byteLength / 8);
  else if (descr === "<f4") data = Float64Array.from(new Float32Array(body.buffer, 0, body.byteLength / 4));
  else throw new Error(`${path}: unsupported dtype ${descr}`);
  if (fortran) {
    const [rows, cols] = shape as [number, number];
    const c = new Float64Array(data.length);
    for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) c[i * cols + j] = data[j * rows + i]!;
    data = c;
  }
  return { shape, data };
}

export function fixture(name: string): NpyArray {
  return readNpy(join(FIXTURES, name.endsWith(".npy") ? name : `${name}.npy`));
}

/** Transposes a frames-major [frames × dims] array into librosa's [dims × frames] order. */
export function toLibrosaOrder(data: Float32Array | Float64Array, frames: number, dims: number): Float64Array {
  const out = new Float64Array(frames * dims);
  for (let t = 0; t < frames; t++) for (let d = 0; d < dims; d++) out[d * frames + t] = data[t * dims + d]!;
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Cosine similarity of two vectors of the same length. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}
