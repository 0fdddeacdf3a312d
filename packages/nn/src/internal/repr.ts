// PyTorch's module repr (Module.__repr__): the class name, the extra repr, then each child indented by two spaces.

/** Indents every line after the first by `n` spaces, as PyTorch's `_addindent`. */
function addIndent(s: string, n: number): string {
  const lines = s.split("\n");
  if (lines.length === 1) return s;
  const pad = " ".repeat(n);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join("\n");
}

/**
 * Formats a module as PyTorch prints it.
 * @example moduleRepr("Linear", "in_features=2, out_features=3, bias=True", []) // "Linear(in_features=2, out_features=3, bias=True)"
 */
export function moduleRepr(name: string, extra: string, children: readonly [string, string][]): string {
  const lines: string[] = extra ? extra.split("\n") : [];
  for (const [key, repr] of children) lines.push(`(${key}): ${addIndent(repr, 2)}`);
  if (lines.length === 0) return `${name}()`;
  if (children.length === 0 && lines.length === 1) return `${name}(${lines[0]})`;
  return `${name}(\n  ${lines.join("\n  ")}\n)`;
}

/** Python's repr of a boolean / number / tuple, for extra reprs. @example py(true) // "True" */
export function py(v: unknown): string {
  if (v === true) return "True";
  if (v === false) return "False";
  if (v === null || v === undefined) return "None";
  if (Array.isArray(v)) return v.length === 1 ? `(${py(v[0])},)` : `(${v.map(py).join(", ")})`;
  if (typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v)) return String(v);
  if (typeof v === "string") return `'${v}'`;
  return String(v);
}

/**
 * Python's repr of a float: `1e-05`, `0.1`, `2.0` (exponent form below 1e-4 and from 1e16, two-digit exponents).
 * @example pyFloat(1e-5) // "1e-05"
 */
export function pyFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [m, e] = v.toExponential().split("e");
    const n = Number(e);
    return `${m}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  return Number.isInteger(v) ? `${v}.0` : String(v);
}
