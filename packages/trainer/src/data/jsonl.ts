// JSON Lines parsing for Dataset.fromJsonl: one JSON object per line, columns the union of the keys (missing values null), errors naming the line.

/**
 * Parses JSON Lines text (blank lines skipped) into rows. Throws naming the line on malformed JSON or a line
 * that is not an object.
 * @example
 * ```ts
 * parseJsonl('{"text":"hi","label":1}\n{"text":"yo","label":0}\n'); // [{text:"hi",label:1},{text:"yo",label:0}]
 * ```
 */
export function parseJsonl(text: string, source = "jsonl"): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i === 0 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (line.trim() === "") return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new SyntaxError(`${source}: line ${i + 1}: not valid JSON (${(e as Error).message}); each line must hold one JSON object.`);
    }
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      throw new TypeError(`${source}: line ${i + 1}: expected a JSON object ({"column": value, ...}), got ${Array.isArray(v) ? "an array" : JSON.stringify(v)}.`);
    }
    rows.push(v as Record<string, unknown>);
  });
  return rows;
}
