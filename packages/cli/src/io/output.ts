/** Serialisers for a [rows × cols] float32 matrix in librosa orientation. */

export interface Matrix {
  rows: number;
  cols: number;
  /** Row-major [rows × cols]. */
  data: Float32Array;
}

export function matrixToRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}

/** One line per row, comma-separated (np.loadtxt(f, delimiter=",") reads it back). */
export function matrixToCsv(m: Matrix): string {
  const lines: string[] = [];
  for (let r = 0; r < m.rows; r++) lines.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)).join(","));
  return lines.join("\n") + "\n";
}

/** NumPy .npy format 1.0, dtype '<f4', C order (numpy.lib.format). */
export function matrixToNpy(m: Matrix): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  // Magic (6) + version (2) + header length (2) + header + newline, padded to a multiple of 64.
  const unpadded = 10 + header.length + 1;
  header += " ".repeat((64 - (unpadded % 64)) % 64) + "\n";
  const out = new Uint8Array(10 + header.length + m.data.byteLength);
  out.set([0x93, ...new TextEncoder().encode("NUMPY"), 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const body = new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength);
  // Float32Array is little-endian on every platform Deno and browsers run on.
  out.set(body, 10 + header.length);
  return out;
}
