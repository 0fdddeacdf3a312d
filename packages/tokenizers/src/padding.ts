// Padding parameters and batch padding (Rust `utils::padding`), including their tokenizer.json form.
import type { Direction, Encoding } from "./encoding.js";
import { JsonObj, TokenizerJSONError } from "./internal/json-reader.js";

/** Padding settings; `length: null` pads to the longest encoding of the batch. */
export interface PaddingOptions {
  /** Fixed length, or null/undefined for "batch longest". */
  length?: number | null;
  direction?: Direction;
  padToMultipleOf?: number | null;
  padId?: number;
  padTypeId?: number;
  padToken?: string;
}

/** Fully resolved padding settings. */
export interface PaddingParams {
  length: number | null;
  direction: Direction;
  padToMultipleOf: number | null;
  padId: number;
  padTypeId: number;
  padToken: string;
}

/** Fills in the defaults of the Rust crate (right side, id 0, "[PAD]"). */
export function resolvePadding(o: PaddingOptions = {}): PaddingParams {
  return {
    length: o.length ?? null,
    direction: o.direction ?? "right",
    padToMultipleOf: o.padToMultipleOf ?? null,
    padId: o.padId ?? 0,
    padTypeId: o.padTypeId ?? 0,
    padToken: o.padToken ?? "[PAD]",
  };
}

/** Pads every encoding of a batch (Rust `pad_encodings`). */
export function padEncodings(encodings: Encoding[], p: PaddingParams): void {
  if (encodings.length === 0) return;
  let len = p.length ?? Math.max(...encodings.map((e) => e.ids.length));
  const m = p.padToMultipleOf;
  if (m !== null && m > 0 && len % m > 0) len += m - (len % m);
  for (const e of encodings) e.pad(len, p.padId, p.padTypeId, p.padToken, p.direction);
}

/** Reads the `padding` object of tokenizer.json. */
export function paddingFromJSON(value: unknown, path = "padding"): PaddingParams | null {
  if (value === null || value === undefined) return null;
  const o = new JsonObj(value, path);
  const strategy = o.raw("strategy");
  let length: number | null = null;
  if (strategy === "BatchLongest" || strategy === undefined) length = null;
  else if (strategy !== null && typeof strategy === "object" && typeof (strategy as { Fixed?: unknown }).Fixed === "number") length = (strategy as { Fixed: number }).Fixed;
  else throw new TokenizerJSONError(o.sub("strategy"), `expected "BatchLongest" or {"Fixed": n}, found ${JSON.stringify(strategy)}.`);
  const dir = o.oneOf("direction", ["Left", "Right"], "Right");
  return {
    length,
    direction: dir === "Left" ? "left" : "right",
    padToMultipleOf: o.optNumber("pad_to_multiple_of"),
    padId: o.uint("pad_id", 0),
    padTypeId: o.uint("pad_type_id", 0),
    padToken: o.string("pad_token", "[PAD]"),
  };
}

/** The tokenizer.json `padding` object. */
export function paddingToJSON(p: PaddingParams): Record<string, unknown> {
  return {
    strategy: p.length === null ? "BatchLongest" : { Fixed: p.length },
    direction: p.direction === "left" ? "Left" : "Right",
    pad_to_multiple_of: p.padToMultipleOf,
    pad_id: p.padId,
    pad_type_id: p.padTypeId,
    pad_token: p.padToken,
  };
}
