// Truncation parameters and the truncation of a (pair of) encoding(s) (Rust `utils::truncation`), including their tokenizer.json form.
import type { Direction, Encoding } from "./encoding.js";
import { JsonObj } from "./internal/json-reader.js";

/** Which sequence loses tokens first. */
export type TruncationStrategy = "longest_first" | "only_first" | "only_second";

/** Truncation settings. */
export interface TruncationOptions {
  maxLength: number;
  stride?: number;
  strategy?: TruncationStrategy;
  direction?: Direction;
}

/** Fully resolved truncation settings. */
export interface TruncationParams {
  maxLength: number;
  stride: number;
  strategy: TruncationStrategy;
  direction: Direction;
}

/** Fills in the defaults (stride 0, longest first, right). */
export function resolveTruncation(o: TruncationOptions): TruncationParams {
  return { maxLength: o.maxLength, stride: o.stride ?? 0, strategy: o.strategy ?? "longest_first", direction: o.direction ?? "right" };
}

/** Truncates `enc` and `pair` to `p.maxLength` tokens in total (Rust `truncate_encodings`). */
export function truncateEncodings(enc: Encoding, pair: Encoding | null, p: TruncationParams): void {
  if (p.maxLength === 0) {
    enc.truncate(0, p.stride, p.direction);
    pair?.truncate(0, p.stride, p.direction);
    return;
  }
  const total = enc.ids.length + (pair ? pair.ids.length : 0);
  if (total <= p.maxLength) return;
  const toRemove = total - p.maxLength;
  if (p.strategy === "longest_first") {
    if (pair) {
      let n1 = enc.ids.length;
      let n2 = pair.ids.length;
      let swap = false;
      if (n1 > n2) {
        swap = true;
        [n1, n2] = [n2, n1];
      }
      if (n1 > p.maxLength) n2 = n1;
      else n2 = Math.max(n1, p.maxLength - n1);
      if (n1 + n2 > p.maxLength) {
        n1 = Math.floor(p.maxLength / 2);
        n2 = n1 + (p.maxLength % 2);
      }
      if (swap) [n1, n2] = [n2, n1];
      enc.truncate(n1, p.stride, p.direction);
      pair.truncate(n2, p.stride, p.direction);
    } else {
      enc.truncate(total - toRemove, p.stride, p.direction);
    }
    return;
  }
  const target = p.strategy === "only_first" ? enc : pair;
  if (!target) throw new Error("Truncation: strategy only_second needs a second sequence; pass a pair or use longest_first.");
  const len = target.ids.length;
  if (len > toRemove) target.truncate(len - toRemove, p.stride, p.direction);
  else throw new Error(`Truncation: the ${p.strategy === "only_first" ? "first" : "second"} sequence (${len} tokens) is too short to remove ${toRemove} tokens; use longest_first or a larger max length.`);
}

const STRATEGY_JSON: Record<string, TruncationStrategy> = { LongestFirst: "longest_first", OnlyFirst: "only_first", OnlySecond: "only_second" };

/** Reads the `truncation` object of tokenizer.json. */
export function truncationFromJSON(value: unknown, path = "truncation"): TruncationParams | null {
  if (value === null || value === undefined) return null;
  const o = new JsonObj(value, path);
  const strategy = o.oneOf("strategy", ["LongestFirst", "OnlyFirst", "OnlySecond"], "LongestFirst");
  return {
    maxLength: o.uint("max_length"),
    stride: o.uint("stride", 0),
    strategy: STRATEGY_JSON[strategy],
    direction: o.oneOf("direction", ["Left", "Right"], "Right") === "Left" ? "left" : "right",
  };
}

/** The tokenizer.json `truncation` object. */
export function truncationToJSON(p: TruncationParams): Record<string, unknown> {
  const strategy = Object.keys(STRATEGY_JSON).find((k) => STRATEGY_JSON[k] === p.strategy);
  return { direction: p.direction === "left" ? "Left" : "Right", max_length: p.maxLength, strategy, stride: p.stride };
}
