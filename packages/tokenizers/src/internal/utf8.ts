// UTF-8 encoding/decoding helpers that behave like Rust's String::from_utf8 / from_utf8_lossy.

/** Writes the UTF-8 bytes of code point `cp` into `out` at `pos`; returns the number written. */
export function writeUtf8(cp: number, out: Uint8Array | number[], pos: number): number {
  if (cp < 0x80) {
    out[pos] = cp;
    return 1;
  }
  if (cp < 0x800) {
    out[pos] = 0xc0 | (cp >> 6);
    out[pos + 1] = 0x80 | (cp & 63);
    return 2;
  }
  if (cp < 0x10000) {
    out[pos] = 0xe0 | (cp >> 12);
    out[pos + 1] = 0x80 | ((cp >> 6) & 63);
    out[pos + 2] = 0x80 | (cp & 63);
    return 3;
  }
  out[pos] = 0xf0 | (cp >> 18);
  out[pos + 1] = 0x80 | ((cp >> 12) & 63);
  out[pos + 2] = 0x80 | ((cp >> 6) & 63);
  out[pos + 3] = 0x80 | (cp & 63);
  return 4;
}

/** UTF-8 bytes of a string. */
export function encodeUtf8(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    i += cp >= 0x10000 ? 2 : 1;
    writeUtf8(cp, out, out.length);
  }
  return out;
}

let lossy: TextDecoder | undefined;
let fatal: TextDecoder | undefined;

/** Rust `String::from_utf8_lossy` (WHATWG replacement follows the same maximal-subpart rule). */
export function decodeUtf8Lossy(bytes: ArrayLike<number>): string {
  lossy ??= new TextDecoder("utf-8", { ignoreBOM: true });
  return lossy.decode(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes as ArrayLike<number>));
}

/** Rust `String::from_utf8`: null when the bytes are not valid UTF-8. */
export function decodeUtf8Strict(bytes: ArrayLike<number>): string | null {
  fatal ??= new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  try {
    return fatal.decode(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes as ArrayLike<number>));
  } catch {
    return null;
  }
}
