// CSV / TSV parsing for Dataset.fromCsv: RFC 4180 quoting ("" escapes, delimiters and newlines inside quotes), a header row, numeric columns inferred as pandas does for plain numbers.

/** Options of `parseCsv`. */
export interface CsvOptions {
  /** Field separator: "," (default) or "\t" for TSV, or any one character. */
  delimiter?: string;
  /** Column names; when given, the first line is data, not a header. */
  columnNames?: string[];
  /** Turn columns whose every non-empty cell is a number into numbers (default true); empty cells become null. */
  inferTypes?: boolean;
}

/** Raised for malformed CSV, naming the line (1-based) and what is wrong. */
export class CsvParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "CsvParseError";
  }
}

/** Splits CSV text into records of raw string fields, each tagged with the line it starts on. */
function records(text: string, delim: string, source: string): Array<{ fields: string[]; line: number }> {
  const out: Array<{ fields: string[]; line: number }> = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quotedAt = -1;
  let afterQuote = false;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "")) out.push({ fields, line: recordLine });
    fields = [];
    field = "";
    afterQuote = false;
  };
  while (i < n) {
    const c = text[i];
    if (quotedAt >= 0) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quotedAt = -1;
        afterQuote = true;
        i++;
        continue;
      }
      if (c === "\n") line++;
      field += c;
      i++;
      continue;
    }
    if (c === delim) {
      fields.push(field);
      field = "";
      afterQuote = false;
      i++;
    } else if (c === "\n" || c === "\r") {
      endRecord();
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
    } else if (c === '"' && field === "" && !afterQuote) {
      quotedAt = line;
      i++;
    } else if (afterQuote) {
      throw new CsvParseError(
        `${source}: line ${line}: unexpected character ${JSON.stringify(c)} after a closing quote; a quoted field must be followed by the delimiter or a line end (write "" for a quote inside quotes).`,
        line,
      );
    } else if (c === '"') {
      throw new CsvParseError(`${source}: line ${line}: a quote inside an unquoted field; quote the whole field and double the inner quote ("").`, line);
    } else {
      field += c;
      i++;
    }
  }
  if (quotedAt >= 0) throw new CsvParseError(`${source}: line ${quotedAt}: a quoted field opened here is never closed; add the closing quote.`, quotedAt);
  if (field !== "" || fields.length > 0) endRecord();
  return out;
}

const NUMBER = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|Infinity|nan|NaN)$/;

/**
 * Parses CSV/TSV text into columns (header row first unless `columnNames` is given). Throws `CsvParseError`
 * naming the line on an unclosed quote, a stray quote, or a row with the wrong number of fields.
 * @example
 * ```ts
 * parseCsv('text,label\n"a, quoted ""cell""",1\n'); // { text: ['a, quoted "cell"'], label: [1] }
 * ```
 */
export function parseCsv(text: string, opts: CsvOptions = {}, source = "csv"): Record<string, unknown[]> {
  const delim = opts.delimiter ?? ",";
  if (delim.length !== 1 || delim === '"' || delim === "\n") {
    throw new RangeError(`parseCsv: delimiter must be one character other than a quote or newline, got ${JSON.stringify(delim)}.`);
  }
  const recs = records(text, delim, source);
  let names = opts.columnNames;
  let body = recs;
  if (!names) {
    if (recs.length === 0) throw new CsvParseError(`${source}: no header line; the first line must name the columns.`, 1);
    names = recs[0].fields;
    body = recs.slice(1);
  }
  const dup = names.find((nm, i) => names!.indexOf(nm) !== i);
  if (dup !== undefined) throw new CsvParseError(`${source}: line 1: column "${dup}" appears twice in the header; give each column its own name.`, 1);
  const cols: Record<string, unknown[]> = {};
  for (const nm of names) cols[nm] = [];
  for (const r of body) {
    if (r.fields.length !== names.length) {
      throw new CsvParseError(
        `${source}: line ${r.line}: ${r.fields.length} fields but the header has ${names.length} (${names.join(", ")}); quote fields that contain "${delim === "\t" ? "\\t" : delim}".`,
        r.line,
      );
    }
    r.fields.forEach((f, j) => cols[names![j]].push(f));
  }
  if (opts.inferTypes !== false) {
    for (const nm of names) {
      const vals = cols[nm] as string[];
      if (vals.some((v) => v !== "") && vals.every((v) => v === "" || NUMBER.test(v.trim()))) {
        cols[nm] = vals.map((v) => {
          if (v === "") return null;
          const t = v.trim().toLowerCase();
          if (t === "nan") return NaN;
          if (t.endsWith("inf") || t.endsWith("infinity")) return t.startsWith("-") ? -Infinity : Infinity;
          return Number(v);
        });
      }
    }
  }
  return cols;
}
