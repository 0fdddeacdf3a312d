// Entity-level precision / recall / F1 for IOB1, IOB2, IOE1, IOE2, IOBES and BILOU tags, as seqeval 1.2 (default conlleval-like and strict modes).

/** A tagging scheme for strict mode, as seqeval's `seqeval.scheme` classes. */
export type TagScheme = "IOB1" | "IOB2" | "IOE1" | "IOE2" | "IOBES" | "BILOU";

/** One entity: its type and the `[start, end)` token span (strict mode also names the sentence). */
export interface Entity {
  type: string;
  start: number;
  end: number;
  sentence?: number;
}

/**
 * Entities of a tag sequence the way seqeval's default mode (`get_entities`, conlleval rules) reads them: lenient,
 * an `I-` after `O` starts an entity. Nested lists are joined with an `O` between sentences, as seqeval does, so the
 * spans index the joined sequence. Spans are returned half-open (`end` exclusive).
 * @example
 * ```ts
 * getEntities(["B-PER", "I-PER", "O", "B-LOC"]); // [{type:"PER",start:0,end:2},{type:"LOC",start:3,end:4}]
 * ```
 */
export function getEntities(seq: readonly string[] | readonly (readonly string[])[], opts: { suffix?: boolean } = {}): Entity[] {
  const flat: string[] = [];
  if (seq.some((s) => Array.isArray(s))) for (const sent of seq as string[][]) flat.push(...sent, "O");
  else flat.push(...(seq as string[]));
  flat.push("O");
  const out: Entity[] = [];
  let prevTag = "O";
  let prevType = "";
  let begin = 0;
  for (let i = 0; i < flat.length; i++) {
    const chunk = flat[i];
    let tag: string;
    let type: string;
    if (opts.suffix) {
      tag = chunk.slice(-1);
      const body = chunk.slice(0, -1);
      const cut = body.lastIndexOf("-");
      type = (cut < 0 ? body : body.slice(0, cut)) || "_";
    } else {
      tag = chunk.slice(0, 1);
      const body = chunk.slice(1);
      const cut = body.indexOf("-");
      type = (cut < 0 ? body : body.slice(cut + 1)) || "_";
    }
    if (endOfChunk(prevTag, tag, prevType, type)) out.push({ type: prevType, start: begin, end: i });
    if (startOfChunk(prevTag, tag, prevType, type)) begin = i;
    prevTag = tag;
    prevType = type;
  }
  return out;
}

function endOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (prevTag === "E" || prevTag === "S") return true;
  if ((prevTag === "B" || prevTag === "I") && (tag === "B" || tag === "S" || tag === "O")) return true;
  return prevTag !== "O" && prevTag !== "." && prevType !== type;
}

function startOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (tag === "B" || tag === "S") return true;
  if ((prevTag === "E" || prevTag === "S" || prevTag === "O") && (tag === "E" || tag === "I")) return true;
  return tag !== "O" && tag !== "." && prevType !== type;
}

// --- strict mode: prefix-transition patterns per scheme, [previous prefixes, current prefixes, tag condition] ---
type Cond = "same" | "diff" | "any";
type Pattern = [string, string, Cond];
interface SchemeRules {
  allowed: string;
  start: Pattern[];
  inside: Pattern[];
  end: Pattern[];
}
const ANY = "IOBESUL";
const SCHEMES: Record<TagScheme, SchemeRules> = {
  IOB1: {
    allowed: "IOB",
    start: [["O", "I", "any"], ["I", "I", "diff"], ["B", "I", "any"], ["I", "B", "same"], ["B", "B", "same"]],
    inside: [["B", "I", "same"], ["I", "I", "same"]],
    end: [["I", "I", "diff"], ["I", "O", "any"], ["I", "B", "any"], ["B", "O", "any"], ["B", "I", "diff"], ["B", "B", "same"]],
  },
  IOE1: {
    allowed: "IOE",
    start: [["O", "I", "any"], ["I", "I", "diff"], ["E", "I", "any"], ["E", "E", "same"]],
    inside: [["I", "I", "same"], ["I", "E", "same"]],
    end: [["I", "I", "diff"], ["I", "O", "any"], ["I", "E", "diff"], ["E", "I", "same"], ["E", "E", "same"]],
  },
  IOB2: {
    allowed: "IOB",
    start: [[ANY, "B", "any"]],
    inside: [["B", "I", "same"], ["I", "I", "same"]],
    end: [["I", "O", "any"], ["I", "I", "diff"], ["I", "B", "any"], ["B", "O", "any"], ["B", "I", "diff"], ["B", "B", "any"]],
  },
  IOE2: {
    allowed: "IOE",
    start: [["O", "I", "any"], ["O", "E", "any"], ["E", "I", "any"], ["E", "E", "any"], ["I", "I", "diff"], ["I", "E", "diff"]],
    inside: [["I", "E", "same"], ["I", "I", "same"]],
    end: [["E", ANY, "any"]],
  },
  IOBES: {
    allowed: "IOBES",
    start: [[ANY, "B", "any"], [ANY, "S", "any"]],
    inside: [["B", "I", "same"], ["B", "E", "same"], ["I", "I", "same"], ["I", "E", "same"]],
    end: [["S", ANY, "any"], ["E", ANY, "any"]],
  },
  BILOU: {
    allowed: "BILOU",
    start: [[ANY, "B", "any"], [ANY, "U", "any"]],
    inside: [["B", "I", "same"], ["B", "L", "same"], ["I", "I", "same"], ["I", "L", "same"]],
    end: [["U", ANY, "any"], ["L", ANY, "any"]],
  },
};

interface StrictToken {
  prefix: string;
  tag: string;
}

function parseToken(token: string, scheme: TagScheme, suffix: boolean, where: string): StrictToken {
  const prefix = suffix ? token.slice(-1) : token.slice(0, 1);
  if (!ANY.includes(prefix) || prefix === "") {
    throw new RangeError(`seqeval strict mode: ${where}: "${token}" has no known prefix (${ANY.split("").join(", ")}); check the tags or pass suffix.`);
  }
  if (!SCHEMES[scheme].allowed.includes(prefix)) {
    throw new RangeError(
      `seqeval strict mode: ${where}: "${token}" uses prefix ${prefix}, which ${scheme} does not allow (allowed: ${SCHEMES[scheme].allowed.split("").join(", ")}); pick the scheme the tags follow.`,
    );
  }
  const body = suffix ? token.slice(0, -1) : token.slice(1);
  const tag = body.replace(/^-+|-+$/g, "") || "_";
  return { prefix, tag };
}

function matches(prev: StrictToken, cur: StrictToken, patterns: Pattern[]): boolean {
  for (const [p, c, cond] of patterns) {
    if (!p.includes(prev.prefix) || !c.includes(cur.prefix)) continue;
    if (cond === "any" || (cond === "same") === (prev.tag === cur.tag)) return true;
  }
  return false;
}

/**
 * Entities of one sentence under a scheme's strict rules, as seqeval's `Tokens(...).entities`: only well-formed
 * chunks count (an IOB2 entity must open with `B-`). Spans are half-open.
 * @example
 * ```ts
 * getEntitiesStrict(["I-PER", "B-PER", "I-PER"], "IOB2"); // [{type:"PER",start:1,end:3,sentence:0}]
 * ```
 */
export function getEntitiesStrict(tokens: readonly string[], scheme: TagScheme, opts: { suffix?: boolean; sentence?: number } = {}): Entity[] {
  const rules = SCHEMES[scheme];
  if (!rules) throw new RangeError(`seqeval strict mode: unknown scheme "${scheme}"; use one of ${Object.keys(SCHEMES).join(", ")}.`);
  const sentence = opts.sentence ?? 0;
  const ext = tokens.map((t, i) => parseToken(t, scheme, opts.suffix ?? false, `sentence ${sentence}, token ${i}`));
  ext.push({ prefix: "O", tag: "_" });
  const out: Entity[] = [];
  let prev: StrictToken = { prefix: "O", tag: "_" };
  let i = 0;
  while (i < ext.length) {
    const tok = ext[i];
    if (matches(prev, tok, rules.start)) {
      let end = i + 1;
      let p = tok;
      while (end < ext.length && matches(p, ext[end], rules.inside)) p = ext[end++];
      if (end < ext.length && matches(ext[end - 1], ext[end], rules.end)) out.push({ type: tok.tag, start: i, end, sentence });
      i = end;
    } else i++;
    prev = ext[i - 1];
  }
  return out;
}

/** Options of `seqevalScores`. */
export interface SeqevalOptions {
  /** "default" (conlleval-like, lenient) or "strict" (needs `scheme`, as seqeval's `mode="strict"`). */
  mode?: "default" | "strict";
  scheme?: TagScheme;
  /** "micro" (seqeval's default for f1_score), "macro", "weighted", or null for per-type scores. */
  average?: "micro" | "macro" | "weighted" | null;
  zeroDivision?: "warn" | 0 | 1;
  /** Tags written as `PER-B` instead of `B-PER`. */
  suffix?: boolean;
  beta?: number;
}

/** Entity scores: averaged numbers, or per type (sorted) with `types` when `average` is null. */
export interface SeqevalResult<T> {
  precision: T;
  recall: T;
  f1: T;
  /** Number of true entities (summed when averaged). */
  support: T;
  types: string[];
}

/**
 * Entity-level precision, recall and F1 over sentences of tags, as seqeval's `precision_recall_fscore_support` /
 * `f1_score` (default mode unless `mode: "strict"`).
 * @example
 * ```ts
 * const yTrue = [["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]];
 * const yPred = [["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]];
 * seqevalScores(yTrue, yPred).f1; // 0.5
 * ```
 */
export function seqevalScores(yTrue: string[][], yPred: string[][], opts: SeqevalOptions & { average: null }): SeqevalResult<number[]>;
export function seqevalScores(yTrue: string[][], yPred: string[][], opts?: SeqevalOptions): SeqevalResult<number>;
export function seqevalScores(yTrue: string[][], yPred: string[][], opts: SeqevalOptions = {}): SeqevalResult<number> | SeqevalResult<number[]> {
  if (yTrue.length !== yPred.length) {
    throw new RangeError(`seqevalScores: yTrue has ${yTrue.length} sentences but yPred has ${yPred.length}; pass one prediction per sentence.`);
  }
  yTrue.forEach((s, i) => {
    if (s.length !== yPred[i].length) {
      throw new RangeError(`seqevalScores: sentence ${i} has ${s.length} true tags but ${yPred[i].length} predicted; predict one tag per token.`);
    }
  });
  const average = opts.average === undefined ? "micro" : opts.average;
  const zero = opts.zeroDivision === 1 ? 1 : 0;
  const beta = opts.beta ?? 1;
  const suffix = opts.suffix ?? false;
  const collect = (seqs: string[][]): Entity[] => {
    if (opts.mode === "strict") {
      if (!opts.scheme) throw new TypeError('seqevalScores: mode "strict" needs a scheme (IOB1, IOB2, IOE1, IOE2, IOBES or BILOU).');
      return seqs.flatMap((s, i) => getEntitiesStrict(s, opts.scheme!, { suffix, sentence: i }));
    }
    return getEntities(seqs, { suffix });
  };
  const key = (e: Entity) => `${e.sentence ?? 0}\u0000${e.start}\u0000${e.end}`;
  const byType = (ents: Entity[]) => {
    const m = new Map<string, Set<string>>();
    for (const e of ents) {
      if (!m.has(e.type)) m.set(e.type, new Set());
      m.get(e.type)!.add(key(e));
    }
    return m;
  };
  const t = byType(collect(yTrue));
  const p = byType(collect(yPred));
  const types = [...new Set([...t.keys(), ...p.keys()])].sort();
  let tp = types.map((ty) => [...(t.get(ty) ?? [])].filter((k) => p.get(ty)?.has(k)).length);
  let predSum = types.map((ty) => p.get(ty)?.size ?? 0);
  let trueSum = types.map((ty) => t.get(ty)?.size ?? 0);
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const support = sum(trueSum);
  if (average === "micro") {
    tp = [sum(tp)];
    predSum = [sum(predSum)];
    trueSum = [sum(trueSum)];
  }
  const precision = tp.map((v, i) => (predSum[i] === 0 ? zero : v / predSum[i]));
  const recall = tp.map((v, i) => (trueSum[i] === 0 ? zero : v / trueSum[i]));
  const b2 = beta * beta;
  const f1 = precision.map((pr, i) => {
    if (beta === Infinity) return recall[i];
    const den = b2 * pr + recall[i];
    return den === 0 ? 0 : ((1 + b2) * pr * recall[i]) / den;
  });
  if (average === null) return { precision, recall, f1, support: trueSum, types };
  let w: number[] | null = null;
  if (average === "weighted") {
    w = trueSum;
    if (support === 0) {
      const none = sum(predSum) === 0;
      return { precision: none ? zero : 0, recall: zero, f1: none ? zero : 0, support, types };
    }
  }
  const avg = (xs: number[]) => (w === null ? sum(xs) / xs.length : xs.reduce((s, x, i) => s + x * w![i], 0) / sum(w));
  return { precision: avg(precision), recall: avg(recall), f1: avg(f1), support, types };
}
