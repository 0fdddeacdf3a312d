// Examples' errors for bad input data: which file, which line, what was found and what was expected; empty splits and unknown labels.
import { relative } from "node:path";

/**
 * A data file that is not in the expected format: the message names the file, the line (1-based, when known), what is
 * wrong and what was expected.
 * @example throw new DataFileError("sst2/train.tsv", 12, 'has "great movie" with no tab', '"sentence<TAB>0|1"')
 */
export class DataFileError extends SyntaxError {
  override name = "DataFileError";
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    what: string,
    readonly expected: string,
  ) {
    super(`${shortPath(file)}${line === undefined ? "" : ` line ${line}`}: ${what}; expected ${expected}.`);
  }
}

/** The path relative to the working folder when that is shorter (error messages stay readable). */
function shortPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r && r.length < p.length ? r : p;
}

/** The 1-based line of character `pos` of `text`. @example lineOf("a\nb", 2) // 2 */
export function lineOf(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The 1-based line each CSV record starts on (quoted fields may span lines, so record i is not always line i + 1).
 * @example csvRecordLines('a,"x\ny"\nb,z\n') // [1, 3]
 */
export function csvRecordLines(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let quoted = false;
  let atStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (atStart && c !== "\n" && c !== "\r") (starts.push(line), (atStart = false));
    if (c === '"') quoted = !quoted;
    else if (c === "\n") {
      line++;
      if (!quoted) atStart = true;
    }
  }
  return starts;
}

/**
 * Refuses an empty split with the file it came from and what to change (`--train-limit 0`, another file).
 * @example requireRows("test", test, "sst2/test.tsv")
 */
export function requireRows<T>(split: string, rows: readonly T[], source: string): readonly T[] {
  if (rows.length === 0) throw new RangeError(`the ${split} split is empty (from ${shortPath(source)}); check that the file holds examples and that --train-limit / --eval-limit are not cutting it to nothing.`);
  return rows;
}

/**
 * Refuses labels outside the label set, naming the split, the first unknown label, the row it is in and the set.
 * @example checkLabels("test", test, (s) => s.tags, ["O", "B-PER"], (i) => `sentence ${i + 1}`)
 */
export function checkLabels<T>(split: string, rows: readonly T[], labelsOf: (row: T) => Iterable<string>, labelSet: readonly string[], where: (row: number) => string): void {
  const known = new Set(labelSet);
  rows.forEach((r, i) => {
    for (const l of labelsOf(r))
      if (!known.has(l))
        throw new RangeError(`${split} label ${JSON.stringify(l)} (${where(i)}) is not in the label set {${labelSet.join(", ")}}; fix the data, or train on a split that has every label.`);
  });
}
