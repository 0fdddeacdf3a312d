// Splits text into lines that keep their "\n" (and any "\r" before it), as the Rust library's `lines_with_ending` reads training files.

/**
 * The lines of `text`, each with its line end; a last line without "\n" is kept as is.
 * @example linesWithEnding("a\r\nb\nc") // ["a\r\n", "b\n", "c"]
 */
export function linesWithEnding(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) break;
    out.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}
