/** Serialisers for a [rows × cols] float32 matrix in librosa orientation. */

export interface Matrix {
  rows: number;
  cols: number;
  /** Row-major [rows × cols]. */
  data: Float32Array;
}

/**
 * The header of a NumPy .npy file (format 1.0, dtype '<f4'; numpy.lib.format) of `rows × cols`.
 * Fortran order stores it column by column: a [rows × cols] matrix whose columns are frames is
 * then written frame by frame as frames are computed (`ser features` streams this way).
 */
export function npyHeader(rows: number, cols: number, fortranOrder = false): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': ${fortranOrder ? "True" : "False"}, 'shape': (${rows}, ${cols}), }`;
  // Magic (6) + version (2) + header length (2) + header + newline, padded to a multiple of 64.
  const unpadded = 10 + header.length + 1;
  header += " ".repeat((64 - (unpadded % 64)) % 64) + "\n";
  const out = new Uint8Array(10 + header.length);
  out.set([0x93, ...new TextEncoder().encode("NUMPY"), 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  return out;
}

/** NumPy .npy format 1.0, dtype '<f4', C order (numpy.lib.format). */
export function matrixToNpy(m: Matrix): Uint8Array {
  const header = npyHeader(m.rows, m.cols);
  const out = new Uint8Array(header.length + m.data.byteLength);
  out.set(header);
  // Float32Array is little-endian on every platform Deno and browsers run on.
  out.set(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength), header.length);
  return out;
}

/** JSON.stringify's text for a number (non-finite values become null). */
const jsonNumber = (v: number) => (Number.isFinite(v) ? String(v) : "null");

/**
 * The matrix serialised in pieces (a row at a time for text), for outputs too large to build as
 * one string: `header` is merged into the JSON object before "data". The pieces joined are the
 * bytes matrixToNpy, a CSV of one line per row, or JSON.stringify would give.
 */
export async function writeMatrix(m: Matrix, format: "json" | "csv" | "npy", header: Record<string, unknown>, write: (chunk: string | Uint8Array) => Promise<void>): Promise<void> {
  if (format === "npy") return write(matrixToNpy(m));
  // Text goes out through one reused 1 MiB byte buffer, each number's digits copied in as they
  // are formatted: an hour's output (3 M numbers) never exists as strings, which would grow the
  // heap by ~100 MB before the collector catches up (measured on `ser features` of a 1 h file).
  const buffer = new Uint8Array(1 << 20);
  let used = 0;
  const flush = async () => {
    if (used > 0) await write(buffer.slice(0, used));
    used = 0;
  };
  const put = async (text: string) => {
    if (used + text.length > buffer.length) await flush();
    for (let i = 0; i < text.length; i++) buffer[used++] = text.charCodeAt(i);
  };
  const row = async (r: number, text: (v: number) => string, before: string, after: string) => {
    const values = m.data.subarray(r * m.cols, (r + 1) * m.cols);
    await put(before);
    for (let i = 0; i < values.length; i++) {
      const t = text(values[i]!);
      if (used + t.length + 1 > buffer.length) await flush();
      if (i > 0) buffer[used++] = 44; // ","
      for (let j = 0; j < t.length; j++) buffer[used++] = t.charCodeAt(j);
    }
    await put(after);
  };
  if (format === "csv") {
    for (let r = 0; r < m.rows; r++) await row(r, String, "", "\n");
    if (m.rows === 0) await put("\n");
    return flush();
  }
  const head = new TextEncoder().encode(JSON.stringify({ ...header, shape: [m.rows, m.cols] }).slice(0, -1) + `,"data":[`);
  await write(head); // the header may hold any text (a feature name); numbers are ASCII
  for (let r = 0; r < m.rows; r++) await row(r, jsonNumber, `${r ? "," : ""}[`, "]");
  await put("]}\n");
  await flush();
}
