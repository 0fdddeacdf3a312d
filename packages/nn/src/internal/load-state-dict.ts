// load_state_dict's checks and copy: missing / unexpected keys and shape mismatches reported by key, values copied in place.

import { Tensor } from "@tsorch/tensor";

/** Options of `loadStateDict`. */
export interface LoadStateDictOptions {
  /** Refuse missing or unexpected keys (default true), as PyTorch's `strict`. */
  strict?: boolean;
}

/** What `loadStateDict` found, as PyTorch's `_IncompatibleKeys`. */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

const fmt = (s: readonly number[]) => `[${s.join(", ")}]`;

/** Error of `loadStateDict`, listing every problem by key. */
export class StateDictError extends Error {
  constructor(
    message: string,
    readonly missingKeys: string[],
    readonly unexpectedKeys: string[],
    readonly shapeMismatches: { key: string; expected: number[]; got: number[] }[],
  ) {
    super(message);
    this.name = "StateDictError";
  }
}

/**
 * Copies `source` into the tensors of `own` (a module's state dict), checking keys and shapes.
 * @example loadStateDictInto("MLP", model.stateDict(), loaded, { strict: true })
 */
export function loadStateDictInto(
  owner: string,
  own: Record<string, Tensor>,
  source: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>,
  opts: { strict?: boolean },
): LoadStateDictResult {
  const strict = opts.strict ?? true;
  const entries: [string, unknown][] = source instanceof Map ? [...source] : Object.entries(source);
  const src = new Map<string, Tensor>();
  for (const [k, v] of entries) {
    if (!(v instanceof Tensor)) throw new TypeError(`${owner}.loadStateDict: the value of ${JSON.stringify(k)} is not a Tensor (got ${v === null ? "null" : typeof v}).`);
    src.set(k, v);
  }
  const missingKeys = Object.keys(own).filter((k) => !src.has(k));
  const unexpectedKeys = [...src.keys()].filter((k) => !(k in own));
  const shapeMismatches: { key: string; expected: number[]; got: number[] }[] = [];
  for (const [k, v] of src) {
    const t = own[k];
    if (!t) continue;
    if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i]))
      shapeMismatches.push({ key: k, expected: [...t.shape], got: [...v.shape] });
  }
  const problems: string[] = [];
  if (shapeMismatches.length)
    problems.push(
      ...shapeMismatches.map(
        (m) => `size mismatch for ${m.key}: copying a param with shape ${fmt(m.got)} from checkpoint, the shape in current model is ${fmt(m.expected)}.`,
      ),
    );
  if (strict && missingKeys.length) problems.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => JSON.stringify(k)).join(", ")}.`);
  if (strict && unexpectedKeys.length) problems.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => JSON.stringify(k)).join(", ")}.`);
  if (problems.length) {
    const hint = strict && (missingKeys.length || unexpectedKeys.length) ? " Pass { strict: false } to load the matching keys only." : "";
    throw new StateDictError(
      `Error(s) in loading state_dict for ${owner}:\n\t${problems.join("\n\t")}${hint}`,
      missingKeys,
      unexpectedKeys,
      shapeMismatches,
    );
  }
  for (const [k, v] of src) {
    const t = own[k];
    if (!t) continue;
    // Write through a detached view: loading is not an op autograd should record (PyTorch runs it under no_grad).
    const d = t.detach();
    d.copy_(v);
    d.dispose();
  }
  return { missingKeys, unexpectedKeys };
}
