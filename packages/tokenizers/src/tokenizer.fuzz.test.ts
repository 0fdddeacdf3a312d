// Fuzzing (fast-check, fixed seed): mutated tokenizer.json fixtures load or give a TokenizerJSONError; encode takes any JS string (lone surrogates, NUL, combining marks, mixed scripts, 1 MB words) without throwing.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fixturesRoot, readTokenizerJSON, tokenizerNames } from "./internal/golden-fixtures.js";
import { Tokenizer, TokenizerJSONError } from "@tsorch/tokenizers";

/** Cases per property: small in `pnpm test`, `TSORCH_FUZZ_RUNS` (set by `pnpm fuzz`) for the long run. */
const RUNS = Number(process.env.TSORCH_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.TSORCH_FUZZ_SEED ?? 17);
/** Loading a tokenizer.json costs 10-600 ms CPU, so the mutation fuzzer gets fewer cases (a tenth of TSORCH_FUZZ_RUNS). */
const LOAD_RUNS = process.env.TSORCH_FUZZ_RUNS ? Math.round(RUNS / 10) : 40;
const SLOW_MS = 5_000;
/** CPU milliseconds since `t0` (CPU, not wall time: the test machine is shared). */
const cpuMs = (t0: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
};

const fx = fixturesRoot();
if (fx.root === null) console.warn(`[tokenizers fuzz] SKIPPED: ${fx.reason}`);
const names = fx.root ? tokenizerNames(fx.root) : [];
if (fx.required && names.length === 0) throw new Error(`[tokenizers fuzz] TSORCH_FUZZ: no tokenizer fixtures under ${fx.root}`);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Mutation = { walk: number[]; kind: "replace" | "delete" | "sibling"; value: Json };

const odd: Json[] = [-1, 0, 1e308, -1e308, 2 ** 53 + 2, 0.5, "", "\u0000", "\ud800", null, [], {}, true, "x".repeat(2000), [null], { type: "BPE" }, { type: "Sequence" }];
const mutation: fc.Arbitrary<Mutation> = fc.record({
  walk: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
  kind: fc.constantFrom<Mutation["kind"]>("replace", "replace", "delete", "sibling"),
  value: fc.oneof(fc.constantFrom(...odd), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>),
});

/** Applies `m` in place at the end of a random walk from the root and returns the function that undoes it. */
function apply(root: Json, m: Mutation): () => void {
  let node = root;
  let parent: Json[] | { [k: string]: Json } | null = null;
  let key: string | number = "";
  for (const step of m.walk) {
    if (node === null || typeof node !== "object") break;
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    parent = node;
    key = keys[step % keys.length];
    node = (node as Record<string | number, Json>)[key];
  }
  if (parent === null) return () => {};
  const p = parent as Record<string | number, Json>;
  const old = p[key];
  if (m.kind === "delete" && Array.isArray(parent)) {
    parent.splice(key as number, 1);
    return () => void (parent as Json[]).splice(key as number, 0, old);
  }
  if (m.kind === "delete") delete p[key];
  else if (m.kind === "sibling") {
    const keys = Object.keys(p);
    p[key] = p[keys[(keys.indexOf(String(key)) + 1) % keys.length]];
  } else p[key] = m.value;
  return () => void (p[key] = old);
}

/**
 * The project's error: a TokenizerJSONError (names the JSON path), or an Error whose message opens with the
 * component that raised it and a colon (`WordPiece: unk_token "x" is not in the vocabulary.`, as the Rust library
 * fails at encode time there). Engine messages (`Cannot read properties of undefined`, `Invalid array length`) never do.
 */
function ownError(e: unknown): boolean {
  return e instanceof TokenizerJSONError || (e instanceof Error && /^[A-Za-z][\w.]*(\([^)]*\))?: /.test(e.message));
}

/** The property of a load: a working tokenizer or the project's error; anything else is a bug. */
function checkLoad(obj: Json): void {
  const t0 = process.cpuUsage();
  try {
    const tok = Tokenizer.fromJSON(obj);
    const e = tok.encode("Hello, world! 123 héllo 你好 \u0301", "pair");
    expect(e.ids.length).toBe(e.offsets.length);
    tok.decode(e.ids);
  } catch (e) {
    if (!ownError(e)) throw new Error(`not an error of the tokenizer: ${String(e)}`, { cause: e });
  }
  expect(cpuMs(t0)).toBeLessThan(SLOW_MS);
}

/** Strings nobody types: lone surrogates, NUL and controls, combining marks, mixed scripts, emoji sequences. */
const codeUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }),
  fc.integer({ min: 0xd800, max: 0xdfff }),
  fc.constantFrom(0, 0x0301, 0x0308, 0x200d, 0xfe0f, 0xfeff, 0x2028, 0x0a, 0x09, 0x20, 0x3000, 0x0e3f, 0x05d0, 0x0627, 0x4e2d, 0xac00, 0x1100),
);
const oddString = fc.oneof(
  fc.array(codeUnit, { maxLength: 60 }).map((u) => String.fromCharCode(...u)),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.array(fc.constantFrom("a", "\u0301", "é", "中", "😀", "👩‍👩‍👧", "\u0000", " ", "ﬁ", "Ⅻ", "İ", "ß", "<s>", "[CLS]", "<|endoftext|>", "\ud83d"), { maxLength: 40 }).map((a) => a.join("")),
);

describe.skipIf(fx.root === null)("tokenizers under fuzzing", () => {
  // llama-3's tokenizer takes 600 ms CPU a load: left to the long run.
  const pool = process.env.TSORCH_FUZZ_RUNS ? names : names.filter((n) => !n.includes("llama-3"));
  it(`tokenizer.json: random mutations of the fixture files (${LOAD_RUNS} cases over ${pool.length} fixtures)`, () => {
    const parsed = new Map(pool.map((n) => [n, JSON.parse(readTokenizerJSON(fx.root!, n)) as Json]));
    fc.assert(
      fc.property(fc.constantFrom(...pool), mutation, (name, m) => {
        const obj = parsed.get(name)!;
        const undo = apply(obj, m);
        try {
          checkLoad(obj);
        } finally {
          undo();
        }
      }),
      { seed: SEED, numRuns: LOAD_RUNS },
    );
    console.log(`[tokenizers fuzz] tokenizer.json mutations: ${LOAD_RUNS} cases over ${pool.length} fixtures, seed ${SEED}`);
  });

  it("tokenizer.json: cut short or not an object gives a TokenizerJSONError", () => {
    const text = readTokenizerJSON(fx.root!, names[0]);
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), (n) => {
        expect(() => Tokenizer.fromString(text.slice(0, n))).toThrow(TokenizerJSONError);
      }),
      { seed: SEED, numRuns: 20 },
    );
    for (const s of ["null", "[]", "1", '"x"', "{}"]) expect(() => Tokenizer.fromString(s)).toThrow(TokenizerJSONError);
  });

  const sample = ["bert-base-uncased", "gpt2", "llama-2", "t5-small", "bert-base-chinese", "whisper-tiny", "falcon-7b"].filter((n) => names.includes(n));
  it(`encode: arbitrary JS strings on ${sample.length} fixture tokenizers (${RUNS} cases each)`, () => {
    const toks = sample.map((n) => [n, Tokenizer.fromString(readTokenizerJSON(fx.root!, n))] as const);
    fc.assert(
      fc.property(oddString, fc.option(oddString), (s, pair) => {
        for (const [, tok] of toks) {
          const e = pair === null ? tok.encode(s) : tok.encode(s, pair);
          expect(e.ids.length).toBe(e.offsets.length);
          for (const [a, b] of e.offsets) expect(0 <= a && a <= b && b <= Math.max(s.length, pair?.length ?? 0)).toBe(true);
          expect(typeof tok.decode(e.ids)).toBe("string");
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // A 1 MB word with combining marks and emoji: in the long run only (robustness.test.ts encodes 1 MB words on every fixture in each run).
    const long = process.env.TSORCH_FUZZ_RUNS !== undefined;
    const mb = "ab\u0301c😀".repeat(200_000).slice(0, 1 << 20);
    if (long) for (const [name, tok] of toks) expect(tok.encode(mb).ids.length, name).toBeGreaterThan(0);
    console.log(`[tokenizers fuzz] encode: ${RUNS} random strings (and pairs) on ${sample.join(", ")}${long ? ", plus a 1 MB word each" : ""}`);
  });
});
