// Strict JSON (RFC 8259) parser for safetensors headers: keeps key order, duplicate keys and number text, which JSON.parse loses.

/** A JSON number, kept as its source text so integers beyond 2^53 or written as 1.0 / 1e2 can be told apart. */
export class JsonNumber {
  constructor(
    readonly text: string,
    readonly value: number,
  ) {}
}

/** A JSON object as its members in source order; duplicates are kept so the caller can reject them. */
export class JsonObject {
  constructor(readonly members: [string, JsonValue][]) {}
}

/** Any parsed JSON value. */
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/** Raised for malformed JSON; `position` is the character index in the text. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at character ${position}`);
    this.name = "JsonSyntaxError";
  }
}

// Headers nest three deep; a hostile file must not overflow the stack with [[[[...
const MAX_DEPTH = 64;
const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * Parses a complete JSON text (surrounding whitespace allowed, nothing else).
 * @example parseJson('{"a":[1,2]}') // JsonObject { members: [["a", [JsonNumber, JsonNumber]]] }
 */
export function parseJson(text: string): JsonValue {
  let pos = 0;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, pos);
  };

  const skipWhitespace = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else return;
    }
  };

  const parseString = (): string => {
    // pos is at the opening quote.
    pos++;
    let out = "";
    let start = pos;
    for (;;) {
      if (pos >= text.length) fail("unterminated string");
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(start, pos);
        pos++;
        return out;
      }
      if (c < 0x20) fail("control character in string");
      if (c >= 0xd800 && c <= 0xdfff) {
        // The text came from a fatal UTF-8 decode, so surrogates arrive in valid pairs.
        pos += 2;
        continue;
      }
      if (c !== 0x5c) {
        pos++;
        continue;
      }
      out += text.slice(start, pos);
      pos++;
      const e = text[pos];
      pos++;
      switch (e) {
        case '"':
          out += '"';
          break;
        case "\\":
          out += "\\";
          break;
        case "/":
          out += "/";
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "\t";
          break;
        case "u": {
          const hi = readHex4();
          if (hi >= 0xdc00 && hi <= 0xdfff) fail("lone low surrogate escape");
          if (hi >= 0xd800 && hi <= 0xdbff) {
            if (text[pos] !== "\\" || text[pos + 1] !== "u") fail("lone high surrogate escape");
            pos += 2;
            const lo = readHex4();
            if (lo < 0xdc00 || lo > 0xdfff) fail("lone high surrogate escape");
            out += String.fromCharCode(hi, lo);
          } else {
            out += String.fromCharCode(hi);
          }
          break;
        }
        default:
          pos--;
          fail("invalid escape in string");
      }
      start = pos;
    }
  };

  const readHex4 = (): number => {
    const hex = text.slice(pos, pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("invalid \\u escape");
    pos += 4;
    return parseInt(hex, 16);
  };

  const parseValue = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    skipWhitespace();
    const c = text[pos];
    if (c === "{") {
      pos++;
      const members: [string, JsonValue][] = [];
      skipWhitespace();
      if (text[pos] === "}") {
        pos++;
        return new JsonObject(members);
      }
      for (;;) {
        skipWhitespace();
        if (text[pos] !== '"') fail("expected a string key");
        const key = parseString();
        skipWhitespace();
        if (text[pos] !== ":") fail("expected ':'");
        pos++;
        members.push([key, parseValue(depth + 1)]);
        skipWhitespace();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "}") {
          pos++;
          return new JsonObject(members);
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      pos++;
      const items: JsonValue[] = [];
      skipWhitespace();
      if (text[pos] === "]") {
        pos++;
        return items;
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        skipWhitespace();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "]") {
          pos++;
          return items;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return parseString();
    if (text.startsWith("true", pos)) {
      pos += 4;
      return true;
    }
    if (text.startsWith("false", pos)) {
      pos += 5;
      return false;
    }
    if (text.startsWith("null", pos)) {
      pos += 4;
      return null;
    }
    NUMBER_RE.lastIndex = pos;
    const m = NUMBER_RE.exec(text);
    if (m) {
      pos += m[0].length;
      return new JsonNumber(m[0], Number(m[0]));
    }
    return fail(pos >= text.length ? "unexpected end of text" : `unexpected character ${JSON.stringify(c)}`);
  };

  const value = parseValue(0);
  skipWhitespace();
  if (pos !== text.length) fail("unexpected text after the JSON value");
  return value;
}
