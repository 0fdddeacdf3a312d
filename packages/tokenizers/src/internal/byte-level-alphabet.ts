// GPT-2's byte-to-unicode table: every byte maps to a printable char (Rust `bytes_char`).

/** `BYTE_TO_CHAR[b]` is the char standing for byte `b`. */
export const BYTE_TO_CHAR: string[] = [];
/** Inverse map: char code -> byte, -1 when the char is not in the alphabet. */
export const CHAR_TO_BYTE = new Int16Array(0x200).fill(-1);

{
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n);
      n++;
    }
  }
  for (let i = 0; i < bs.length; i++) {
    BYTE_TO_CHAR[bs[i]] = String.fromCharCode(cs[i]);
    CHAR_TO_BYTE[cs[i]] = bs[i];
  }
}

/** The 256 chars of the byte-level alphabet. */
export function byteLevelAlphabet(): string[] {
  return BYTE_TO_CHAR.slice();
}
