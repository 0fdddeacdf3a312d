// Building strings from UTF-16 code unit buffers in large chunks instead of one String.fromCodePoint per character.

const CHUNK = 8192;

/** The string of the first `n` code units of `units`. */
export function unitsToString(units: Uint16Array, n: number): string {
  if (n <= CHUNK) return String.fromCharCode.apply(null, units.subarray(0, n) as unknown as number[]);
  const parts: string[] = [];
  for (let i = 0; i < n; i += CHUNK) parts.push(String.fromCharCode.apply(null, units.subarray(i, Math.min(n, i + CHUNK)) as unknown as number[]));
  return parts.join("");
}

/** Writes code point `cp` at `units[w]` (one or two units) and returns the next write position. */
export function writeCodePoint(units: Uint16Array, w: number, cp: number): number {
  if (cp < 0x10000) {
    units[w] = cp;
    return w + 1;
  }
  const c = cp - 0x10000;
  units[w] = 0xd800 + (c >> 10);
  units[w + 1] = 0xdc00 + (c & 0x3ff);
  return w + 2;
}
