// A parser for the Python expression subset that op goldens write in `expr` (torch calls, slicing, operators), to an AST.

/** A node of a parsed Python expression. */
export type PyNode =
  | { readonly t: "num"; readonly v: number; readonly float: boolean }
  | { readonly t: "str"; readonly v: string }
  | { readonly t: "const"; readonly v: boolean | null }
  | { readonly t: "ellipsis" }
  | { readonly t: "name"; readonly id: string }
  | { readonly t: "tuple" | "list"; readonly items: readonly PyNode[] }
  | { readonly t: "attr"; readonly obj: PyNode; readonly name: string }
  | { readonly t: "call"; readonly fn: PyNode; readonly args: readonly PyNode[]; readonly kwargs: readonly (readonly [string, PyNode])[] }
  | { readonly t: "index"; readonly obj: PyNode; readonly subs: readonly PySub[]; readonly tuple: boolean }
  | { readonly t: "unary"; readonly op: "-" | "+" | "not" | "~"; readonly x: PyNode }
  | { readonly t: "bin"; readonly op: string; readonly a: PyNode; readonly b: PyNode }
  /** `*seq` inside a call's arguments or a tuple/list display. */
  | { readonly t: "star"; readonly x: PyNode };

/** One subscript: an expression or a slice `lo:hi:step`. */
export type PySub = PyNode | { readonly t: "slice"; readonly lo: PyNode | null; readonly hi: PyNode | null; readonly step: PyNode | null };

interface Tok {
  readonly k: "num" | "str" | "name" | "op" | "end";
  readonly v: string;
  readonly at: number;
}

const OPS = ["**", "//", "->", "...", ">=", "<=", "==", "!=", "(", ")", "[", "]", "{", "}", ",", ":", ".", "+", "-", "*", "/", "@", "%", ">", "<", "=", "~", "&", "|"];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(src.slice(i));
    if (num) {
      out.push({ k: "num", v: num[0], at: i });
      i += num[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new SyntaxError(`py-expr: unterminated string at ${i} in ${JSON.stringify(src)}.`);
      out.push({ k: "str", v: src.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const name = /^[A-Za-z_]\w*/.exec(src.slice(i));
    if (name) {
      out.push({ k: "name", v: name[0], at: i });
      i += name[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new SyntaxError(`py-expr: unexpected character ${JSON.stringify(c)} at ${i} in ${JSON.stringify(src)}.`);
    out.push({ k: "op", v: op, at: i });
    i += op.length;
  }
  out.push({ k: "end", v: "", at: src.length });
  return out;
}

/** Recursive-descent parser following Python's precedence (comparison < +,- < *,/,@,//,% < unary < ** < postfix). */
class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly src: string,
  ) {}

  private peek(): Tok {
    return this.toks[this.i];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.k === "op" && t.v === v;
  }
  private eat(v: string): boolean {
    if (!this.isOp(v)) return false;
    this.i++;
    return true;
  }
  private expect(v: string): void {
    if (!this.eat(v)) this.fail(`expected "${v}"`);
  }
  fail(why: string): never {
    const t = this.peek();
    throw new SyntaxError(`py-expr: ${why} at ${t.at} ("${this.src.slice(t.at, t.at + 12)}") in ${JSON.stringify(this.src)}.`);
  }
  atEnd(): boolean {
    return this.peek().k === "end";
  }

  /** A top-level expression; a bare comma list is a tuple, as in Python. */
  top(): PyNode {
    const first = this.expr();
    if (!this.isOp(",")) return first;
    const items = [first];
    while (this.eat(",") && !this.atEnd()) items.push(this.expr());
    return { t: "tuple", items };
  }

  expr(): PyNode {
    if (this.peek().k === "name" && this.peek().v === "not") {
      this.i++;
      return { t: "unary", op: "not", x: this.expr() };
    }
    return this.comparison();
  }

  private comparison(): PyNode {
    let a = this.bitor();
    for (;;) {
      const t = this.peek();
      if (t.k === "op" && [">", "<", ">=", "<=", "==", "!="].includes(t.v)) {
        this.i++;
        a = { t: "bin", op: t.v, a, b: this.bitor() };
      } else return a;
    }
  }

  private bitor(): PyNode {
    let a = this.bitand();
    while (this.isOp("|")) {
      this.i++;
      a = { t: "bin", op: "|", a, b: this.bitand() };
    }
    return a;
  }

  private bitand(): PyNode {
    let a = this.arith();
    while (this.isOp("&")) {
      this.i++;
      a = { t: "bin", op: "&", a, b: this.arith() };
    }
    return a;
  }

  private arith(): PyNode {
    let a = this.term();
    for (;;) {
      const t = this.peek();
      if (t.k === "op" && (t.v === "+" || t.v === "-")) {
        this.i++;
        a = { t: "bin", op: t.v, a, b: this.term() };
      } else return a;
    }
  }

  private term(): PyNode {
    let a = this.factor();
    for (;;) {
      const t = this.peek();
      if (t.k === "op" && ["*", "/", "//", "%", "@"].includes(t.v)) {
        this.i++;
        a = { t: "bin", op: t.v, a, b: this.factor() };
      } else return a;
    }
  }

  private factor(): PyNode {
    const t = this.peek();
    if (t.k === "op" && (t.v === "-" || t.v === "+" || t.v === "~")) {
      this.i++;
      const x = this.factor();
      // Fold negative literals so `-0.5` stays a number (and keeps its int/float kind).
      if (t.v === "-" && x.t === "num") return { t: "num", v: -x.v, float: x.float };
      return { t: "unary", op: t.v, x };
    }
    return this.power();
  }

  private power(): PyNode {
    const base = this.postfix();
    if (this.eat("**")) return { t: "bin", op: "**", a: base, b: this.factor() };
    return base;
  }

  private postfix(): PyNode {
    let x = this.atom();
    for (;;) {
      if (this.eat(".")) {
        const n = this.peek();
        if (n.k !== "name") this.fail("expected an attribute name");
        this.i++;
        x = { t: "attr", obj: x, name: n.v };
      } else if (this.eat("(")) x = this.call(x);
      else if (this.eat("[")) x = this.subscript(x);
      else return x;
    }
  }

  private call(fn: PyNode): PyNode {
    const args: PyNode[] = [];
    const kwargs: [string, PyNode][] = [];
    while (!this.isOp(")")) {
      const t = this.peek();
      const n = this.toks[this.i + 1];
      if (t.k === "name" && n.k === "op" && n.v === "=") {
        this.i += 2;
        kwargs.push([t.v, this.expr()]);
      } else if (this.eat("*")) args.push({ t: "star", x: this.expr() });
      else {
        if (kwargs.length) this.fail("positional argument follows keyword argument");
        args.push(this.expr());
      }
      if (!this.eat(",")) break;
    }
    this.expect(")");
    return { t: "call", fn, args, kwargs };
  }

  private subscript(obj: PyNode): PyNode {
    const subs: PySub[] = [];
    let tuple = false;
    while (!this.isOp("]")) {
      subs.push(this.sub());
      if (!this.eat(",")) break;
      tuple = true;
    }
    this.expect("]");
    return { t: "index", obj, subs, tuple: tuple || subs.length !== 1 };
  }

  private sub(): PySub {
    const bound = () => (this.isOp(":") || this.isOp("]") || this.isOp(",") ? null : this.expr());
    const lo = bound();
    if (!this.eat(":")) {
      if (lo === null) this.fail("expected a subscript");
      return lo;
    }
    const hi = bound();
    const step = this.eat(":") ? bound() : null;
    return { t: "slice", lo, hi, step };
  }

  private atom(): PyNode {
    const t = this.peek();
    this.i++;
    if (t.k === "num") return { t: "num", v: Number(t.v), float: /[.eE]/.test(t.v) };
    if (t.k === "str") {
      let s = t.v;
      // Adjacent string literals concatenate, as in Python.
      while (this.peek().k === "str") s += this.toks[this.i++].v;
      return { t: "str", v: s };
    }
    if (t.k === "name") {
      if (t.v === "True" || t.v === "False") return { t: "const", v: t.v === "True" };
      if (t.v === "None") return { t: "const", v: null };
      return { t: "name", id: t.v };
    }
    if (t.k === "op" && t.v === "...") return { t: "ellipsis" };
    if (t.k === "op" && t.v === "(") {
      if (this.eat(")")) return { t: "tuple", items: [] };
      const first = this.expr();
      if (this.eat(")")) return first;
      const items = [first];
      while (this.eat(",") && !this.isOp(")")) items.push(this.expr());
      this.expect(")");
      return { t: "tuple", items };
    }
    if (t.k === "op" && t.v === "[") {
      const items: PyNode[] = [];
      while (!this.isOp("]")) {
        items.push(this.expr());
        if (!this.eat(",")) break;
      }
      this.expect("]");
      return { t: "list", items };
    }
    this.i--;
    return this.fail("expected an expression");
  }
}

/** Removes a `# comment` (outside strings) and a descriptive ` -> (values, indices)` tail. */
export function stripPyComment(src: string): string {
  let quote: string | null = null;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "#") return src.slice(0, i).trim();
    else if (c === "-" && src[i + 1] === ">") return src.slice(0, i).trim();
  }
  return src.trim();
}

function parseAll(src: string): PyNode {
  const p = new Parser(tokenize(src), src);
  const node = p.top();
  if (!p.atEnd()) p.fail("unexpected text after the expression");
  return node;
}

/** Index of the "(" opening a balanced group that closes at the end of `s`, or -1. */
function trailingGroupStart(s: string): number {
  if (!s.endsWith(")")) return -1;
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    if (s[i] === ")") depth++;
    else if (s[i] === "(" && --depth === 0) return i;
  }
  return -1;
}

/**
 * Parses a golden's `expr`: strips comments and `-> …` tails, and a trailing prose note in parentheses that is
 * separated by a space (`a + b (b is 1-D over last dim)`), which Python itself would reject.
 * @example parsePyExpr("torch.clamp(x, -0.5, 0.8)  # note")
 */
export function parsePyExpr(expr: string): PyNode {
  let src = stripPyComment(expr);
  for (;;) {
    try {
      return parseAll(src);
    } catch (e) {
      const at = trailingGroupStart(src);
      if (at <= 0 || !/\s/.test(src[at - 1])) throw e;
      src = src.slice(0, at).trim();
    }
  }
}
