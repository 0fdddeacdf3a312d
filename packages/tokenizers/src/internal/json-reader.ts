// Typed access to tokenizer.json values that reports the JSON path and what was expected when a field is malformed.

/** Error for a malformed tokenizer.json: names the JSON path, what was expected and what was found. */
export class TokenizerJSONError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`tokenizer.json at ${path}: ${message}`);
    this.name = "TokenizerJSONError";
    this.path = path;
  }
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  return `${typeof v === "object" ? "an object" : `the ${typeof v} ${String(v)}`}`;
}

/** A JSON object being read, with its path for error messages. */
export class JsonObj {
  readonly path: string;
  readonly obj: Record<string, unknown>;

  constructor(value: unknown, path: string) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new TokenizerJSONError(path, `expected an object, found ${describe(value)}.`);
    }
    this.obj = value as Record<string, unknown>;
    this.path = path;
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  raw(key: string): unknown {
    return this.obj[key];
  }

  sub(key: string): string {
    return `${this.path}.${key}`;
  }

  child(key: string): JsonObj {
    return new JsonObj(this.obj[key], this.sub(key));
  }

  string(key: string, def?: string): string {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      if (def !== undefined) return def;
      throw new TokenizerJSONError(this.sub(key), `expected a string, found ${v === null ? "null" : "nothing (missing field)"}.`);
    }
    if (typeof v !== "string") throw new TokenizerJSONError(this.sub(key), `expected a string, found ${describe(v)}.`);
    return v;
  }

  optString(key: string): string | null {
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== "string") throw new TokenizerJSONError(this.sub(key), `expected a string or null, found ${describe(v)}.`);
    return v;
  }

  bool(key: string, def?: boolean): boolean {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      if (def !== undefined) return def;
      throw new TokenizerJSONError(this.sub(key), "expected a boolean, found nothing (missing field).");
    }
    if (typeof v !== "boolean") throw new TokenizerJSONError(this.sub(key), `expected a boolean, found ${describe(v)}.`);
    return v;
  }

  optBool(key: string): boolean | null {
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== "boolean") throw new TokenizerJSONError(this.sub(key), `expected a boolean or null, found ${describe(v)}.`);
    return v;
  }

  number(key: string, def?: number): number {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      if (def !== undefined) return def;
      throw new TokenizerJSONError(this.sub(key), "expected a number, found nothing (missing field).");
    }
    if (typeof v !== "number" || !Number.isFinite(v)) throw new TokenizerJSONError(this.sub(key), `expected a number, found ${describe(v)}.`);
    return v;
  }

  optNumber(key: string): number | null {
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== "number") throw new TokenizerJSONError(this.sub(key), `expected a number or null, found ${describe(v)}.`);
    return v;
  }

  uint(key: string, def?: number): number {
    const v = this.number(key, def);
    if (!Number.isInteger(v) || v < 0) throw new TokenizerJSONError(this.sub(key), `expected a non-negative integer, found ${v}.`);
    return v;
  }

  array(key: string): unknown[] {
    const v = this.obj[key];
    if (!Array.isArray(v)) throw new TokenizerJSONError(this.sub(key), `expected an array, found ${v === undefined ? "nothing (missing field)" : describe(v)}.`);
    return v;
  }

  /** One of the allowed string values. */
  oneOf<T extends string>(key: string, allowed: readonly T[], def?: T): T {
    const v = this.string(key, def);
    if (!(allowed as readonly string[]).includes(v)) {
      throw new TokenizerJSONError(this.sub(key), `expected one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, found ${describe(v)}.`);
    }
    return v as T;
  }

  /** A single-character string (Rust `char`). */
  char(key: string, def?: string): string {
    const v = this.string(key, def);
    if ([...v].length !== 1) throw new TokenizerJSONError(this.sub(key), `expected a single character, found ${describe(v)}.`);
    return v;
  }
}

/** Throws the error for an unknown `type` of a component family, listing the supported ones. */
export function unknownType(path: string, family: string, type: unknown, supported: readonly string[]): never {
  throw new TokenizerJSONError(
    `${path}.type`,
    `unknown ${family} type ${JSON.stringify(type)}; supported ${family} types: ${supported.join(", ")}.`,
  );
}
