/**
 * 64-bit content hash (two independent 32-bit multiply-xorshift lanes, finalised like
 * MurmurHash3's fmix32) as 16 hex digits. Not cryptographic: it finds byte-identical
 * recordings among thousands of files, where a collision chance of ~n^2 / 2^65 is negligible.
 */
export function contentHash(bytes: Uint8Array): string {
  let h1 = 0x811c9dc5 ^ bytes.length;
  let h2 = 0x9e3779b1 ^ Math.imul(bytes.length, 0x85ebca6b);
  const n4 = bytes.length & ~3;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n4; i += 4) {
    const k = view.getUint32(i, true);
    h1 = Math.imul(h1 ^ k, 0x01000193);
    h1 ^= h1 >>> 15;
    h2 = Math.imul(h2 ^ k, 0xcc9e2d51);
    h2 = (h2 << 13) | (h2 >>> 19);
  }
  for (let i = n4; i < bytes.length; i++) {
    h1 = Math.imul(h1 ^ bytes[i]!, 0x01000193);
    h2 = Math.imul(h2 ^ bytes[i]!, 0xcc9e2d51);
  }
  const fmix = (h: number) => {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  const a = fmix(h1 ^ Math.imul(h2, 0x27d4eb2f));
  const b = fmix(h2 ^ Math.imul(h1, 0x165667b1));
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}
