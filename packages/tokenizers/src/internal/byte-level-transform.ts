// Rewrites a NormalizedString into GPT-2's byte-level alphabet, one char per UTF-8 byte (shared by the ByteLevel normalizer and pre-tokenizer).
import { BYTE_TO_CHAR } from "./byte-level-alphabet.js";
import type { NormalizedString } from "./normalized-string.js";
import { writeUtf8 } from "./utf8.js";

const asciiMap: string[] = [];
for (let b = 0; b < 128; b++) asciiMap.push(BYTE_TO_CHAR[b]);
const BYTE_CP = BYTE_TO_CHAR.map((c) => c.charCodeAt(0));

/** Each char becomes its UTF-8 bytes' alphabet chars; the first keeps the char's span, the others are inserted. */
export function byteLevelTransform(ns: NormalizedString): void {
  const s = ns.normalized;
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    let out = "";
    for (let i = 0; i < s.length; i++) out += asciiMap[s.charCodeAt(i)];
    ns.replaceSameShape(out);
    return;
  }
  const cps: number[] = [];
  const changes: number[] = [];
  const buf = [0, 0, 0, 0];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    i += cp >= 0x10000 ? 2 : 1;
    const n = writeUtf8(cp, buf, 0);
    for (let k = 0; k < n; k++) {
      cps.push(BYTE_CP[buf[k]]);
      changes.push(k > 0 ? 1 : 0);
    }
  }
  ns.transform(cps, changes, cps.length, 0);
}
