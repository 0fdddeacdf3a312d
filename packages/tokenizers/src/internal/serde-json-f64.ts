// The f64 that Rust's serde_json (default features, no `float_roundtrip`) reads for a JSON number: it can be 1 ULP off the correctly rounded value.

/** 10^0 … 10^308 as f64 literals (serde_json's POW10 table; JS parses each literal to the same double). */
const POW10: number[] = Array.from({ length: 309 }, (_, k) => Number(`1e${k}`));
const U64_MAX = (1n << 64n) - 1n;

/** serde_json `f64_from_parts`: the u64 significand rounded to f64, then one multiply or divide by a power of ten. */
function fromParts(significand: bigint, exponent: number): number {
  let f = Number(significand);
  for (;;) {
    const k = Math.abs(exponent);
    if (k < POW10.length) {
      if (exponent >= 0) f *= POW10[k];
      else f /= POW10[k];
      return f;
    }
    if (f === 0) return f;
    if (exponent >= 0) return Infinity;
    f /= 1e308;
    exponent += 308;
  }
}

/**
 * Parses a JSON number literal the way serde_json 1.x does by default: digits accumulate into a u64 (digits that would
 * overflow it are dropped and only shift the exponent), then {@link fromParts}. Returns NaN for text that is not a
 * JSON number.
 */
export function serdeJsonParseF64(text: string): number {
  const m = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (m === null) return NaN;
  let significand = 0n;
  let exponent = 0;
  let overflowed = false;
  const digit = (d: string, afterPoint: boolean): void => {
    if (overflowed) {
      if (!afterPoint) exponent++;
      return;
    }
    const next = significand * 10n + BigInt(d.charCodeAt(0) - 48);
    if (next > U64_MAX) {
      overflowed = true;
      if (!afterPoint) exponent++;
      return;
    }
    significand = next;
    if (afterPoint) exponent--;
  };
  for (const d of m[2]) digit(d, false);
  for (const d of m[3] ?? "") digit(d, true);
  if (m[3] === undefined && m[4] === undefined) {
    // An integer literal: serde_json keeps it as an integer (u64 / i64) and converts it with one rounding.
    if (!overflowed) return m[1] === "-" ? -Number(significand) : Number(significand);
  }
  if (m[4] !== undefined) exponent += Number(m[4]);
  const f = fromParts(significand, exponent);
  return m[1] === "-" ? -f : f;
}

/**
 * True when serde_json's reading is the correctly rounded one for sure: at most 15 significant digits (the significand
 * is exact in f64) and a power of ten up to 10^22 (exact too), so its one multiply or divide rounds correctly.
 */
function isExactlyRead(text: string): boolean {
  const e = text.indexOf("e");
  const mantissaEnd = e < 0 ? text.length : e;
  let digits = 0;
  let afterPoint = 0;
  let point = false;
  for (let i = 0; i < mantissaEnd; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) point = true;
    else if (c >= 48 && c <= 57) {
      if (digits > 0 || c !== 48) digits++;
      if (point) afterPoint++;
    }
  }
  const exponent = (e < 0 ? 0 : Number(text.slice(e + 1))) - afterPoint;
  return digits <= 15 && Math.abs(exponent) <= 22;
}

/**
 * The value Rust's tokenizers holds for a number that JS read from the same tokenizer.json. JS keeps the correctly
 * rounded double; Rust's serde_json reads the text again its own way. The text is taken to be the shortest form of
 * the double (what serde_json, Python's json and JS itself write), which `String(x)` gives back.
 * @example
 * ```ts
 * rustJsonF64(-12.130167007446289); // -12.130167007446287 (serde_json's reading of that text)
 * ```
 */
export function rustJsonF64(x: number): number {
  if (!Number.isFinite(x)) return x;
  const text = String(x);
  if (isExactlyRead(text)) return x;
  const r = serdeJsonParseF64(text);
  return Number.isNaN(r) ? x : r;
}
