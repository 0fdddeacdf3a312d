// String order by Unicode code point, which is the UTF-8 byte order Rust (and so Python safetensors) sorts names by.

/** Compares by code point (= UTF-8 bytes); JS's default sort compares UTF-16 units, which differs above U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    // A surrogate (code point >= U+10000) sorts after every BMP unit, whatever their UTF-16 values.
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
