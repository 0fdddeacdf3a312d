// Code-point helpers for trainers: Rust compares `str`/`[char]` by code point, JS strings by UTF-16 unit.

/**
 * Compares two strings by Unicode code point, like Rust's `Ord for str` (UTF-8 byte order).
 * @example compareCodePoints("\uFF61", "😀") < 0 // while "\uFF61" > "😀" in UTF-16 order
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

// UTF-16 order differs from code-point order only between surrogates and U+E000..U+FFFF;
// moving those two ranges past each other restores code-point order (the ICU trick).
function fixup(u: number): number {
  if (u >= 0xe000) return u - 0x800;
  if (u >= 0xd800) return u + 0x2000;
  return u;
}

/**
 * Splits a string into its code points (as one-character strings), like Rust's `str::chars`.
 * @example chars("a😀") // ["a", "😀"]
 */
export function chars(s: string): string[] {
  return Array.from(s);
}
