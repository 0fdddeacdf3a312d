// Translation of the Oniguruma patterns found in tokenizer.json (Split, Replace) to JS `u` regexes with the same Unicode semantics.

const WS = "\\t-\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
const WORD = "\\p{L}\\p{M}\\p{N}\\p{Pc}";
const JS_SYNTAX = new Set("^$\\.*+?()[]{}|/".split(""));

/** Case variants of one code point for a hand-expanded `(?i:...)` group (Oniguruma folds ſ with s and K (U+212A) with k). */
function caseVariants(ch: string): string[] {
  const set = new Set<string>([ch]);
  const lo = ch.toLowerCase();
  const up = ch.toUpperCase();
  if ([...lo].length === 1) set.add(lo);
  if ([...up].length === 1) set.add(up);
  if (lo === "s") set.add("\u017f");
  if (lo === "k") set.add("\u212a");
  return [...set];
}

function escapeClassChar(ch: string): string {
  return /[\\\]\[^\-]/.test(ch) ? "\\" + ch : ch;
}

function escapeChar(ch: string): string {
  return JS_SYNTAX.has(ch) ? "\\" + ch : ch;
}

let knownProperty: Map<string, string> | undefined;
/** `\p{Name}`: general categories and binary properties stay; script names get `Script=`. */
function property(name: string, negated: boolean): string {
  knownProperty ??= new Map();
  let resolved = knownProperty.get(name);
  if (resolved === undefined) {
    resolved = name;
    try {
      new RegExp(`\\p{${name}}`, "u");
    } catch {
      try {
        new RegExp(`\\p{Script=${name}}`, "u");
        resolved = `Script=${name}`;
      } catch {
        throw new Error(`Unsupported Unicode property \\p{${name}} in a tokenizer regex; supported: general categories, binary properties and script names.`);
      }
    }
    knownProperty.set(name, resolved);
  }
  return `\\${negated ? "P" : "p"}{${resolved}}`;
}

/**
 * Translates an Oniguruma (Ruby syntax) pattern as written in tokenizer.json into a JS pattern for the `u` flag:
 * `\s` is White_Space (JS would add U+FEFF), `\w` is Letter|Mark|Number|Pc, `\d` is Nd, `(?i:...)` groups are
 * expanded by hand, possessive quantifiers become greedy ones.
 */
export function translateOnigPattern(src: string): string {
  const chars = [...src];
  let out = "";
  let inClass = 0;
  // Depths at which a (?i:...) group is open; chars inside are case-expanded.
  const groupStack: boolean[] = [];
  let caseless = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "\\") {
      const n = chars[++i];
      if (n === undefined) throw new Error(`Regex "${src}" ends with a lone backslash.`);
      switch (n) {
        case "s":
          out += inClass ? WS : `[${WS}]`;
          continue;
        case "S":
          out += inClass ? "\\P{White_Space}" : `[^${WS}]`;
          continue;
        case "w":
          out += inClass ? WORD : `[${WORD}]`;
          continue;
        case "W":
          out += inClass ? "\\P{L}" : `[^${WORD}]`;
          continue;
        case "d":
          out += "\\p{Nd}";
          continue;
        case "D":
          out += "\\P{Nd}";
          continue;
        case "h":
          out += inClass ? "0-9a-fA-F" : "[0-9a-fA-F]";
          continue;
        case "A":
          out += "^";
          continue;
        case "z":
        case "Z":
          out += "$";
          continue;
        case "p":
        case "P": {
          if (chars[i + 1] !== "{") throw new Error(`Regex "${src}": \\${n} must be followed by {Name}.`);
          let j = i + 2;
          let name = "";
          while (j < chars.length && chars[j] !== "}") name += chars[j++];
          i = j;
          let neg = n === "P";
          if (name.startsWith("^")) {
            neg = !neg;
            name = name.slice(1);
          }
          out += property(name, neg);
          continue;
        }
        case "x": {
          if (chars[i + 1] === "{") {
            let j = i + 2;
            let hex = "";
            while (j < chars.length && chars[j] !== "}") hex += chars[j++];
            i = j;
            out += `\\u{${hex}}`;
          } else {
            out += "\\x" + chars[i + 1] + chars[i + 2];
            i += 2;
          }
          continue;
        }
        default:
          if (/[0-9bBnrtfvu0ck]/.test(n)) {
            out += "\\" + n;
          } else if (inClass) {
            out += escapeClassChar(n);
          } else {
            out += escapeChar(n);
          }
          continue;
      }
    }
    if (inClass) {
      if (c === "[") {
        // Nested classes (Oniguruma union) are flattened: JS `u` mode has no nesting.
        inClass++;
        continue;
      }
      if (c === "]") {
        inClass--;
        if (inClass === 0) out += "]";
        continue;
      }
      if (caseless > 0 && /\p{L}/u.test(c)) out += caseVariants(c).map(escapeClassChar).join("");
      else out += c === "-" || c === "^" ? c : escapeClassChar(c);
      continue;
    }
    if (c === "[") {
      inClass = 1;
      out += "[";
      if (chars[i + 1] === "^") {
        out += "^";
        i++;
      }
      if (chars[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (c === "(") {
      if (chars[i + 1] === "?" && chars[i + 2] === "i" && chars[i + 3] === ":") {
        groupStack.push(true);
        caseless++;
        out += "(?:";
        i += 3;
        continue;
      }
      groupStack.push(false);
      out += "(";
      continue;
    }
    if (c === ")") {
      if (groupStack.pop()) caseless--;
      out += ")";
      continue;
    }
    if ((c === "+" || c === "*" || c === "?" || c === "}") && chars[i + 1] === "+") {
      // Possessive quantifier: JS has none; greedy matching gives the same splits for tokenizer patterns.
      out += c;
      i++;
      continue;
    }
    if (c === "{") {
      let j = i + 1;
      while (j < chars.length && /[0-9,]/.test(chars[j])) j++;
      if (chars[j] === "}" && j > i + 1) {
        out += chars.slice(i, j + 1).join("");
        i = j;
      } else out += "\\{";
      continue;
    }
    if (c === "}") {
      out += "\\}";
      continue;
    }
    if (c === "]") {
      out += "\\]";
      continue;
    }
    if (caseless > 0 && /\p{L}/u.test(c)) {
      const v = caseVariants(c);
      out += v.length > 1 ? `[${v.map(escapeClassChar).join("")}]` : escapeChar(c);
      continue;
    }
    out += c === "/" ? "\\/" : c;
  }
  return out;
}

/** Compiles a tokenizer.json regex, saying which component and pattern failed if it cannot. */
export function compileOnig(pattern: string, where: string): RegExp {
  let js: string;
  try {
    js = translateOnigPattern(pattern);
    return new RegExp(js, "gu");
  } catch (e) {
    throw new Error(`${where}: cannot compile regex ${JSON.stringify(pattern)}: ${(e as Error).message}. Check the pattern in tokenizer.json.`);
  }
}

/**
 * Escapes a literal string for a JS `u` regex (what Rust's `regex::escape` is for onig): only the syntax characters
 * get a backslash, since under the `u` flag escaping anything else (`\-`, `\#`, `\~`…) is a syntax error. Every other
 * char, non-BMP ones included, stands for itself.
 */
export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/**
 * All matches of a global regex, as flat `[start, end, isMatch]` triples covering `s` (Rust `find_matches` over
 * onig's `find_iter`: an empty match right after the previous match is skipped).
 */
export function findRegexMatches(re: RegExp, s: string): number[] {
  const out: number[] = [];
  if (s.length === 0) {
    out.push(0, 0, 0);
    return out;
  }
  let prev = 0;
  let lastMatchEnd = -1;
  re.lastIndex = 0;
  let pos = 0;
  while (pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (m === null) break;
    const st = m.index;
    const en = st + m[0].length;
    if (st === en && en === lastMatchEnd) {
      pos = en < s.length ? en + (s.codePointAt(en)! >= 0x10000 ? 2 : 1) : en + 1;
      continue;
    }
    if (prev !== st) out.push(prev, st, 0);
    out.push(st, en, 1);
    prev = en;
    lastMatchEnd = en;
    pos = en;
  }
  if (prev !== s.length) out.push(prev, s.length, 0);
  return out;
}
